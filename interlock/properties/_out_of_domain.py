"""The out-of-domain judge: values the contract excludes must be refused at once.

Every value of the type's row in ``_foreign`` (``None``, look-alikes, blank text, out-of-bound numbers, foreign values) goes to
a fresh target, and so do values a ``draws`` clause narrows away; accepting one, acting on it before refusing,
or refusing with the wrong exception is the target's violation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from interlock.contracts._model import Clause, Contract, Draws, Member
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._draw import DrawnReturns, draw_values
from interlock.properties._driver import Call, Driver
from interlock.properties._explore import Candidate
from interlock.properties._foreign import Outside, outside_values
from interlock.properties._in_domain import REJECTIONS, failure_clause, passes, pick_kind
from interlock.properties._runner import Outcome
from interlock.properties._strategies import DOUBLE, strategy_for
from interlock.properties._subject import DoubleSpec, Subject, _source, contract_ref, reproducer
from interlock.properties._values import clip, describe_error, py_repr

__all__ = ["OutOfDomain"]

_OUTSIDE: dict[int, tuple[Clause, Any, Any]] = {}


def _outside_of(clause: Clause, strat: Any) -> Any:
    """The values of ``strat`` a ``draws`` clause narrows away, built once per clause and strategy: Hypothesis reads a
    filter's predicate (its source, for bounds it could use) every time one is made, which costs more than a draw."""
    found = _OUTSIDE.get(id(clause))
    if found is not None and found[0] is clause and found[1] is strat:
        return found[2]
    rule = clause.rule
    assert isinstance(rule, Draws)
    assert rule.contains is not None
    contains = rule.contains
    built = strat.filter(lambda v: not contains(v))
    _OUTSIDE[id(clause)] = (clause, strat, built)  # the entry keeps the clause alive, so its id is not reused
    return built


