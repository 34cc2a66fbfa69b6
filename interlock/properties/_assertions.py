"""What reproducers end with: an ``assert`` that fails with the clause and the value observed, and passes on a
conforming target."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from interlock.contracts._declare import get_contract
from interlock.contracts._model import Comparable, Ensures, ReportsFailure, Scenario
from interlock.properties._engine import replay_scenario
from interlock.properties._in_domain import failure_clause, passes
from interlock.properties._subject import Subject, check_constructor, check_member_signature
from interlock.properties._types import type_problem
from interlock.properties._values import py_repr
from interlock.properties._verdicts import Returned, verdict_key

__all__ = ["assert_agrees", "assert_clause", "assert_returns", "assert_signature"]

_ABSENT = object()


def assert_returns(contract: Any, member: str, value: Any) -> None:
    """Raise ``AssertionError`` unless ``value`` is of what ``member`` of ``contract`` declares it returns."""
    model = get_contract(contract)
    declared = model.member(member)
    problem = type_problem(value, declared.returns, member)
    if problem:
        raise AssertionError(f"return-type: {member} returned {problem}; the contract declares {declared.signature_text()}")


def assert_clause(contract: Any, clause: str, /, **values: Any) -> None:
    """Raise ``AssertionError`` naming the clause and what was observed unless the clause holds for ``values``.

    ``values`` are what the clause's predicate asks for: the member's arguments by name, ``result`` and ``target``.
    For a scenario clause they are ``target`` (the class or factory the clause builds from), ``draws`` and
    ``answers`` (the drawn values of a reported example, as its reproducer gives them): the clause runs once more on
    them.
    """
    model = get_contract(contract)
    found = model.clause(clause)
    rule = found.rule
    if isinstance(rule, Scenario):
        _assert_scenario(model, found, values)
        return
    if isinstance(rule, ReportsFailure):
        if not rule.predicate(values.get("result")):
            raise AssertionError(f"{clause}: {found.text}; it returned {py_repr(values.get('result'))}")
        return
    if not isinstance(rule, Ensures):
        raise TypeError(f"clause {clause!r} is not a postcondition; assert_clause judges ensures() and reports_failure() clauses")
    wanted = {k: v for k, v in values.items() if k in rule.wants}
    try:
        ok = rule.predicate(**wanted)
    except AssertionError as exc:
        raise AssertionError(f"{clause}: {exc}; it returned {py_repr(values.get('result'))}") from None
    if not ok:
        raise AssertionError(f"{clause}: {found.text}; it returned {py_repr(values.get('result'))}")


def _assert_scenario(model: Any, clause: Any, values: dict[str, Any]) -> None:
    """Replay a scenario clause on ``target`` with the ``draws`` (and the doubles' ``answers``) of a reported example."""
    if "target" not in values or set(values) - {"target", "draws", "answers", "timeout"}:
        raise TypeError(f"clause {clause.id!r} is a scenario: give target=, draws= and, where the example has them, answers=")
    found = replay_scenario(
        model, clause, values["target"], list(values.get("draws", ())), dict(values.get("answers", {})), values.get("timeout", 5.0)
    )
    if found:
        message = found[0].message.removesuffix(f" ({clause.id})")
        raise AssertionError(f"{found[0].clause or found[0].kind}: {message}")


def assert_agrees(contract: Any, member: str, observed: Any, expected: Any, *, other: str = "the reference") -> None:
    """Raise ``AssertionError`` unless two results of ``member`` agree as the checker compares them: a failure the
    member's ``reports_failure`` clause names agrees only with another failure; other results through the member's
    ``comparable`` projection, if it has one, by type and ``==``.

    A reproducer of a ``differential`` against a reference ends with it: ``observed`` is the target's result,
    ``expected`` the reference's on the same calls. Between two targets, ``other`` names the one ``expected`` came
    from.
    """
    model = get_contract(contract)
    clauses = model.rules(member, Comparable)
    name = clauses[0].id if clauses else member
    failure = failure_clause(model, model.member(member))
    if failure is not None:  # a failure value the contract names is a verdict of its own, whatever it holds
        failed, expected_failed = passes(failure, observed), passes(failure, expected)
        if failed != expected_failed:
            mine = f"reported failure ({py_repr(observed)})" if failed else f"returned {py_repr(observed)}"
            theirs = f"reported failure ({py_repr(expected)})" if expected_failed else f"returned {py_repr(expected)}"
            raise AssertionError(f"{name}: {member} {mine}, where {other} {theirs}")
        if failed:
            return
    rule = clauses[0].rule if clauses else None
    projection = rule.projection if isinstance(rule, Comparable) else None
    got, want = (projection(observed), projection(expected)) if projection else (observed, expected)
    if verdict_key(Returned(got, shown=True)) != verdict_key(Returned(want, shown=True)):
        raise AssertionError(f"{name}: {member} returned {py_repr(got)}, where {other} returned {py_repr(want)}")


def assert_signature(contract: Any, member: str, target: Any, /) -> None:
    """Raise ``AssertionError`` naming the kind unless ``target`` declares ``member`` as the contract does, compared
    as the checker compares it: parameter names, kinds and count, ``async`` or not; ``"__init__"`` for the constructor
    (of a class or a factory). ``target`` is a class, or for a member an instance (one a factory built, or a product
    another member returned). A signature-kind reproducer ends with it."""
    model = get_contract(contract)
    label = f"{getattr(target, '__module__', '?')}:{getattr(target, '__qualname__', type(target).__qualname__)}"
    s = Subject(label=label, obj=target, contract=model)
    if member == "__init__":
        drifts = check_constructor(s)
    else:
        declared = model.member(member)
        if inspect.isclass(target):
            drifts = check_constructor(s)
        elif inspect.isfunction(target) or inspect.ismethod(target) or isinstance(target, functools.partial):
            raise TypeError(f"assert_signature judges the members of a class or an instance; {s.label} is a factory: pass what it builds")
        else:
            drifts = []
        if declared.role == "method":
            more, present = check_member_signature(s, declared, target)
            drifts = [*drifts, *more]
        else:
            present = inspect.getattr_static(target, member, _ABSENT) is not _ABSENT or hasattr(target, member)
        if not present:
            raise AssertionError(
                f"missing-member: {member}: the target has no member {member!r}; the contract declares {declared.signature_text()}"
            )
    if drifts:
        raise AssertionError("; ".join(f"{d.kind}: {d.message}" for d in drifts))
