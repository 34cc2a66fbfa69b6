"""The target as a clause sees it: every contract member called through it has its result checked where it is seen.

A postcondition that asks ``target.get(key)`` judges ``get``'s result; when that result is not of ``get``'s declared
type, ``get`` gets the ``return-type`` violation and the clause is not judged on it (report.md, "Wherever a result
is seen").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interlock.contracts._model import Contract, Member
from interlock.properties._report import Violation
from interlock.properties._runner import Signal
from interlock.properties._types import type_problem

__all__ = ["Unjudged", "watched"]


class Unjudged(Signal):
    """A value a clause saw was of the wrong type: ``violation`` is reported on the member that returned it."""

    def __init__(self, violation: Violation, reason: str) -> None:
        super().__init__(reason)
        self.violation = violation
        self.reason = reason


Report = Callable[[Member, Any, tuple[Any, ...], dict[str, Any], str], Violation]
"""Makes the ``return-type`` violation of a member called with these arguments, given the problem."""

_FORWARDED = ("__contains__", "__len__", "__iter__", "__getitem__", "__eq__", "__ne__", "__bool__", "__hash__")
"""Special methods a predicate reaches through operators (``key in target``, ``len(target)``)."""


def watched(contract: Contract, target: Any, report: Report) -> Any:
    """``target``, seen through a proxy that checks what its contract members return."""
    methods = {m.name: m for m in contract.members if m.role == "method"}

    def call(name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(target, name)(*args, **kwargs)
        member = methods.get(name)
        if member is not None and not member.is_async:
            problem = type_problem(result, member.returns, name)
            if problem:
                raise Unjudged(report(member, result, args, kwargs, problem), f"{name} returned {problem}")
        return result

    class Watched:
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            value = getattr(target, name)
            if name in methods and callable(value):
                return lambda *args, **kwargs: call(name, *args, **kwargs)
            return value

        def __repr__(self) -> str:
            return repr(target)

    kind = type(target)
    for dunder in {*_FORWARDED, *(n for n, m in methods.items() if m.is_dunder)}:
        if getattr(kind, dunder, None) is None:
            continue  # Python's own fallback (truth from __len__, identity for ==) applies to the target too
        setattr(Watched, dunder, _forward(dunder, call))
    if getattr(kind, "__hash__", None) is None:
        Watched.__hash__ = None  # type: ignore[assignment]
    return Watched()


def _forward(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: Any, *args: Any) -> Any:
        return call(name, *args)

    method.__name__ = name
    return method
