"""Which saved version the current admin request is bringing back, if any.

django-reversion's revision and recover views run Django's whole change-form view
inside them; the steps of that view we override (loading the object, saving it, the
buttons) need to know that an old version is being restored and what to keep as it is
now. They learn it here: one context variable, set for the duration of the view by
``restoring()`` and read with ``current()``. A context variable belongs to its thread
(and task), so concurrent requests never see each other's value.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from reversion.models import Version


@dataclass(frozen=True)
class Restore:
    """An old version being shown or saved again.

    ``kept``: fields that stay as they are now (restoring an existing article);
    ``recovering``: the article was deleted and comes back as a draft.
    """

    version: Version
    kept: dict = field(default_factory=dict)
    recovering: bool = False


_current = ContextVar("editorial_restore", default=None)


@contextmanager
def restoring(restore):
    token = _current.set(restore)
    try:
        yield restore
    finally:
        _current.reset(token)


def current():
    """The Restore of the running request, or None."""
    return _current.get()
