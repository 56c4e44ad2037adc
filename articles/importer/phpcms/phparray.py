"""PHPCMS's stored arrays (``setting`` columns and the like), read without PHP.

PHPCMS writes arrays with ``array2string()``: up to 9.5 as ``var_export()`` output, from
9.6 as a JSON object; rows keep the format of their last edit, so one database holds
both. A value that starts ``{\\`` was escaped twice and is unescaped once first. PHPCMS
itself reads the ``var_export`` form with ``eval``; this is a small parser for the only
grammar ``var_export`` writes for arrays of scalars — nothing is ever evaluated.
"""

import json
import re


class PHPArrayError(ValueError):
    """The text is neither a var_export array nor JSON."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>array\s*\()
      | (?P<close>\))
      | (?P<arrow>=>)
      | (?P<comma>,)
      | '(?P<string>(?:[^'\\]|\\.)*)'
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<word>true|false|null|NULL|TRUE|FALSE)
    )""",
    re.VERBOSE | re.DOTALL,
)
_CONSTANTS = {"true": True, "false": False, "null": None}


def _unquote(text):
    # Inside single quotes PHP knows only two escapes: \' and \\.
    return re.sub(r"\\([\\'])", r"\1", text)


def _tokens(text):
    position = 0
    text = text.rstrip().rstrip(";")
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if not match:
            raise PHPArrayError(
                f"unexpected text at {position}: {text[position : position + 20]!r}"
            )
        position = match.end()
        kind = match.lastgroup
        yield kind, match.group(kind)


def _value(tokens, token):
    kind, text = token
    if kind == "open":
        return _array(tokens)
    if kind == "string":
        return _unquote(text)
    if kind == "number":
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "word":
        return _CONSTANTS[text.lower()]
    raise PHPArrayError(f"a value was expected, not {text!r}")


def _array(tokens):
    result = {}
    next_index = 0
    while True:
        token = next(tokens, None)
        if token is None:
            raise PHPArrayError("unterminated array")
        if token[0] == "close":
            return result
        first = _value(tokens, token)
        token = next(tokens, None)
        if token and token[0] == "arrow":
            key = first
            value = _value(tokens, next(tokens, ("", "")))
            token = next(tokens, None)
        else:  # a list element without a key (var_export always writes keys; be lenient)
            key, value = next_index, first
        if isinstance(key, int):
            next_index = max(next_index, key + 1)
        result[key] = value
        if token is None:
            raise PHPArrayError("unterminated array")
        if token[0] == "close":
            return result
        if token[0] != "comma":
            raise PHPArrayError(f"',' or ')' expected, not {token[1]!r}")


def parse_var_export(text):
    """The dict a PHP ``var_export`` array literal describes."""
    tokens = _tokens(text)
    first = next(tokens, None)
    if first is None or first[0] != "open":
        raise PHPArrayError("not an array")
    result = _array(tokens)
    if next(tokens, None) is not None:
        raise PHPArrayError("text after the array")
    return result


def _stripslashes(text):
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def parse_setting(text):
    """A stored PHPCMS array as a dict, whatever the format it was written in.

    '' (and NULL) is an empty array, as in PHPCMS's ``string2array()``.
    """
    if text is None:
        return {}
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    text = text.strip()
    if not text:
        return {}
    if text.startswith("array"):
        return parse_var_export(text)
    if text.startswith("{\\"):
        text = _stripslashes(text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PHPArrayError(f"neither var_export nor JSON: {exc}") from exc
    if isinstance(value, list):
        return dict(enumerate(value))
    if not isinstance(value, dict):
        raise PHPArrayError("JSON but not an object")
    return value
