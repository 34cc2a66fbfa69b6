"""Scenario clauses: an ``async`` function drives whole targets through a harness.

Sequences of calls, several users at once, failing dependencies: whatever a
clause needs, written with the public ``Harness`` so users' contracts can say
as much as the built-in ones.
"""

from __future__ import annotations

import asyncio
from typing import Any, NoReturn

from interlock.contracts._model import Clause, Scenario
from interlock.properties._doubles import CallLog, double_class
from interlock.properties._report import Violation
from interlock.properties._subject import Subject, _call_text, draw_double_fields, materialize, reproducer

__all__ = ["Harness", "ScenarioFailure", "run_scenario"]


class ScenarioFailure(Exception):
    """Raised by ``Harness.fail``: the clause is broken."""

    def __init__(self, message: str, kind: str | None) -> None:
        super().__init__(message)
        self.kind = kind


class Harness:
    """What a scenario clause works with: building targets, drawing values, doubles, checks."""

    def __init__(self, caller: Any, subject: Subject, clause: Clause, data: Any) -> None:
        from interlock.properties._engine import DrawnReturns

        self._caller = caller
        self._subject = subject
        self._clause = clause
        self._data = data
        self.log = CallLog()
        self._returns = DrawnReturns(data, caller.contract)
        self.steps: list[str] = []
        self._count = 0

    @property
    def contract(self) -> Any:
        return self._caller.contract

    def draw(self, strategy: Any) -> Any:
        """Draw a value from a Hypothesis strategy (shrunk with the rest of the example)."""
        return self._data.draw(strategy)

    def arguments(self, member: str) -> dict[str, Any]:
        """In-domain arguments for a contract member, drawn as the checker draws them."""
        from interlock.properties._engine import draw_values

        values = draw_values(self._data, self.contract, self.contract.member(member), all_optional=True)
        return {k: materialize(v, self.log, self._returns) for k, v in values.items()}

    def double(self, protocol: type, label: str | None = None, **fields: Any) -> Any:
        """A recording double of ``protocol`` for this example; unnamed fields are drawn."""
        self._count += 1
        name = label or f"{protocol.__name__.lower()}{self._count}"
        spec = draw_double_fields(protocol, self._data.draw, name)
        values = {k: materialize(v, self.log, self._returns) for k, v in spec.fields}
        values.update(fields)
        return double_class(protocol)(name, self.log, self._returns, values)

    async def build(self, **arguments: Any) -> Any:
        """A fresh target, built through the constructor clause; unnamed arguments are drawn."""
        s = self._subject
        ctor = self.contract.constructor
        if s.mode == "zero" or ctor is None:
            values: dict[str, Any] = {}
        else:
            values = self.arguments("__init__")
            values.update(arguments)
        fn, args, kwargs = s.build_call(values)
        self.steps.append(f"target = {_call_text(_name(s), args, kwargs)}")
        result = fn(*args, **kwargs)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    async def call(self, instance: Any, member: str, *args: Any, **kwargs: Any) -> Any:
        """Call a member as a caller of the contract would, awaiting it when the contract says async."""
        self.steps.append(_call_text(f"target.{member}", list(args), kwargs))
        result = getattr(instance, member)(*args, **kwargs)
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            result = await asyncio.wait_for(result, self._caller.runner.timeout)
        return result

    def fail(self, message: str, *, kind: str | None = None) -> NoReturn:
        """The clause is broken: report ``message`` with ``kind`` (the clause's first kind by default)."""
        raise ScenarioFailure(message, kind)

    def check(self, condition: object, message: str, *, kind: str | None = None) -> None:
        """Fail with ``message`` unless ``condition`` holds."""
        if not condition:
            self.fail(message, kind=kind)


def _name(s: Subject) -> str:
    return s.import_path[1] if s.import_path else getattr(s.obj, "__qualname__", "target")


def run_scenario(caller: Any, s: Subject, clause: Clause) -> None:
    """Run one scenario clause against one target, shrinking to one example per kind."""
    rule = clause.rule
    assert isinstance(rule, Scenario)
    if rule.needs_doubles and s.mode == "zero" and _ctor_has_protocols(caller):
        s.note(None, clause.id, "a zero-argument factory builds its own dependencies; this clause must observe a checker double")
        return

    def collect(data: Any) -> list[tuple[Subject, Violation]]:
        h = Harness(caller, s, clause, data)
        outcome = caller.runner.call(rule.function, [h], {}, is_async=True)
        head = reproducer(s, {}).splitlines()[:-1]
        example = "\n".join([*head, *h.steps])
        if outcome.timed_out:
            s.record(
                caller.violation(
                    s,
                    "timeout",
                    None,
                    None,
                    f"'{clause.id}': the scenario did not finish within {caller.runner.timeout:g}s",
                    example,
                    clause=clause.id,
                )
            )
            return []
        err = outcome.error
        if err is None:
            return []
        if isinstance(err, ScenarioFailure):
            kind = err.kind or clause.kinds[0]
            return [(s, Violation(s.label, kind, None, None, f"'{clause.id}': {err}", example, s.location(None), clause.id))]
        from hypothesis.errors import HypothesisException

        if isinstance(err, HypothesisException | asyncio.CancelledError):
            raise err
        kind = "unexpected-exception" if "unexpected-exception" in clause.kinds else clause.kinds[0]
        return [
            (
                s,
                Violation(
                    s.label, kind, None, None, f"'{clause.id}': raised {type(err).__name__}: {err}", example, s.location(None), clause.id
                ),
            )
        ]

    caller.explorer.explore(f"scenario_{clause.id}", collect, max_examples=rule.examples)


def _ctor_has_protocols(caller: Any) -> bool:
    ctor = caller.contract.constructor
    if ctor is None:
        return False
    return any(getattr(p.domain.base, "_is_protocol", False) for p in ctor.parameters)
