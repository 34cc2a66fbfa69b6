"""The literals Hypothesis mixes into its draws, pinned to the code under check.

Hypothesis now and then draws a constant found in the "local" code loaded in the
process (its local constants: every module in ``sys.modules`` outside the standard
library, site-packages and test folders). Which modules are loaded then changes
what a seeded run draws: the same check with the same ``--seed`` found a drift
alone and missed it after other tests had imported theirs. It also writes a cache
of them under ``.hypothesis/`` in the current folder.

While a check runs, ``pinned_constants`` replaces that pool with the constants of
the modules the contract, the targets and the reference are defined in (local
ones only, by Hypothesis's own rule), read from their source in memory: the same
check draws the same values in any process, and nothing is written.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Iterable, Iterator, MutableSet
from pathlib import Path
from typing import Any

__all__ = ["pinned_constants"]

_LARGEST = 512 * 1024
"""Hypothesis skips source files larger than this; so does interlock."""


def _modules(objects: Iterable[Any]) -> list[Any]:
    names = sorted({name for obj in objects if isinstance(name := getattr(obj, "__module__", None), str)})
    return [sys.modules[n] for n in names if n in sys.modules]


def constants_of(objects: Iterable[Any]) -> Any:
    """Hypothesis's ``Constants`` of the local modules that define ``objects``; None where Hypothesis has none."""
    try:
        from hypothesis.internal.constants_ast import Constants, _constants_from_source, is_local_module_file
    except ImportError:  # a Hypothesis without local constants: nothing to pin
        return None
    found = Constants()
    for module in _modules(objects):
        try:
            path = inspect.getsourcefile(module)
            if path is None or not is_local_module_file(path):
                continue
            source = Path(path).read_bytes()
            if len(source) > _LARGEST:
                continue
            found |= _constants_from_source(source, limit=True)
        except Exception:  # no source, unreadable, does not parse: no constants from it, as Hypothesis does
            continue
    # In a fixed order: Hypothesis picks a constant by its index in the pool, and a set of text iterates in an
    # order that changes with the process's hash seed (PYTHONHASHSEED), so the same seed drew different values
    # from one process to the next. Hypothesis keeps its own pools sorted for the same reason.
    from hypothesis.internal.floats import float_to_int

    return Constants(
        integers=_Ordered(sorted(found.integers)),
        floats=_Ordered(sorted(found.floats, key=float_to_int)),
        bytes=_Ordered(sorted(found.bytes)),
        strings=_Ordered(sorted(found.strings)),
    )


class _Ordered(MutableSet[Any]):
    """A set that iterates in the order it was given (Hypothesis picks a constant by its place in the pool)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = dict.fromkeys(items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, value: Any) -> None:
        self._items[value] = None

    def discard(self, value: Any) -> None:
        self._items.pop(value, None)


@contextlib.contextmanager
def pinned_constants(objects: Iterable[Any]) -> Iterator[None]:
    """While the block runs, Hypothesis's local constants are those of the modules defining ``objects``."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    pinned = constants_of(objects)
    if original is None or cache is None or pinned is None:
        yield
        return
    providers._get_local_constants = lambda: pinned
    cache.cache.clear()  # its pools were computed with the other constants
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()
