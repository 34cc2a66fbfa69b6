"""Generated sequences of calls on one target: state reached by earlier calls, judged at every step.

A plan is drawn once per example and is the same for every target: each step is
a method with drawn arguments, and an argument may instead reuse a value seen in
an earlier step (an earlier argument of the same type, or an earlier step's
result), as Hypothesis's ``Bundle``\\s do, so "add, look up, remove, look up"
happens. Each target runs the plan on one instance built once; every step is
judged as the sweep judges a call (exceptions, return type, ``ensures`` with
``target`` in the state the sequence reached). With two or more targets, the
steps' verdicts are compared until the first step where a target has a
violation (report.md: ``differential`` compares only inputs on which no target
has another). Plans shrink with the rest of the example; a violation's
reproducer is the script of the steps up to the one that failed.
"""

from __future__ import annotations

import builtins
import typing
import unicodedata
from typing import Any

import attrs
from hypothesis import strategies as st

from interlock._options import DEFAULT_STEPS as SEQUENCE_STEPS
from interlock.contracts._model import Comparable, Contract, Draws, Ensures, Member, Requires
from interlock.properties._differential import differential_between
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._draw import DrawnReturns, draw_values, parameter_strategy
from interlock.properties._driver import Call, Driver, Made
from interlock.properties._explore import Candidate
from interlock.properties._in_domain import InDomain, ensures_line
from interlock.properties._subject import DoubleSpec, Subject, _call_text, _source, materialize
from interlock.properties._types import type_problem
from interlock.properties._verdicts import Returned, Verdict

__all__ = ["SEQUENCE_STEPS", "run_sequences"]


@attrs.frozen
class _Result:
    """An argument that reuses step ``step``'s result where it fits the parameter, else ``fallback``."""

    step: int
    fallback: Any


@attrs.frozen
class _Step:
    member: Member
    values: dict[str, Any]


class _Name:
    """A value as a script names it (``r2``, ``d0``): its repr is the name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def draw_plan(data: Any, contract: Contract, methods: list[Member], steps: int) -> list[_Step]:
    """A sequence of calls; each argument drawn afresh or, at times, a value an earlier step saw."""
    plan: list[_Step] = []
    count = data.draw(st.integers(1, steps) | st.just(steps))  # full-length plans often: state needs steps to build up
    reuse = data.draw(st.integers(0, 4))  # how often this plan reuses what it saw, from never to mostly (swarm testing)
    for _ in range(count):
        m = data.draw(st.sampled_from(methods))
        values = draw_values(data, contract, m)
        drawn = dict(values)
        for p in m.parameters:
            if p.name not in values:
                continue
            pool: list[Any] = []
            for i, earlier in enumerate(plan):
                pool += [
                    v for q in earlier.member.parameters if q.annotation == p.annotation and (v := earlier.values.get(q.name)) is not None
                ]
                if earlier.member.returns == p.annotation:
                    pool.append(_Result(i, values[p.name]))
            if pool and data.draw(st.integers(1, 4)) <= reuse:
                pick = data.draw(st.sampled_from(pool))
                values[p.name] = attrs.evolve(pick, fallback=values[p.name]) if isinstance(pick, _Result) else pick
            elif _seen(values[p.name], pool):
                # not reused, so new: Hypothesis likes to repeat a value within an example ("0" again), and a plan
                # must reach several keys, names or ids (the state a store with a bound only shows then)
                values[p.name] = _fresh(data, contract, m, p.name, values[p.name], pool)
        if values != drawn and not _admissible(contract, m, values):
            values = dict(drawn)  # a reused or distinct value the member's own rules refuse: keep what was drawn
        for name, v in values.items():
            if isinstance(v, DoubleSpec) and not any(v is w for earlier in plan for w in earlier.values.values()):
                # a double drawn for this step: a label of its own, so its calls and answers are its own
                values[name] = attrs.evolve(v, label=f"{v.label}_{len(plan)}")
        plan.append(_Step(m, values))
    return plan


def _fresh(data: Any, contract: Contract, m: Member, name: str, value: Any, pool: list[Any]) -> Any:
    """A value for ``name`` that no earlier step used: plain text is made distinct as its other normal form where
    it has one (``'e\\u0301'`` for ``'é'``: two keys that look alike), else plain text or a plain int by a suffix
    or an offset; any other domain is drawn again, twice at most, through its own ``draws`` clause if it has one."""
    p = m.parameter(name)
    narrowed = any(isinstance(c.rule, Draws) and c.rule.parameter == name for c in contract.rules(m.name, Draws))
    plain = p.domain.base in (str, int) and typing.get_origin(p.domain.base) is None and _plain_annotation(p.annotation)
    if plain and not narrowed and not p.domain.bounds and type(value) is str:
        for form in ("NFD", "NFC"):
            other = unicodedata.normalize(form, value)
            if other != value and not _seen(other, pool):
                return other
    if plain and not narrowed and not p.domain.bounds and type(value) in (str, int):
        for n in range(len(pool) + 1, 2 * len(pool) + 2):
            candidate = f"{value}{n}" if isinstance(value, str) else value + n
            if not _seen(candidate, pool):
                return candidate
    strategy = parameter_strategy(contract, m, name)
    for _ in range(2 if strategy is not None else 0):
        value = data.draw(strategy)
        if not _seen(value, pool):
            break
    return value


def _plain_annotation(annotation: Any) -> bool:
    """Plain text or int, marked or not (``NonEmpty[str]``), not a ``Literal`` of some of them."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation in (str, int)


