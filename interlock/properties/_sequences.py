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

About one plan in ``LONG_SHARE`` is long: it starts with a loop of a command over many distinct values
(``put(f"k{i}", i)`` for ``i`` below a drawn count), often followed by a second loop of another member over the
same values (``get(f"k{i}")``), then goes on as a plan of ordinary steps that may reuse the loops' values. A loop
is drawn as a member, a count and one base value per parameter, so it costs a few draws whatever its length,
shrinks by its count, and its reproducer is a ``for`` loop. Its calls are judged and compared one by one like
any step. Each loop makes at most ``LONG_PER_STEP`` x ``steps`` calls; ``steps=1`` turns long plans off.
"""

from __future__ import annotations

import builtins
import typing
import unicodedata
from collections.abc import Iterator
from typing import Any, Final

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
from interlock.properties._values import py_repr
from interlock.properties._verdicts import Returned, Verdict

__all__ = ["LONG_PER_STEP", "LONG_SHARE", "SEQUENCE_STEPS", "run_sequences"]

LONG_SHARE: Final = 8
"""About one generated plan in ``LONG_SHARE`` is long (where the contract has a command that loops, see ``_draw_loops``)."""
LONG_PER_STEP: Final = 40
"""Each of a long plan's (at most two) loops makes at most ``LONG_PER_STEP`` x ``steps`` calls: 320 at the default 8
steps, past the round sizes where bounds sit (100, 128, 256, 300)."""


@attrs.frozen
class _Result:
    """An argument that reuses step ``step``'s result where it fits the parameter, else ``fallback``."""

    step: int
    fallback: Any


@attrs.frozen
class _Series:
    """A loop's argument that changes with its ``i``: ``base + i`` for an int, ``f"{base}{i}"`` for text."""

    base: Any

    def at(self, i: int) -> Any:
        return self.base + i if isinstance(self.base, int) else f"{self.base}{i}"

    def source(self) -> str:
        """The value as the script's loop writes it, an expression in ``i``."""
        shown = py_repr(self.base)
        if isinstance(self.base, int):
            return "i" if self.base == 0 else f"{shown} + i"
        if shown[:1] in "'\"" and shown[-1:] == shown[:1] and "{" not in shown and "}" not in shown:
            return f"f{shown[:-1]}{{i}}{shown[-1]}"
        return f"{shown} + str(i)"


@attrs.frozen
class _Bulk:
    """A loop of ``count`` calls of one member: fixed values, and ``_Series`` that change with the loop's ``i``."""

    member: Member
    values: dict[str, Any]
    count: int

    def at(self, i: int) -> dict[str, Any]:
        return {k: v.at(i) if isinstance(v, _Series) else v for k, v in self.values.items()}


@attrs.frozen
class _Step:
    member: Member
    values: dict[str, Any]
    bulk: _Bulk | None = None
    """For one call of a loop: the loop, and this call's ``i``."""
    i: int = 0


def _iterate(plan: list[_Step | _Bulk]) -> Iterator[tuple[int, _Step]]:
    """The plan's calls, a loop's one by one, each with the index of its plan entry."""
    for index, entry in enumerate(plan):
        if isinstance(entry, _Bulk):
            for i in range(entry.count):
                yield index, _Step(entry.member, entry.at(i), entry, i)
        else:
            yield index, entry