class OutOfDomain:
    """Offers each parameter the values outside its domain, one per fresh target, and judges the refusal."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.contract: Contract = driver.contract

    def offer(self, s: Subject, m: Member) -> None:
        """Every enumerated out-of-domain value of every parameter, on a fresh target each."""
        if not self.contract.strict_inputs:
            return
        base = s.bases.get(m.name)
        if base is None:
            base = self._base(s, m)
            if base is None:
                return
        ctor_values, values = base
        self.driver.explorer.note(f"outside_{m.name}")
        for p in m.parameters:
            if p.name in m.relaxed:
                continue
            for o in outside_values(p.domain, values.get(p.name), has_base=p.name in values):
                if m.role == "method" and not s.callable_member(m.name):
                    return
                self.driver.explorer.examples += 1
                if m.role == "constructor":
                    self._outside_ctor(s, m, p.name, o, ctor_values)
                else:
                    self._outside_member(s, m, p.name, o, ctor_values, values)

    def _base(self, s: Subject, m: Member) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """In-domain values the target accepts, drawn afresh where the sweep kept none."""
        box: list[tuple[dict[str, Any], dict[str, Any]]] = []
        ctor = self.contract.constructor

        def test(data: Any) -> None:
            cv = draw_values(data, self.contract, ctor, all_optional=True) if ctor is not None and s.mode != "zero" else {}
            vals = draw_values(data, self.contract, m, all_optional=True) if m.role == "method" else {}
            if m.role == "constructor":
                box.append((cv, vals))
                return
            made = self.driver.make(Call(s, m, cv, vals), DrawnReturns(data, self.contract))
            if made.outcome is not None and made.outcome.returned:
                box.append((cv, vals))

        self.driver.explorer.once(f"base_{m.name}", test, max_examples=10)
        return box[0] if box else None

    def _outside_ctor(self, s: Subject, m: Member, name: str, o: Any, ctor_values: dict[str, Any]) -> None:
        values = {**ctor_values, name: o.value}
        log = CallLog()
        built = self.driver.build(s, values, log, DoubleReturns())
        example = reproducer(s, values)
        if built.timed_out:
            s.record(
                s.violation(
                    "timeout",
                    "__init__",
                    None,
                    f"building the target with {_value_text(o)} for {name!r} did not return within {self.driver.runner.timeout:g}s",
                    example,
                )
            )
            return
        if built.error is not None and isinstance(built.error, REJECTIONS) and not log.calls:
            return
        what = _accepted(built, log)
        if not isinstance(built.error, REJECTIONS):
            # accepted, or raised something else: the script raises it, and passes where the value is rejected
            example = reproducer(s, values, m, reject=f"{o.kind}: __init__ accepted {_value_text(o)} for {name!r}")
        s.record(
            s.violation(
                o.kind,
                "__init__",
                name,
                f"__init__: {what} {_value_text(o)} for {name!r}, outside its domain ({m.parameter(name).domain.describe()}); it must be rejected at once with ValueError or TypeError",
                example,
            )
        )

    def _outside_member(self, s: Subject, m: Member, name: str, o: Any, ctor_values: dict[str, Any], values: dict[str, Any]) -> None:
        call = Call(s, m, ctor_values, {**values, name: o.value})
        made = self.driver.make(call, DoubleReturns(), watch=True)
        if (made.build is not None and not made.build.returned) or not made.bound or made.outcome is None:
            return
        out = made.outcome
        if out.timed_out:
            s.record(
                s.violation(
                    "timeout",
                    m.name,
                    None,
                    f"{m.name}: the call with {_value_text(o)} for {name!r} did not return within {self.driver.runner.timeout:g}s; {self.driver.runner.stops}",
                    call.example(),
                )
            )
            s.skip.add(m.name)
            return
        if out.awaitable_mismatch:
            return
        failure = failure_clause(self.contract, m)
        if failure is not None:
            if out.error is not None:
                kind = pick_kind(failure.kinds, "unexpected-exception")
                s.record(
                    s.violation(
                        kind,
                        m.name,
                        name,
                        f"{m.name}: raised {describe_error(out.error)} on {_value_text(o)} for {name!r}; the contract says it reports failure in its result instead ({failure.id})",
                        call.example(),
                        clause=failure.id,
                    )
                )
                return
            if passes(failure, out.value) and not made.log.calls and not made.changed:
                return
        elif out.error is not None and isinstance(out.error, REJECTIONS) and not made.log.calls and not made.changed:
            return
        what = _accepted(out, made.log, made.changed)
        if failure is not None:
            extra = [f"assert_clause({contract_ref(self.contract)}, {failure.id!r}, result=result)"]
            if out.error is None and passes(failure, out.value) and made.log.calls:
                # the failure was reported, after the value was passed on: the script names the constructor's doubles
                # (``(transport := double(...))``) and ends by checking that none was called
                what = f"reported failure only after passing on (to {made.log.calls[0].double}.{made.log.calls[0].method})"
                call, names = _named_doubles(call)
                extra += [f"assert not {n}.calls, {f'{o.kind}: {m.name} passed {_value_text(o)} on to {n}'!r}" for n in names]
            example = call.example(extra, result=True)
        elif not isinstance(out.error, REJECTIONS):
            # accepted, or raised something else: the script raises it, and passes where the value is rejected
            example = call.example(reject=f"{o.kind}: {m.name} accepted {_value_text(o)} for {name!r}")
        else:
            example = call.example()
        must = (
            f"it must report failure in its result, before anything else happens ({failure.id})"
            if failure is not None
            else "it must be rejected with ValueError or TypeError before anything else happens"
        )
        s.record(
            s.violation(
                o.kind,
                m.name,
                name,
                f"{m.name}: {what} {_value_text(o)} for {name!r}, outside its domain ({m.parameter(name).domain.describe()}); {must}",
                example,
            )
        )

    def narrowed_outside(self, s: Subject, m: Member, clause: Clause, data: Any) -> list[Candidate]:
        """Values in the annotation's domain but outside a ``draws`` narrowing must raise its exception."""
        rule = clause.rule
        assert isinstance(rule, Draws)
        assert rule.contains is not None
        if not s.callable_member(m.name):
            return []
        p = m.parameter(rule.parameter)
        strat = strategy_for(p.domain, self.contract)
        if strat is DOUBLE:
            return []
        value = data.draw(_outside_of(clause, strat))
        contains = rule.contains
        if p.domain.base is str and data.draw(st.booleans()):
            # a near miss of an in-domain value ("FREE", " mid"): what normalising code lets through
            inside = data.draw(rule.strategy)
            if isinstance(inside, str):
                near = data.draw(st.sampled_from(_NEAR_MISSES))(inside)
                if near.strip() and not contains(near):
                    value = near
        ctor = self.contract.constructor
        cv = draw_values(data, self.contract, ctor) if ctor is not None and s.mode != "zero" else {}
        vals = {**draw_values(data, self.contract, m), rule.parameter: value}
        call = Call(s, m, cv, vals)
        made = self.driver.make(call, DrawnReturns(data, self.contract))
        if made.outcome is None or made.outcome.timed_out or made.outcome.awaitable_mismatch:
            return []
        err = made.outcome.error
        if err is not None and isinstance(err, rule.outside) and not made.log.calls:
            return []
        names = " or ".join(e.__name__ for e in rule.outside)
        what = f"raised {describe_error(err)}" if err is not None else f"returned {clip(py_repr(made.outcome.value))}"
        return [
            (
                s,
                s.violation(
                    clause.kinds[0],
                    m.name,
                    rule.parameter,
                    f"{m.name}: {what} for {py_repr(value)}, outside the values {rule.parameter!r} may take; the contract says it raises {names} ({clause.id})",
                    call.example(
                        reject=f"{clause.id}: {m.name} {what} for {py_repr(value)}; the contract says it raises {names}",
                        catches=rule.outside,
                    ),
                    clause=clause.id,
                ),
            )
        ]


_NEAR_MISSES: tuple[Callable[[str], str], ...] = (str.upper, str.title, lambda v: f" {v}", lambda v: f"{v} ", lambda v: f"{v}s")


def _named_doubles(call: Call) -> tuple[Call, list[str]]:
    """The call with each double its constructor takes named in the script by its parameter (``transport``)."""
    named = {k: v for k, v in call.ctor_values.items() if isinstance(v, DoubleSpec)}
    values = {k: _Shown(f"({k} := {_source(v)})") if k in named else v for k, v in call.ctor_values.items()}
    return attrs.evolve(call, ctor_values=values, uses=(*call.uses, *named.values())), list(named)


class _Shown:
    """A value as a script writes it: its repr is the text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _accepted(out: Outcome, log: CallLog, changed: tuple[str, ...] = ()) -> str:
    if out.error is None:
        return "accepted"
    if changed:
        return f"changed what {changed[0]}() reports and then raised {describe_error(out.error)} instead of rejecting"
    if log.calls:
        return f"acted on it (called {log.calls[0].double}.{log.calls[0].method}) and then raised {describe_error(out.error)} instead of rejecting"
    return f"raised {describe_error(out.error)} instead of rejecting"


def _value_text(o: Outside) -> str:
    text = py_repr(o.value)
    return text if o.label == text else f"{o.label} {text}"