def _admissible(contract: Contract, m: Member, values: dict[str, Any]) -> bool:
    """Whether plain values keep the member's own rules: its ``draws`` narrowings and ``requires`` preconditions."""
    plain = {k: v for k, v in values.items() if not isinstance(v, _Result | DoubleSpec)}
    for c in contract.rules(m.name, Draws):
        rule = c.rule
        if isinstance(rule, Draws) and rule.contains is not None and rule.parameter in plain:
            try:
                if not rule.contains(plain[rule.parameter]):
                    return False
            except Exception:
                return False
    for c in contract.rules(m.name, Requires):
        rule = c.rule
        if isinstance(rule, Requires) and rule.wants <= set(plain):
            try:
                if not rule.predicate(**{k: plain[k] for k in rule.wants}):
                    return False
            except Exception:
                return False
    return True


def _seen(value: Any, pool: list[Any]) -> bool:
    """Whether a value equals one already in the pool (by type and ``==``; a value that cannot compare: no)."""
    for v in pool:
        if isinstance(v, _Result) or type(v) is not type(value):
            continue
        try:
            if v == value:
                return True
        except Exception:
            continue
    return False


class _Run:
    """One target driven through a plan: its instance, what each step returned, and the script so far."""

    def __init__(self, s: Subject, ctor_values: dict[str, Any], instance: Any, log: CallLog) -> None:
        self.subject = s
        self.ctor_values = ctor_values
        self.instance = instance
        self.log = log
        self.results: list[Any] = []
        self.fits: list[bool] = []
        self.doubles: dict[int, Any] = {}
        self.names: dict[int, str] = {}
        self.script: list[str] = []
        self.specs: list[DoubleSpec] = []

    def resolve(self, step: _Step, returns: DoubleReturns) -> tuple[dict[str, Any], dict[str, Any]]:
        """The values the call gets, and the values as the script names them."""
        real: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        for name, drawn in step.values.items():
            v = drawn
            if isinstance(v, _Result):
                p = step.member.parameter(name)
                if v.step < len(self.results) and self.fits[v.step] and type_problem(self.results[v.step], p.annotation, name) is None:
                    real[name], shown[name] = self.results[v.step], _Name(f"r{v.step}")
                    continue
                v = v.fallback
            if isinstance(v, DoubleSpec):
                if id(v) not in self.doubles:
                    self.doubles[id(v)] = materialize(v, self.log, returns)
                    self.names[id(v)] = f"d{len(self.names)}"
                    self.specs.append(v)
                    self.script.append(f"{self.names[id(v)]} = {_source(v)}")
                real[name], shown[name] = self.doubles[id(v)], _Name(self.names[id(v)])
                continue
            real[name], shown[name] = v, v
        if any(isinstance(v, _Result) for v in step.values.values()) and not _admissible(self.subject.contract, step.member, real):
            # an earlier result the member's own rules refuse here: the drawn values instead
            for name, v in step.values.items():
                if isinstance(v, _Result) and not isinstance(v.fallback, DoubleSpec):
                    real[name], shown[name] = v.fallback, v.fallback
        return real, shown

    def record(self, index: int, call: Call, made: Made, verdict: Verdict) -> None:
        """Step ``index`` went through clean: keep its result for later steps and its line for the script."""
        outcome = made.outcome
        returned = outcome is not None and outcome.returned
        self.results.append(outcome.value if outcome is not None and returned else None)
        self.fits.append(returned)
        plan = self.subject.plans[call.member.name]
        assert plan is not None
        args, kwargs = plan.split(call.member, call.shown or {}, by_position=call.by_position)
        text = _call_text(f"target.{call.member.name}", args, kwargs)
        text = f"await {text}" if call.member.is_async else text  # the script runs its steps on one loop
        if outcome is not None and outcome.error is not None:
            # it raised what the contract allows (a rejection, a raises clause): the script expects it too
            name = type(outcome.error).__name__
            caught = name if getattr(builtins, name, None) is type(outcome.error) else "Exception"
            self.script += ["try:", f"    {text}", f"except {caught}:", "    pass"]
            return
        self.script.append(f"r{index} = {text}")
        if isinstance(verdict, Returned):  # the clauses the checker judged on this step, replayed as it did
            contract = self.subject.contract
            self.script += [ensures_line(contract, c, call, f"r{index}") for c in contract.rules(call.member.name, Ensures)]


