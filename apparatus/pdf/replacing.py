"""Replacing private code of WeasyPrint and pydyf for as long as the edition is typeset."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def replaced(owner: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def recompiled(module: Any, name: str, old: str, new: str, *helpers: Any) -> Iterator[None]:
    """A function of ``module`` recompiled from its source with ``old`` replaced by ``new``
    (which may call ``helpers``), only if its source holds ``old`` as expected."""
    source = inspect.getsource(getattr(module, name))
    if old not in source:
        yield
        return
    namespace: dict[str, Any] = {}
    scope = module.__dict__ | {helper.__name__: helper for helper in helpers} if helpers else module.__dict__
    exec(compile(source.replace(old, new), module.__file__, "exec"), scope, namespace)
    with replaced(module, name, namespace[name]):
        yield