class _Name:
    """A value as a script names it (``r2``, ``d0``): its repr is the name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def draw_plan(data: Any, contract: Contract, methods: list[Member], steps: int) -> list[_Step | _Bulk]:
    """A sequence of calls; each argument drawn afresh or, at times, a value an earlier step saw.

    About one plan in ``LONG_SHARE`` starts with loops over many distinct values (see ``_draw_loops``).
    """
    plan: list[_Step | _Bulk] = list(_draw_loops(data, contract, methods, steps))
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
                pool += _seen_values(earlier, p.annotation)
                if isinstance(earlier, _Step) and earlier.member.returns == p.annotation:
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


def _seen_values(earlier: _Step | _Bulk, annotation: Any) -> list[Any]:
    """The values of an earlier entry's parameters of this annotation; of a loop, its first, middle and last."""
    params = [q for q in earlier.member.parameters if q.annotation == annotation]
    if not params:
        return []
    if isinstance(earlier, _Step):
        return [v for q in params if (v := earlier.values.get(q.name)) is not None]
    out: list[Any] = []
    for i in dict.fromkeys((0, earlier.count // 2, earlier.count - 1)):
        at = earlier.at(i)
        out += [v for q in params if (v := at.get(q.name)) is not None and not _seen(v, out)]
    return out


_LONG = st.integers(0, LONG_SHARE - 1).map(lambda n: n == LONG_SHARE - 1)  # shrinks to a plan that is not long
_MOSTLY = st.integers(0, 3)  # below 3 three times in four; shrinks to 0


def _draw_loops(data: Any, contract: Contract, methods: list[Member], steps: int) -> list[_Bulk]:
    """A long plan's loops, or none: a first loop of a command over ``n`` distinct values, and, three times in
    four, a second loop of another member over the same values (a query three times in four), so what the first
    stored is read back: ``put`` 300 keys, then ``get`` each.

    A command is a member declared ``-> None`` with a parameter that changes with the loop: plain text or a
    plain int that no ``draws`` clause or bound narrows. The one taking most parameters (``put(key, value)``
    before ``delete(key)``: what stores usually takes more than what forgets) is the first loop three times in
    four. Parameters of one annotation share their values across the two loops (``put``'s key is ``get``'s).
    No draw is made where the contract has no such command, or with ``steps`` 1: those plans are as before.
    """
    longest = LONG_PER_STEP * steps if steps > 1 else 0
    able = [m for m in methods if _varying(contract, m)]
    commands = sorted((m for m in able if m.returns in (None, type(None))), key=lambda m: -len(m.parameters))
    if not longest or not commands or not data.draw(_LONG):
        return []
    queries = [m for m in able if m not in commands]
    # long ones often, as a bound shows only past it; two ranges of integers, not a just(longest): the shrinker
    # moves a count of the second range into the first and then lowers it, where it cannot lower a constant
    n = data.draw(st.integers(1, longest) | st.integers(longest - longest // 4, longest))
    bases: dict[tuple[Any, int], Any] = {}
    loops: list[_Bulk] = []
    first = commands[0] if data.draw(_MOSTLY) < 3 else data.draw(st.sampled_from(commands))
    second = None
    if data.draw(_MOSTLY) > 0:  # shrinks to no second loop
        second = data.draw(st.sampled_from(queries if queries and data.draw(_MOSTLY) < 3 else able))
    for m in (first, second):
        if m is None:
            continue
        values: dict[str, Any] = draw_values(data, contract, m)
        seen: dict[Any, int] = {}
        for name in _varying(contract, m):
            if name in values and type(values[name]) in (str, int):
                p = m.parameter(name)
                ordinal = seen[p.annotation] = seen.get(p.annotation, -1) + 1
                values[name] = bases.setdefault((p.annotation, ordinal), _Series(values[name]))
        for name, v in values.items():
            if isinstance(v, DoubleSpec):  # one double for the whole loop, named apart from the other steps' doubles
                values[name] = attrs.evolve(v, label=f"{v.label}_{len(loops)}")
        count = _admitted(contract, m, values, n)
        if count:
            loops.append(_Bulk(m, values, count))
    return loops


def _varying(contract: Contract, m: Member) -> list[str]:
    """The parameters a loop changes with its ``i``: plain text or a plain int, not narrowed, not bounded."""
    narrowed = {c.rule.parameter for c in contract.rules(m.name, Draws) if isinstance(c.rule, Draws)}
    return [
        p.name
        for p in m.parameters
        if p.name not in narrowed and not p.domain.bounds and p.domain.base in (str, int) and _plain_annotation(p.annotation)
    ]


def _admitted(contract: Contract, m: Member, values: dict[str, Any], n: int) -> int:
    """How many of a loop's first ``n`` calls keep the member's own rules, up to the first that does not."""
    if not contract.rules(m.name, Requires) and not any(
        isinstance(c.rule, Draws) and c.rule.contains for c in contract.rules(m.name, Draws)
    ):
        return n
    bulk = _Bulk(m, values, n)
    for i in range(n):
        if not _admissible(contract, m, bulk.at(i)):
            return i
    return n


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
        self.step: _Step | None = None
        self.caught: list[str] = []
        """In a loop: the exceptions its calls so far raised as the contract allows (the script's loop catches them)."""
        self.judged = True
        """In a loop: whether every call so far returned and had its clauses judged (the script's loop replays them)."""
        self.body: list[str] | None = None

    def before(self, step: _Step) -> tuple[str, ...]:
        """The script before ``step``: the steps so far and, inside a loop, the loop's calls before this one."""
        if step.bulk is None or step.i == 0:
            return tuple(self.script)
        return (*self.script, f"for i in range({step.i}):", *self._body(step.bulk))

    def _body(self, bulk: _Bulk) -> list[str]:
        """The script's loop body: the call with its values written in ``i``, and the clauses judged on it."""
        if self.body is not None:
            return self.body
        index = len(self.results)
        shown = {k: _Name(v.source()) if isinstance(v, _Series) else self._shown(v) for k, v in bulk.values.items()}
        plan = self.subject.plans[bulk.member.name]
        assert plan is not None
        args, kwargs = plan.split(bulk.member, shown)
        text = _call_text(f"target.{bulk.member.name}", args, kwargs)
        text = f"await {text}" if bulk.member.is_async else text
        body = [f"r{index} = {text}"]
        if self.caught:
            body = [
                "try:",
                f"    {body[0]}",
                f"except {self.caught[0] if len(self.caught) == 1 else '(' + ', '.join(self.caught) + ')'}:",
                "    continue",
            ]
        if self.judged:
            contract = self.subject.contract
            call = Call(self.subject, bulk.member, self.ctor_values, shown, shown=shown)
            body += [ensures_line(contract, c, call, f"r{index}") for c in contract.rules(bulk.member.name, Ensures)]
        self.body = [f"    {line}" for line in body]
        return self.body

    def _shown(self, value: Any) -> Any:
        return _Name(self.names[id(value)]) if isinstance(value, DoubleSpec) and id(value) in self.names else value

    def resolve(self, step: _Step, returns: DoubleReturns) -> tuple[dict[str, Any], dict[str, Any]]:
        """The values the call gets, and the values as the script names them."""
        self.step = step
        if step.bulk is not None and step.i == 0:  # a loop starts
            self.caught, self.judged, self.body = [], True, None
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
        step = self.step
        if step is not None and step.bulk is not None:
            self._record_loop(step, step.bulk, outcome, verdict)
            return
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

    def _record_loop(self, step: _Step, bulk: _Bulk, outcome: Any, verdict: Verdict) -> None:
        """A loop's call went through clean; after its last, the loop joins the script (its result is not reused)."""
        if outcome is not None and outcome.error is not None:
            name = type(outcome.error).__name__
            name = name if getattr(builtins, name, None) is type(outcome.error) else "Exception"
            if name not in self.caught:
                self.caught.append(name)
                self.body = None
        elif not isinstance(verdict, Returned) and self.judged:
            self.judged, self.body = False, None
        if step.i == bulk.count - 1:
            self.script += [f"for i in range({bulk.count}):", *self._body(bulk)]
            self.results.append(None)
            self.fits.append(False)


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
    for index, step in _iterate(plan):
        verdicts: list[tuple[Subject, Verdict, Call]] = []
        for run in list(live):
            real, shown = run.resolve(step, returns)
            call = Call(
                run.subject,
                step.member,
                run.ctor_values,
                real,
                before=run.before(step),
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
