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
same values (``get(f"k{i}")``), then goes on as a plan of ordinary steps that may reuse the loops' values. Each
call of a loop is judged and compared like a step; the script writes the loop as a ``for`` loop.

Where the contract says what a dependency's failure means, a plan also schedules faults between steps: a double
(the constructor's, or one an earlier step passed) starts failing, and may recover later; the script shows it
(``d0.fail(ConnectionError(...))``, ``d0.heal()``). See ``_plan`` for what a plan is made of.
"""

from __future__ import annotations

import builtins
import typing
import unicodedata
from typing import Any

import attrs
from hypothesis import strategies as st

from interlock._options import DEFAULT_STEPS as SEQUENCE_STEPS
from interlock.contracts._model import Comparable, Contract, Draws, Ensures, Member
from interlock.properties._differential import differential_between
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._draw import DrawnReturns, draw_values, parameter_strategy
from interlock.properties._driver import Call, Driver, Made
from interlock.properties._explore import Candidate
from interlock.properties._in_domain import InDomain, ensures_line
from interlock.properties._plan import (
    FAULT_MESSAGE,
    Bulk,
    Entry,
    Fault,
    Result,
    Series,
    Step,
    admissible,
    cascaded,
    dependencies,
    draw_fault,
    draw_loops,
    fault_errors,
    iterate,
    passed,
    plain_annotation,
)
from interlock.properties._report import Violation
from interlock.properties._strategies import INT_MAX, INT_MIN
from interlock.properties._subject import DoubleSpec, Subject, _call_text, _source, build_text, materialize, reproducer
from interlock.properties._types import type_problem
from interlock.properties._values import describe_error
from interlock.properties._verdicts import Returned, Verdict

__all__ = ["SEQUENCE_STEPS", "run_sequences"]


class _Name:
    """A value as a script names it (``r2``, ``d0``): its repr is the name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


@attrs.frozen
class Sharing:
    """Other instances of the target, built on the same dependencies as the first (state a target keeps per
    dependency, in a class-level dict keyed by it, is reached only so): each one's constructor values, drawn, with
    the ``shared`` parameters given the first instance's doubles."""

    others: list[dict[str, Any]]
    shared: tuple[str, ...]


_SHARE = st.integers(0, 3).map(lambda n: n == 3)  # one plan in four; shrinks to one instance


def draw_sharing(data: Any, contract: Contract, subjects: list[Subject]) -> Sharing | None:
    """Where the constructor takes ``Protocol``-typed dependencies, one plan in four has one or two more instances,
    built on some of the first's doubles (at least one; each of the others too, or not); None otherwise."""
    ctor = contract.constructor
    names = [name for name, _ in dependencies(contract) if isinstance(name, str)]
    if ctor is None or not names or any(s.mode == "zero" or s.head is not None for s in subjects):
        return None
    if not data.draw(_SHARE):
        return None
    count = data.draw(st.integers(1, 2))
    shared = tuple(n for n in names if data.draw(st.booleans())) or (names[0],)
    return Sharing([draw_values(data, contract, ctor) for _ in range(count)], shared)


def draw_plan(data: Any, contract: Contract, methods: list[Member], steps: int, instances: int = 1) -> list[Entry]:
    """A sequence of calls; each argument drawn afresh or, at times, a value an earlier step saw.

    About one plan in ``LONG_SHARE`` starts with loops over many distinct values (``_plan.draw_loops``); where the
    contract says what a dependency's failure means, faults are scheduled between steps (``_plan.draw_fault``).
    With several ``instances`` (``Sharing``), each step calls one of them, drawn.
    """
    plan: list[Entry] = list(draw_loops(data, contract, methods, steps))
    reuse = data.draw(st.integers(0, 4))  # how often this plan reuses what it saw, from never to mostly (swarm testing)
    errors = fault_errors(contract)
    failing: list[str | DoubleSpec] = []
    pick = st.sampled_from(methods)
    for k in range(steps):
        # one draw per step, which starts with whether the plan goes on: the shrinker drops a step's whole draw (a
        # fault before it, if any, and the call), so a reproducer keeps only the steps its failure needs
        _STEP_ARGS.append((contract, methods, pick, plan, reuse, errors, failing, instances, k == 0))
        try:
            entries = data.draw(_STEP)
        finally:
            _STEP_ARGS.pop()
        if entries is None:
            break
        plan += entries
    return plan


_STOP = st.integers(0, 11).map(lambda n: n == 0)  # a plan goes on eleven times in twelve: full length often (state
# needs steps to build up), and what the shrinker lowers it to is the end of the plan


_STEP_ARGS: list[tuple[Any, ...]] = []
"""What the step being drawn is drawn for: one strategy object serves every step (a strategy built per step is
validated per step, which costs more than drawing it)."""


@st.composite
def _next_step(draw: Any) -> list[Entry] | None:
    *args, first = _STEP_ARGS[-1]
    return _step(draw, *args, first=first)


_STEP = _next_step()


def _step(
    draw: Any,
    contract: Contract,
    methods: list[Member],
    pick: Any,
    plan: list[Entry],
    reuse: int,
    errors: tuple[type[Exception], ...],
    failing: list[str | DoubleSpec],
    instances: int,
    *,
    first: bool,
) -> list[Entry] | None:
    """A step, with the fault scheduled before it if any; None where the plan ends (never before its first step)."""
    data = _Drawer(draw)
    if not first and data.draw(_STOP):
        return None
    out: list[Entry] = []
    fault = draw_fault(data, errors, [*dependencies(contract), *passed(plan)], failing) if errors else None
    if fault is not None:
        out.append(fault)
    dependent = _dependent(contract, methods)
    if dependent and (fault is not None or any(isinstance(e, Fault) for e in plan)) and data.draw(_NEAR_FAULT):
        # a plan with faults calls, every other step, a member the contract says a dependency's failure concerns:
        # "fail, call it, heal, call it again" is what shows a target broken for good by one failure
        m = data.draw(st.sampled_from(dependent))
    else:
        m = data.draw(pick)
    on = data.draw(st.integers(0, instances - 1)) if instances > 1 else 0
    values = draw_values(data, contract, m)
    drawn = dict(values)
    reused = 0  # a step that reuses one value (a key) seldom reuses the next (its value): "set k, set k again" overwrites
    for p in m.parameters:
        if p.name not in values:
            continue
        pool: list[Any] = []
        for i, earlier in enumerate(plan):
            if isinstance(earlier, Fault):
                continue
            pool += _seen_values(earlier, p.annotation)
            if isinstance(earlier, Step) and earlier.member.returns == p.annotation:
                pool.append(Result(i, values[p.name]))
        if pool and data.draw(st.integers(1, 4 * 2**reused)) <= reuse:
            reused += 1
            pick = data.draw(st.sampled_from(pool))
            values[p.name] = attrs.evolve(pick, fallback=values[p.name]) if isinstance(pick, Result) else pick
            other = _other_form(contract, m, p.name, pick)
            if other is not None and data.draw(_LOOKALIKE):
                values[p.name] = other  # a key that looks like the one seen and is not it
        elif (twins := _twins(contract, m, p.name, pool)) and data.draw(_TWIN):
            values[p.name] = data.draw(st.sampled_from(twins))  # new, and only a letter's case or a space from a seen one
        elif _seen(values[p.name], pool):
            # not reused, so new: Hypothesis likes to repeat a value within an example ("0" again), and a plan
            # must reach several keys, names or ids (the state a store with a bound only shows then)
            values[p.name] = _fresh(data, contract, m, p.name, values[p.name], pool)
    if values != drawn and not admissible(contract, m, values):
        values = dict(drawn)  # a reused or distinct value the member's own rules refuse: keep what was drawn
    for name, v in values.items():
        if isinstance(v, DoubleSpec) and not any(v is d for d, _ in passed(plan)):
            # a double drawn for this step: a label of its own, so its calls and answers are its own
            values[name] = attrs.evolve(v, label=f"{v.label}_{len(plan) + len(out)}")
    out.append(Step(m, values, on=on))
    return out


_NEAR_FAULT = st.booleans()


def _dependent(contract: Contract, methods: list[Member]) -> list[Member]:
    """The members with a clause that names ``cascade`` (what a dependency's failure means for them), where they
    are some of the plan's members but not all (all of them: any step calls one already)."""
    names = {c.member for c in contract.clauses if c.member is not None and "cascade" in c.kinds}
    chosen = [m for m in methods if m.name in names]
    return chosen if len(chosen) < len(methods) else []


class _Drawer:
    """A composite strategy's ``draw`` as the ``data.draw`` the drawing helpers take."""

    __slots__ = ("draw",)

    def __init__(self, draw: Any) -> None:
        self.draw = draw


def _seen_values(earlier: Step | Bulk, annotation: Any) -> list[Any]:
    """The values of an earlier entry's parameters of this annotation; of a loop, its first, middle and last."""
    params = [q for q in earlier.member.parameters if q.annotation == annotation]
    if not params:
        return []
    if isinstance(earlier, Step):
        return [v for q in params if (v := earlier.values.get(q.name)) is not None]
    out: list[Any] = []
    for i in dict.fromkeys((0, earlier.count // 2, earlier.count - 1)):
        at = earlier.at(i)
        out += [v for q in params if (v := at.get(q.name)) is not None and not _seen(v, out)]
    return out


_LOOKALIKE = st.integers(0, 3).map(lambda n: n == 3)  # one reuse in four, of a text with another normal form


_TWIN = st.integers(0, 3).map(lambda n: n == 3)
"""One new plain text in four, where earlier steps used plain text, is a twin of one of those (``_twins``)."""


def _plain_text(contract: Contract, m: Member, name: str) -> bool:
    """Whether the parameter takes any text: a ``str`` with no bounds, no ``draws`` clause and no other rule
    its annotation carries, so that a text made from another one is in its domain too."""
    p = m.parameter(name)
    narrowed = any(isinstance(c.rule, Draws) and c.rule.parameter == name for c in contract.rules(m.name, Draws))
    return not narrowed and not p.domain.bounds and p.domain.base is str and plain_annotation(p.annotation)


def _twins(contract: Contract, m: Member, name: str, pool: list[Any]) -> list[str]:
    """Texts no earlier step used that differ from one it did only in letter case (``'key'`` and ``'KEY'``) or
    in white space around it (``'key '`` and ``'key'``): a store that folds case or trims its keys
    answers for a key it was never given. Empty where the parameter is not plain text."""
    texts = [v for v in pool if type(v) is str]
    if not texts or not _plain_text(contract, m, name):
        return []
    out: list[str] = []
    for twin in [v.swapcase() for v in texts] + [v.strip() if v.strip() != v else f"{v} " for v in texts]:
        if twin.strip() and twin not in out and not _seen(twin, pool):
            out.append(twin)
    return out


def _other_form(contract: Contract, m: Member, name: str, value: Any) -> str | None:
    """The other normal form of a plain text value, where it has one and the parameter is plain text."""
    if type(value) is not str or value.isascii() or not _plain_text(contract, m, name):
        return None
    for form in ("NFD", "NFC"):
        other = unicodedata.normalize(form, value)
        if other != value:
            return other
    return None


def _fresh(data: Any, contract: Contract, m: Member, name: str, value: Any, pool: list[Any]) -> Any:
    """A value for ``name`` that no earlier step used: plain text is made distinct as its other normal form where
    it has one (``'e\\u0301'`` for ``'é'``: two keys that look alike), else plain text or a plain int by a suffix
    or an offset; any other domain is drawn again, twice at most, through its own ``draws`` clause if it has one."""
    p = m.parameter(name)
    narrowed = any(isinstance(c.rule, Draws) and c.rule.parameter == name for c in contract.rules(m.name, Draws))
    plain = p.domain.base in (str, int) and typing.get_origin(p.domain.base) is None and plain_annotation(p.annotation)
    if plain and not narrowed and not p.domain.bounds and type(value) is str:
        for form in ("NFD", "NFC"):
            other = unicodedata.normalize(form, value)
            if other != value and not _seen(other, pool):
                return other
    if plain and not narrowed and not p.domain.bounds and type(value) in (str, int):
        for n in range(len(pool) + 1, 2 * len(pool) + 2):
            # an int is moved down where up would leave the range it is drawn in (2**63 - 1 seen: 2**63 - 3)
            candidates = [f"{value}{n}"] if isinstance(value, str) else [c for c in (value + n, value - n) if INT_MIN <= c <= INT_MAX]
            for candidate in candidates:
                if not _seen(candidate, pool):
                    return candidate
    strategy = parameter_strategy(contract, m, name)
    for _ in range(2 if strategy is not None else 0):
        value = data.draw(strategy)
        if not _seen(value, pool):
            break
    return value


def _seen(value: Any, pool: list[Any]) -> bool:
    """Whether a value equals one already in the pool (by type and ``==``; a value that cannot compare: no)."""
    for v in pool:
        if isinstance(v, Result) or type(v) is not type(value):
            continue
        try:
            if v == value:
                return True
        except Exception:
            continue
    return False


class _Run:
    """One target driven through a plan: its instance, what each step returned, and the script so far."""

    def __init__(self, s: Subject, ctor_values: dict[str, Any], instance: Any, log: CallLog, ctor_doubles: dict[str, Any]) -> None:
        self.subject = s
        self.ctor_values = ctor_values
        self.instances = [instance]
        """The instance every step calls, and those built on its dependencies (``Sharing``), in the plan's order."""
        self.receivers = ["target"]
        self.log = log
        self.ctor_doubles = ctor_doubles
        """The constructor's doubles a scheduled fault names, by parameter (built before the target, to be told to fail)."""
        self.injected: list[BaseException] = []
        """The errors this run's doubles were told to raise."""
        self.drawn = ctor_values
        self.results: list[Any] = []
        self.fits: list[bool] = []
        self.doubles: dict[int, Any] = {}
        self.names: dict[int, str] = {}
        self.script: list[str] = []
        self.specs: list[DoubleSpec] = []
        self.step: Step | None = None
        self.caught: list[str] = []
        """In a loop: the exceptions its calls so far raised as the contract allows (the script's loop catches them)."""
        self.judged = True
        """In a loop: whether every call so far returned and had its clauses judged (the script's loop replays them)."""
        self.body: list[str] | None = None

    def before(self, step: Step) -> tuple[str, ...]:
        """The script before ``step``: the steps so far and, inside a loop, the loop's calls before this one."""
        if step.bulk is None or step.i == 0:
            return tuple(self.script)
        return (*self.script, f"for i in range({step.i}):", *self._body(step.bulk))

    def _body(self, bulk: Bulk) -> list[str]:
        """The script's loop body: the call with its values written in ``i``, and the clauses judged on it."""
        if self.body is not None:
            return self.body
        index = len(self.results)
        shown = {k: _Name(v.source()) if isinstance(v, Series) else self._shown(v) for k, v in bulk.values.items()}
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

    def resolve(self, step: Step, returns: DoubleReturns) -> tuple[dict[str, Any], dict[str, Any]]:
        """The values the call gets, and the values as the script names them."""
        self.step = step
        if step.bulk is not None and step.i == 0:  # a loop starts
            self.caught, self.judged, self.body = [], True, None
        real: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        for name, drawn in step.values.items():
            v = drawn
            if isinstance(v, Result):
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
        if any(isinstance(v, Result) for v in step.values.values()) and not admissible(self.subject.contract, step.member, real):
            # an earlier result the member's own rules refuse here: the drawn values instead
            for name, v in step.values.items():
                if isinstance(v, Result) and not isinstance(v.fallback, DoubleSpec):
                    real[name], shown[name] = v.fallback, v.fallback
        return real, shown

    def schedule(self, fault: Fault) -> None:
        """A scheduled fault or recovery, on this target's own double, and its line in the script."""
        self.results.append(None)  # an entry of the plan: nothing a later step can reuse
        self.fits.append(False)
        name = self._name(fault.double)
        if name is None:
            return  # a double this target was not given (a factory that takes no arguments, a None dependency)
        double = self.doubles[id(name[1])]
        if fault.error is None:
            double.heal()
            self.script.append(f"{name[0]}.heal()")
            return
        error = fault.error(FAULT_MESSAGE)
        self.injected.append(error)
        double.fail(error, methods=fault.methods)
        only = f", methods={fault.methods!r}" if fault.methods else ""
        self.script.append(f"{name[0]}.fail({fault.error.__name__}({FAULT_MESSAGE!r}){only})")

    def _name(self, ref: str | DoubleSpec) -> tuple[str, DoubleSpec] | None:
        """How the script names the double a fault is for; a constructor's is named where the target is built,
        ``target = Client(transport=(d0 := double(Transport)))``, the first time a fault names it."""
        spec = ref if isinstance(ref, DoubleSpec) else self.drawn.get(ref)
        if not isinstance(spec, DoubleSpec):
            return None
        if id(spec) not in self.names:
            if not isinstance(ref, str) or ref not in self.ctor_doubles:
                return None
            name = f"d{len(self.names)}"
            self.names[id(spec)], self.doubles[id(spec)] = name, self.ctor_doubles[ref]
            self.specs.append(spec)
            self.ctor_values = {**self.ctor_values, ref: _Name(f"({name} := {_source(spec)})")}
        return self.names[id(spec)], spec

    def share(self, driver: Driver, sharing: Sharing, returns: DoubleReturns) -> Violation | None:
        """Build the other instances on this run's shared doubles; a constructor that fails so is a violation."""
        s = self.subject
        for k, other in enumerate(sharing.others, 1):
            real, shown = dict(other), dict(other)
            for n in sharing.shared:
                named = self._name(n)
                if named is None:  # not a double (None): the same value
                    real[n] = shown[n] = self.drawn.get(n)
                else:
                    real[n], shown[n] = self.ctor_doubles[n], _Name(named[0])
            self.specs += [v for n, v in other.items() if n not in sharing.shared and isinstance(v, DoubleSpec)]
            receiver = f"target_{k}"
            line = f"{receiver} = {build_text(s, shown)}"
            built = driver.build(s, real, self.log, returns)
            if not built.returned:
                on = ", ".join(sharing.shared)
                error = built.error if built.error is not None else RuntimeError("no instance")
                what = f"did not return within {driver.runner.timeout:g}s" if built.timed_out else f"raised {describe_error(error)}"
                example = reproducer(s, self.ctor_values, extra=[*self.script, line], uses=tuple(self.specs))
                return s.violation(
                    "timeout" if built.timed_out else "unexpected-exception",
                    "__init__",
                    None,
                    f"__init__: {what} building another target on the same {on} as the first; the contract allows no exception here",
                    example,
                )
            self.script.append(line)
            self.instances.append(built.value)
            self.receivers.append(receiver)
        return None

    def cascaded(self, found: list[Violation], made: Made) -> list[Violation]:
        """``cascade`` for what a scheduled fault caused (``_plan.cascaded``)."""
        error = made.outcome.error if made.outcome is not None else None
        return cascaded(found, error, self.injected, self.subject.contract)

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
        text = _call_text(f"{call.receiver}.{call.member.name}", args, kwargs)
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

    def _record_loop(self, step: Step, bulk: Bulk, outcome: Any, verdict: Verdict) -> None:
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
    sharing = draw_sharing(data, contract, subjects)
    plan = draw_plan(data, contract, methods, steps, 1 + len(sharing.others) if sharing is not None else 1)
    ctor = contract.constructor
    ctor_values = draw_values(data, contract, ctor) if ctor is not None else {}
    returns = DrawnReturns(data, contract)
    # the constructor's doubles a fault names or other instances share: built here, so the run can tell them to
    # fail and give them to the others
    kept = {f.double for f in plan if isinstance(f, Fault) and isinstance(f.double, str)} | set(sharing.shared if sharing else ())
    runs: list[_Run] = []
    out: list[Candidate] = []
    for s in subjects:
        log = CallLog()
        values = ctor_values if s.mode != "zero" else {}
        doubles = {k: materialize(v, log, returns) for k, v in values.items() if k in kept and isinstance(v, DoubleSpec)}
        first = s.built_with is None
        built = driver.build(s, {**values, **doubles}, log, returns)
        if first and s.built_with is not None:
            s.built_with = values  # what was drawn, not this run's doubles
        if not built.returned:
            continue
        run = _Run(s, values, built.value, log, doubles)
        broke = run.share(driver, sharing, returns) if sharing is not None else None
        if broke is not None:
            out.append((s, broke))
            continue
        runs.append(run)
    live = list(runs)
    compare = len(runs) >= 2
    for index, step in iterate(plan):
        if isinstance(step, Fault):  # a dependency fails or recovers, for every target alike
            for run in live:
                run.schedule(step)
            continue
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
                receiver=run.receivers[step.on],
            )
            made = driver.call_on(run.instances[step.on], call, run.log, returns)
            found, verdict = inside.judge(call, made, returns)
            found = run.cascaded(found, made)
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
