"""What one call came to, as the differential compares it: returned (a value, where comparable), rejected, raised."""

from __future__ import annotations

from typing import Any

import attrs

from interlock.properties._values import py_repr

__all__ = ["Raised", "Rejected", "Returned", "Verdict", "describe", "verdict_key"]


@attrs.frozen(eq=False)
class Returned:
    """The call returned; ``value`` is what is compared (a ``comparable`` member's projection) when ``shown``."""

    value: Any = None
    shown: bool = False


@attrs.frozen
class Rejected:
    """The call rejected its input (a ``ValueError``/``TypeError``, or a failure value the contract names)."""

    by_value: bool = attrs.field(default=False, eq=False)
    """Whether it was a failure value the call returned (``reports_failure``), not an exception."""


@attrs.frozen
class Raised:
    """The call raised an exception the contract allows for that input."""

    name: str


Verdict = Returned | Rejected | Raised


def verdict_key(verdict: Any) -> Any:
    """A hashable key, equal exactly for verdicts that agree; a value whose ``__eq__`` or ``__hash__`` misbehaves
    compares by its text."""
    if isinstance(verdict, Returned):
        return ("returned", _freeze(verdict.value) if verdict.shown else None)
    if isinstance(verdict, Rejected):
        return ("rejected",)
    if isinstance(verdict, Raised):
        return ("raised", verdict.name)
    return ("observed", _freeze(verdict))


def describe(verdict: Any) -> str:
    """The verdict in words, for a differential message."""
    if isinstance(verdict, Returned):
        return f"returned {py_repr(verdict.value)}" if verdict.shown else "returned"
    if isinstance(verdict, Rejected):
        return "reported failure" if verdict.by_value else "rejected it"
    if isinstance(verdict, Raised):
        return f"raised {verdict.name}"
    return f"observed {py_repr(verdict)}"


def _freeze(value: Any, depth: int = 0) -> Any:
    try:
        if depth < 8:
            if isinstance(value, dict):
                return ("dict", frozenset((_freeze(k, depth + 1), _freeze(v, depth + 1)) for k, v in value.items()))
            if isinstance(value, list | tuple):
                return (type(value).__name__, tuple(_freeze(v, depth + 1) for v in value))
            if isinstance(value, set | frozenset):
                return ("set", frozenset(_freeze(v, depth + 1) for v in value))
        if type(value) in _PLAIN:
            return ("text", py_repr(value)) if value != value else ("value", type(value).__name__, value)  # noqa: PLR0124 - nan
        hash(value)
        if not bool(value == value):  # noqa: PLR0124 - an __eq__ that says no to itself
            return ("text", py_repr(value))
    except Exception:  # the value's own __eq__, __hash__ or __bool__ raised: compare what it shows
        return ("text", py_repr(value))
    return ("object", _Guarded(value))


_PLAIN = frozenset({int, float, str, bytes, bool, type(None), complex})


class _Guarded:
    """A target's value as a dict key: its ``__eq__`` and ``__hash__`` may raise, and then it equals only itself."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        try:
            self._hash = hash(value)
        except Exception:
            self._hash = id(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Guarded):
            return NotImplemented
        try:
            return self.value is other.value or bool(self.value == other.value)
        except Exception:
            return False
