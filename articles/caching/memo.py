"""What this process keeps of values derived from content, in one place with one reset.

Values kept here are only ever read (a channel tree, a converted phrase, a list of ids),
and each is keyed by what it was derived from — usually the content generation — so a
kept value is never wrong, only unused once the content changes. Tests and the restore
command call ``reset()`` instead of emptying each module's privates by name.
"""

import functools

_memos = []
_functions = []
_hooks = []


class Memo:
    """A bounded mapping kept in this process. When full it is emptied rather than
    trimmed: the values are cheap to derive again and the bookkeeping of an LRU would
    cost more on every read than it saves."""

    def __init__(self, name, size):
        self.name = name
        self.size = size
        self._values = {}
        _memos.append(self)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self._values)}/{self.size}>"

    def __contains__(self, key):
        return key in self._values

    def __len__(self):
        return len(self._values)

    def get(self, key, default=None):
        return self._values.get(key, default)

    def get_many(self, keys):
        values = self._values
        return {key: values[key] for key in keys if key in values}

    def set(self, key, value):
        if len(self._values) >= self.size and key not in self._values:
            self._values.clear()
        self._values[key] = value

    def update(self, values):
        if len(self._values) + len(values) > self.size:
            self._values.clear()
        self._values.update(values)

    def pop(self, key, default=None):
        return self._values.pop(key, default)

    def clear(self):
        self._values.clear()


def memoize(size):
    """``functools.lru_cache(maxsize=size)`` that ``reset()`` empties too."""

    def decorate(function):
        cached = functools.lru_cache(maxsize=size)(function)
        _functions.append(cached)
        return cached

    return decorate


def on_reset(hook):
    """Call ``hook()`` on every ``reset()``: for state that is not a mapping (the
    generation last read, counters). Usable as a decorator."""
    _hooks.append(hook)
    return hook


def reset():
    """Forget everything this process keeps: after the shared cache was cleared, after
    a restore, and between tests."""
    for memo in _memos:
        memo.clear()
    for function in _functions:
        function.cache_clear()
    for hook in _hooks:
        hook()