def run_sequences(driver: Driver, inside: InDomain, subjects: list[Subject], steps: int, data: Any) -> list[Candidate]:
    """One generated plan, run on every target; each target's first violation, then the steps compared."""
    contract = driver.contract
    methods = [m for m in contract.members if m.role == "method" and all(s.callable_member(m.name) for s in subjects)]
    if not methods:
        return []
    plan = draw_plan(data, contract, methods, steps)
    ctor = contract.constructor
    ctor_values = draw_values(data, contract, ctor) if ctor is not None else {}
    returns = DrawnReturns(data, contract)
    runs: list[_Run] = []
    for s in subjects:
        log = CallLog()
        built = driver.build(s, ctor_values if s.mode != "zero" else {}, log, returns)
        if built.returned:
            runs.append(_Run(s, ctor_values if s.mode != "zero" else {}, built.value, log))
    out: list[Candidate] = []
    live = list(runs)
    compare = len(runs) >= 2
    for index, step in enumerate(plan):
        verdicts: list[tuple[Subject, Verdict, Call]] = []
        for run in list(live):
            real, shown = run.resolve(step, returns)
            call = Call(
                run.subject,
                step.member,
                run.ctor_values,
                real,
                before=tuple(run.script),
                shown=shown,
                uses=tuple(run.specs),
            )
            made = driver.call_on(run.instance, call, run.log, returns)
            found, verdict = inside.judge(call, made, returns)
            if found or verdict is None:
                out.extend((run.subject, v) for v in found)
                live.remove(run)
                compare = False
                continue
            run.record(index, call, made, verdict)
            verdicts.append((run.subject, verdict, call))
        if compare and len(verdicts) >= 2:
            clauses = contract.rules(step.member.name, Comparable)
            disagree = differential_between(step.member.name, verdicts, clauses[0].id if clauses else None)
            if disagree:
                out.extend(disagree)
                compare = False
        if not live:
            break
    return out
