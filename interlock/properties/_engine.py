"""The checker: every target against one contract, every check, into one report."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import random
import signal
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st

from interlock.contracts._declare import get_contract, is_contract
from interlock.contracts._model import Clause, Comparable, Contract, Draws, Member, Scenario
from interlock.errors import UsageError
from interlock.properties import _subject
from interlock.properties._checks import SIGNATURE_KINDS
from interlock.properties._constants import pinned_constants
from interlock.properties._database import open_example_db
from interlock.properties._differential import differential_between
from interlock.properties._doubles import Double, StandIns, simple_value
from interlock.properties._draw import DrawnReturns, draw_values
from interlock.properties._driver import Call, Driver
from interlock.properties._explore import Candidate, Explorer
from interlock.properties._in_domain import InDomain
from interlock.properties._internal import InternalError, internal_error
from interlock.properties._out_of_domain import OutOfDomain
from interlock.properties._report import NotChecked, Report, TargetReport, Violation, kind_order
from interlock.properties._runner import IDLE_LIMIT, TEXT_LIMIT, Interrupted, Runner, Where, heard_stops, interruptible, stopped, user_stop
from interlock.properties._scenario import ClauseCodeFailed, play_once, run_load, run_scenario, run_scenario_compared
from interlock.properties._sequences import SEQUENCE_STEPS, run_sequences
from interlock.properties._subject import Subject, _call_text, check_constructor, check_member_signature, signature_example
from interlock.properties._verdicts import Returned

_perf_counter = time.perf_counter
"""Bound when interlock loads: a target that replaces ``time.perf_counter`` cannot move interlock's clock."""

__all__ = ["replay_scenario", "run_check"]


def run_check(
    contract: Contract,
    targets: Sequence[tuple[str, Any, tuple[str, str] | None]],
    *,
    max_examples: int = 100,
    seed: int | None = None,
    timeout: float = 5.0,
    replay: bool | None = None,
    progress: Callable[[str, str | None], None] | None = None,
    sequences: int | None = None,
    steps: int = SEQUENCE_STEPS,
    reference: tuple[str, Any, tuple[str, str] | None] | None = None,
    abandon: Callable[[Report], None] | None = None,
    sockets: StandIns | None = None,
    example_db: str | None = None,
    stuck: Mapping[str, tuple[str, Violation, NotChecked]] | None = None,
    clauses: Sequence[str] | None = None,
) -> Report:
    """Check every target against the contract; see report.md for what is found and how it is reported.

    Without a seed one is drawn and the example database replays known failures first (``replay`` forces
    either): the one ``example_db`` names (``interlock._example_db``), else Hypothesis's own. ``progress`` hears
    which check starts, and on which target (``None``: every target at once). ``sequences``
    generated sequences of at most ``steps`` calls run on every target (``max_examples`` of them by default;
    0 turns the phase off). A ``reference`` (label, object, import path) is first held to the contract on
    in-domain values (a ``UsageError`` when it breaks it), then runs every input and sequence the targets do and
    judges their outcomes; it is never reported.

    ``abandon`` is told the report of what was found so far when a call cannot be stopped (it holds on past its
    limit in code no signal reaches); it is called from the watchdog thread and should end the process. With it (the
    command, an isolated child), ``SIGINT`` or ``SIGTERM`` ends the run with the report so far, marked interrupted;
    without it (the Python API), they raise ``KeyboardInterrupt`` once the run has cleaned up.

    ``sockets`` (``--sockets real``) is opened before the checks and closed after them however the run ends; the
    scenarios take their sockets from it, and the clauses it has a load phase for run that phase too.

    ``stuck`` gives, by target label, a member an earlier (isolated) run was ended in, with its ``timeout`` and
    note: the member is not called, and the rest of the target is checked.

    ``clauses`` (ids of the contract's clauses) limits the run to the checks that judge them (``Selection``); the
    signatures are always compared, and what was left out is in each target's ``not_checked``.
    """
    started = _perf_counter()
    selection = Selection.of(contract, clauses)
    _subject.START_DIR = os.getcwd()
    if replay is None:
        replay = seed is None
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    database: Any = None
    close_database: Callable[[], None] = _nothing
    if replay and example_db is not None:
        database, close_database = open_example_db(example_db)
    elif replay:
        database = settings().database  # Hypothesis's own
    scope = "|".join([contract.name, ",".join(label for label, _, _ in targets), *([f"reference={reference[0]}"] if reference else [])])
    explorer = Explorer(seed=seed, max_examples=max_examples, database=database, progress=progress, scope=scope)
    runner = Runner(timeout)
    subjects = [Subject(label=label, obj=obj, contract=contract, import_path=path) for label, obj, path in targets]
    for subject in subjects:
        if stuck and subject.label in stuck:  # an isolated run's child was ended in this member: its timeout, never again
            member, violation, note = stuck[subject.label]
            subject.skip.add(member)
            subject.record(violation)
            subject.not_checked.append(note)
    guard = _Guard()

    def report(interrupted: str | None = None) -> Report:
        for s in subjects:
            selection.apply(contract, s)
        return Report(
            contract=contract.name,
            seed=seed,
            targets=[_target_report(contract, s) for s in subjects],
            examples=explorer.examples + vetted,
            seconds=_perf_counter() - started,
            members=tuple(m.name for m in contract.members),
            clauses=tuple(c.id for c in contract.clauses),
            internal_errors=guard.errors,
            reference=reference[0] if reference is not None else None,
            interrupted=interrupted,
            notes=run_notes(contract, len(subjects) + (reference is not None)),
        )

    if abandon is not None:
        runner.on_stuck = functools.partial(_stuck, subjects, timeout, report, abandon)
    budget = max_examples if sequences is None else sequences
    vetted = 0
    stop: Interrupted | None = None
    heard: int | None = None
    try:
        objects = [contract.protocol, *(obj for _, obj, _ in targets), *([reference[1]] if reference is not None else [])]
        with warnings.catch_warnings(), interruptible(), heard_stops(), pinned_constants(objects):
            warnings.simplefilter("default")
            if sockets is not None:
                sockets.open(timeout)
                runner.sockets = sockets
            judge: list[Subject] = []
            if reference is not None:
                vetter = Explorer(seed=seed, max_examples=max_examples, database=None, progress=progress)
                _vet_reference(contract, reference, runner, vetter, guard, budget, steps, selection)
                vetted = vetter.examples
                label, obj, path = reference
                judge.append(Subject(label=label, obj=obj, contract=contract, import_path=path, reference=True))
            _check_all(contract, subjects + judge, runner, explorer, guard, budget, steps, selection)
            for j in judge:
                _reference_notes(contract, j, subjects)
            heard = user_stop()  # a stop a target's call took for itself (or a time limit landed on), no call after
    except Interrupted as caught:
        stop = caught
    finally:
        if sockets is not None:
            sockets.close()
        runner.close()
        close_database()
    if stop is None and stopped() is not None:  # raised where a target's code swallowed it, and no call came after
        stop = Interrupted(stopped() or signal.SIGINT)
    if stop is None and heard is not None:
        stop = Interrupted(heard)
    if stop is None:
        return report()
    if abandon is None:
        raise KeyboardInterrupt(str(stop)) from None
    reason = f"{stop} (stopped by the user)"
    for s in subjects:
        s.note(None, None, f"the run stopped early: {reason}; the checks after it did not run")
    return report(reason)


def _nothing() -> None:
    pass


def _stuck(
    subjects: list[Subject], timeout: float, report: Callable[[str | None], Report], abandon: Callable[[Report], None], where: Where
) -> None:
    """A call that cannot be stopped: a ``timeout`` on its member, every target told the run stopped there."""
    s, member = where.target, where.member
    reason = "a call could not be stopped"
    if member is None:  # between calls: the target's code the checker ran outside a call (a __del__, an __eq__)
        label = s.label if isinstance(s, Subject) else "a target"
        reason = f"the run made no progress for {IDLE_LIMIT + 2 * timeout:g}s, stuck in code of {label} run outside a call (a __del__ or an __eq__ that never returns?)"
        if isinstance(s, Subject) and not s.reference:
            s.record(s.violation("timeout", None, None, reason, f"# {reason}"))
    elif isinstance(s, Subject) and not s.reference:
        try:
            example = where.example() if where.example is not None else ""
        except Exception:
            example = ""
        example = example or f"# {member} of {s.label} did not return"
        message = (
            f"{member}: did not return within {timeout:g}s and could not be stopped (code that no signal reaches, such as "
            "a long computation in C, or a target that took the time limit's signal for itself); the run stopped here"
        )
        if where.showing:
            message = (
                f"{member}: a value it returned or raised could not be shown: its __repr__ or __str__ did not return "
                f"within {TEXT_LIMIT:g}s and could not be stopped; the run stopped here"
            )
        s.record(s.violation("timeout", member, None, message, example))
        reason = f"{member} of {s.label} did not return within {timeout:g}s and could not be stopped"
    for t in subjects:
        t.note(None, None, f"the run stopped early: {reason}; the checks after it did not run")
    heard = user_stop()  # a stop the user sent while the call held on: the report says so, and the status is its own
    abandon(report(reason if heard is None else f"{signal.Signals(heard).name} (stopped by the user), while {reason}"))


@attrs.frozen
class _Checks:
    """What checks one contract: the driver that calls targets, and the judges of in- and out-of-domain calls."""

    driver: Driver
    inside: InDomain
    outside: OutOfDomain

    @classmethod
    def of(cls, contract: Contract, runner: Runner, explorer: Explorer) -> _Checks:
        driver = Driver(contract, runner, explorer)
        return cls(driver, InDomain(driver), OutOfDomain(driver))

    @property
    def contract(self) -> Contract:
        return self.driver.contract


class _Guard:
    """Keeps interlock's own failures apart from the targets': one check that fails is an internal error naming
    where it was, and the other checks go on (report.md, "What interlock itself raises")."""

    def __init__(self) -> None:
        self.errors: list[InternalError] = []

    @contextlib.contextmanager
    def at(self, checks: _Checks, target: Subject | None, member: str | None = None, clause: str | None = None) -> Iterator[None]:
        checks.driver.current = target
        checks.driver.explorer.target = target.label if target is not None else None  # its examples are kept under it
        try:
            yield
        except (Exception, ClauseCodeFailed) as exc:
            error = exc.error if isinstance(exc, ClauseCodeFailed) else exc
            who = target or checks.driver.current
            self.errors.append(internal_error(error, who.label if who else None, member, clause))


_INPUT_KINDS = frozenset({"none-propagation", "empty-string", "type-coercion"})


def _vet_reference(
    contract: Contract,
    reference: tuple[str, Any, tuple[str, str] | None],
    runner: Runner,
    explorer: Explorer,
    guard: _Guard,
    sequences: int,
    steps: int,
    selection: Selection,
) -> None:
    """A reference is held to the contract before it judges anyone: every clause on in-domain values, sequences
    included; its input strictness is not checked (a model need not refuse ``None``). One that breaks the contract
    is a usage error naming its first violation."""
    label, obj, path = reference
    s = Subject(label=label, obj=obj, contract=contract, import_path=path, reference=True)
    _check_all(contract, [s], runner, explorer, guard, sequences, steps, selection, vetting=True)
    selection.apply(contract, s)
    broken = [v for v in _target_report(contract, s).violations if not _input_strictness(v)]
    if broken:
        first = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        raise UsageError(
            f"the reference {label} does not conform to {contract.name}: {first.kind}: {first.message}{more}; "
            f"a reference must conform: check it as a target to see every violation"
        )
    if s.build_error is not None:
        raise UsageError(f"the reference {label} cannot be built: {s.build_error}")


def _input_strictness(v: Violation) -> bool:
    """A violation of the Inputs table (a value outside the domain accepted, or refused with the wrong exception)."""
    return v.kind in _INPUT_KINDS or (v.kind == "unexpected-exception" and v.parameter is not None)


def _reference_notes(contract: Contract, judge: Subject, subjects: list[Subject]) -> None:
    """Where the reference itself broke the contract during the run, its outcomes were not compared: said, per target."""
    for v in _target_report(contract, judge).violations:
        if _input_strictness(v):
            continue
        for s in subjects:
            s.note(
                v.member,
                v.clause,
                f"the reference {judge.label} broke the contract here ({v.kind}: {v.message}); not compared on those inputs",
            )


def _check_all(
    contract: Contract,
    subjects: list[Subject],
    runner: Runner,
    explorer: Explorer,
    guard: _Guard,
    sequences: int,
    steps: int,
    selection: Selection,
    *,
    vetting: bool = False,
) -> None:
    """Every check of every subject (of the ``selection``); a reference takes part where targets are compared (the
    sweep, sequences, comparing scenarios) and, while ``vetting`` it, in every clause, but never in the Inputs
    table's checks."""
    checks = _Checks.of(contract, runner, explorer)
    for s in subjects:
        with guard.at(checks, s):
            _signatures(contract, s, checks)
    _check_members(contract, subjects, checks, guard, selection)
    if selection.sequences:
        _sequences(subjects, checks, guard, sequences, steps)
    methods = [m for m in _methods(contract) if selection.member(m.name)]
    for m in methods:
        for clause in contract.rules(m.name, Draws):
            rule = clause.rule
            assert isinstance(rule, Draws)
            if not rule.outside:
                continue
            for s in subjects:
                if s.callable_member(m.name) and s.build_error is None and not s.reference:
                    with guard.at(checks, s, m.name, clause.id):
                        reason = explorer.explore(f"outside_{m.name}", functools.partial(checks.outside.narrowed_outside, s, m, clause))
                        if reason:
                            s.note(m.name, clause.id, reason)
    if selection.ids is None:
        _products(contract, [s for s in subjects if not s.reference], checks, guard)
    walked: set[str] = set()
    for clause in contract.clauses:
        if clause.member is not None or not isinstance(clause.rule, Scenario) or not selection.clause(clause.id):
            continue
        if clause.id in walked:
            continue  # judged by the run of an earlier clause its function also judges
        walked.update(c.id for c in contract.walk(clause))
        if clause.rule.compare:
            if len(subjects) >= 2:
                with guard.at(checks, None, None, clause.id):
                    run_scenario_compared(checks.driver, subjects, clause)
            continue
        for s in subjects:
            if s.reference and not vetting:
                continue
            with guard.at(checks, s, None, clause.id):
                run_scenario(checks.driver, s, clause)
            for loaded in contract.walk(clause):  # a load phase is one clause's own, whichever of a walk's it is
                if selection.clause(loaded.id):
                    with guard.at(checks, s, None, loaded.id):
                        run_load(checks.driver, s, loaded)


def _sequences(subjects: list[Subject], checks: _Checks, guard: _Guard, budget: int, steps: int) -> None:
    """Generated sequences of calls on each target, the targets compared step by step."""
    active = [s for s in subjects if s.build_error is None]
    if budget <= 0 or steps <= 0 or not active or not _methods(checks.contract):
        return
    for m in _methods(checks.contract):
        able = [s for s in active if s.callable_member(m.name)]
        if able and len(able) < len(active):  # the targets run one plan: a member one of them lacks is left out
            for s in able:
                s.note(m.name, None, "not called in generated sequences: another target checked with it cannot call it")
    reason = None
    with guard.at(checks, None):
        run = functools.partial(run_sequences, checks.driver, checks.inside, active, steps)
        reason = checks.driver.explorer.explore("sequences", run, max_examples=budget)
    if reason:
        for s in active:
            s.note(None, None, f"generated sequences were not run: {reason}")


def _methods(contract: Contract) -> list[Member]:
    return [m for m in contract.members if m.role == "method"]


@attrs.frozen
class Selection:
    """The clauses a run is limited to (``clauses=``), and the checks that judge them; ``ids`` None: every check.

    A scenario clause is judged by its scenario; a clause on a member (``ensures``, ``raises``, ``comparable``,
    ``draws``...) by that member's in-domain sweep, its out-of-domain values and the generated sequences, which call
    every member. The signatures are always compared. The report keeps the violations of the selected clauses, of
    no clause on a selected member (an exception, a return type, an input), and of the signatures; what the
    sequences show of another clause or member on the way is left out with it, as not checked.
    """

    ids: frozenset[str] | None
    members: frozenset[str]

    @classmethod
    def of(cls, contract: Contract, clauses: Sequence[str] | None) -> Selection:
        """The selection of ``clauses``; an id the contract does not have is a ``UsageError`` listing its ids."""
        if clauses is None:
            return cls(None, frozenset())
        known = {c.id: c for c in contract.clauses}
        for given in clauses:
            if given not in known:
                ids = ", ".join(known) or "none"
                raise UsageError(f"{contract.name} has no clause {given!r} (its clauses: {ids})")
        if not clauses:
            raise UsageError("clauses names no clause: give the ids of the clauses to check, or leave it out to check them all")
        return cls(frozenset(clauses), frozenset(m for c in clauses if (m := known[c].member) is not None))

    def clause(self, id: str) -> bool:
        return self.ids is None or id in self.ids

    def member(self, name: str) -> bool:
        return self.ids is None or name in self.members

    @property
    def sequences(self) -> bool:
        return self.ids is None or bool(self.members)

    def keeps(self, v: Violation) -> bool:
        """Whether the report keeps a violation: of a selected clause, of no clause on a selected member or on
        none, or of a signature."""
        if self.ids is None or v.kind in SIGNATURE_KINDS:
            return True
        if v.clause is not None:
            return v.clause in self.ids
        return v.member is None or v.member.split("().")[0] in self.members

    def apply(self, contract: Contract, s: Subject) -> None:
        """Leave out of ``s`` what the run was not asked for, and list it in ``not_checked``: every clause not
        selected, and every member whose checks did not run."""
        if self.ids is None:
            return
        for key in [k for k, v in s.found.items() if not self.keeps(v)]:
            del s.found[key]
        why = f"not selected: the run checked only {', '.join(sorted(self.ids))}"
        for m in _methods(contract):
            if m.name not in self.members:
                s.note(m.name, None, why)
        for c in contract.clauses:
            if c.id not in self.ids:
                s.note(c.member, c.id, why)


def _check_members(contract: Contract, subjects: list[Subject], checks: _Checks, guard: _Guard, selection: Selection | None = None) -> None:
    """In-domain sweeps of every method, then the out-of-domain values of every parameter (of the ``selection``'s
    members)."""
    explorer = checks.driver.explorer
    chosen = selection or Selection(None, frozenset())
    methods = [m for m in _methods(contract) if chosen.member(m.name)]
    for m in methods:
        active = [s for s in subjects if s.callable_member(m.name) and s.build_error is None]
        if active:
            with guard.at(checks, None, m.name):
                reason = explorer.explore(f"sweep_{m.name}", functools.partial(_sweep, checks, m, active))
                if reason:
                    for s in active:
                        s.note(m.name, None, f"its behaviour was not checked: {reason}")
    ctor = contract.constructor
    for s in subjects:
        if s.build_error is not None or s.reference:
            continue
        if ctor is not None and s.mode != "zero" and chosen.ids is None:
            with guard.at(checks, s, "__init__"):
                checks.outside.offer(s, ctor)
        for m in methods:
            if s.callable_member(m.name):
                with guard.at(checks, s, m.name):
                    checks.outside.offer(s, m)


def _products(contract: Contract, subjects: list[Subject], checks: _Checks, guard: _Guard) -> None:
    """What a member returns is checked against its own contract when its type is one (an engine from a factory)."""
    for m in _methods(contract):
        if not is_contract(m.returns):
            continue
        product = get_contract(m.returns)
        for s in subjects:
            if s.build_error is not None or not s.callable_member(m.name):
                continue
            child = _product_subject(checks, s, m, product)
            child_checks = _Checks.of(product, checks.driver.runner, checks.driver.explorer)
            with guard.at(checks, s, m.name):
                _signatures(product, child, child_checks)
            if child.build_error is None:
                _check_members(product, [child], child_checks, guard)
            for v in child.found.values():
                s.record(v)
            for n in child.not_checked:
                s.note(f"{child.prefix}{n.member}" if n.member else None, n.clause, n.reason)


def _product_subject(checks: _Checks, s: Subject, m: Member, product: Contract) -> Subject:
    """A subject whose zero-argument factory builds the parent with plain values and calls ``m``."""
    contract = checks.contract
    ctor = contract.constructor
    ctor_values = {p.name: simple_value(p.annotation) for p in ctor.parameters} if ctor is not None and s.mode != "zero" else {}
    values = {p.name: simple_value(p.annotation) for p in m.parameters if p.required}
    plan = s.plans.get(m.name)
    assert plan is not None
    where = s.import_path or (getattr(s.obj, "__module__", "__main__"), getattr(s.obj, "__qualname__", "target"))
    child = Subject(label=s.label, obj=None, contract=product, import_path=where, prefix=f"{m.name}().")

    async def make_product() -> Any:
        fn, args, kwargs = s.build_call(ctor_values)
        parent = fn(*args, **kwargs)
        margs, mkwargs = plan.split(m, values)
        made = getattr(parent, m.name)(*margs, **mkwargs)
        if inspect.isawaitable(made):
            made = await made
        child.location_owner = type(made)
        return made

    _, args, kwargs = s.build_call(ctor_values)
    margs, mkwargs = plan.split(m, values)
    name = where[1]
    call = _call_text(f"target.{m.name}", margs, mkwargs)
    protocols = tuple(
        getattr(type(v), "_interlock_protocol", object) for v in [*ctor_values.values(), *values.values()] if isinstance(v, Double)
    )
    child.head = (
        (f"target = {_call_text(name, args, kwargs)}", f"product = asyncio.run({call})" if m.is_async else f"product = {call}"),
        protocols,
    )
    child.obj = make_product
    return child


def _signatures(contract: Contract, s: Subject, checks: _Checks) -> None:
    """Signature kinds, computed before any behaviour; then a probe build for what needs an instance.

    A constructor that cannot be called hides nothing: a class's members are still compared, from the class.
    """
    ctor = contract.constructor
    for d in check_constructor(s):
        s.record(s.violation(d.kind, "__init__", d.parameter, d.message, signature_example(s, ctor)))
    instance = None
    if ctor is not None and s.build_plan is None:
        s.build_error = "the constructor cannot be called as the contract declares it"
        for m in contract.members:
            if m.role != "constructor":
                s.note(m.name, None, "its behaviour was not checked: " + s.build_error)
        if s.mode != "class":
            return
    else:
        instance = checks.driver.probe(s)
        if instance is None and s.build_error is not None and s.mode != "class":
            return
    owner = s.obj if s.mode == "class" else instance
    for m in contract.members:
        if m.role == "method":
            drifts, present = check_member_signature(s, m, owner)
            if not present:
                s.record(
                    s.violation(
                        "missing-member",
                        m.name,
                        None,
                        f"{m.name}: the target has no member {m.name!r}; the contract declares {m.signature_text()}",
                        signature_example(s, m, missing=s.mode != "class"),
                    )
                )
                s.skip.add(m.name)
                continue
            for d in drifts:
                s.record(s.violation(d.kind, m.name, d.parameter, d.message, signature_example(s, m)))
            if s.plans.get(m.name) is None and m.name not in s.skip and s.build_error is None:
                s.note(m.name, None, "no call written against the contract can reach it (see the signature violations)")
        elif m.role == "attribute" and instance is not None:
            checks.inside.check_attribute(s, m, instance)


def _sweep(checks: _Checks, member: Member, active: list[Subject], data: Any) -> list[Candidate]:
    """One in-domain example for every target: each call classified, then the targets compared."""
    contract = checks.contract
    ctor = contract.constructor
    ctor_values = draw_values(data, contract, ctor) if ctor is not None else {}
    values = draw_values(data, contract, member)
    by_position = data.draw(st.booleans())
    returns = DrawnReturns(data, contract)
    out: list[Candidate] = []
    outcomes: dict[int, Any] = {}
    clean = True
    for s in active:
        if not s.callable_member(member.name) or s.build_error is not None:
            continue
        call = Call(s, member, ctor_values, values, by_position)
        found, signature = checks.inside.in_domain(call, returns)
        out.extend((s, v) for v in found)
        if found:
            clean = False
        if signature is None:
            clean = False
        else:
            outcomes[id(s)] = (s, signature, call)
            if isinstance(signature, Returned):
                _keep_simplest(s, member, ctor_values, values)
    if clean and len(outcomes) >= 2:
        out.extend(_differential(checks, member, list(outcomes.values())))
    return out


def _keep_simplest(s: Subject, member: Member, ctor_values: dict[str, Any], values: dict[str, Any]) -> None:
    """Keep the simplest accepted arguments as the base of out-of-domain values: reproducers read best short.

    An optional parameter the example left out takes the contract's default, so every parameter has a base value.
    """
    full = {p.name: values.get(p.name, p.default) for p in member.parameters if p.name in values or not p.required}
    size = len(repr(ctor_values)) + len(repr(full))
    kept = s.bases.get(member.name)
    if kept is None or size < len(repr(kept[0])) + len(repr(kept[1])):
        s.bases[member.name] = (ctor_values, full)


def _differential(checks: _Checks, member: Member, results: list[tuple[Subject, Any, Call]]) -> list[Candidate]:
    clauses = checks.contract.rules(member.name, Comparable)
    return differential_between(member.name, results, clauses[0].id if clauses else None)


def run_notes(contract: Contract, compared: int) -> list[str]:
    """The report's notes: with two targets or more (a reference counts), no ``comparable`` member and no clause
    of its own that compares them (a ``differential`` scenario, ``routers-agree``), that only outcomes were
    compared, so a reader does not take a clean run for agreeing results."""
    if compared < 2 or any(isinstance(c.rule, Comparable) or "differential" in c.kinds for c in contract.clauses):
        return []
    return [
        f"no member of {contract.name} is marked comparable: the targets' outcomes (returned, rejected, raised) were "
        "compared call by call, not what they returned; mark a query @comparable to compare its results"
    ]


def _target_report(contract: Contract, s: Subject) -> TargetReport:
    order = {m.name: i for i, m in enumerate(contract.members)}

    def member_order(name: str | None) -> int:
        if name is None:
            return len(order) + 1
        base = name.split("().")[0] if "()." in name else name
        return order.get(base, len(order))

    def param_order(v: Violation) -> tuple[int, str]:
        if v.parameter is None:
            return (-1, "")
        try:
            member = contract.member(v.member or "")
            names = [p.name for p in member.parameters]
            return (names.index(v.parameter), v.parameter) if v.parameter in names else (len(names), v.parameter)
        except KeyError:
            return (0, v.parameter)

    violations = sorted(_one_per_defect(list(s.found.values())), key=lambda v: (member_order(v.member), kind_order(v.kind), param_order(v)))
    return TargetReport(target=s.label, violations=violations, not_checked=list(s.not_checked))


def _one_per_defect(found: list[Violation]) -> list[Violation]:
    """An exception a clause or an input rule covers is that violation, not also rule 6's (report.md: the first
    rule that applies).

    The sweep or a sequence files an exception nothing else judged as ``unexpected-exception`` with no clause;
    when a clause's run, or the blank-text rule, saw the same member raise at the same place, the two are one
    defect and the more specific violation stays.
    """
    covered = {(v.member, v.cause) for v in found if v.cause is not None and not _fallback(v)}
    return [v for v in found if not (_fallback(v) and v.cause is not None and (v.member, v.cause) in covered)]


def _fallback(v: Violation) -> bool:
    """Rule 6's violation: an in-domain exception that no clause and no input rule named."""
    return v.clause is None and v.kind == "unexpected-exception"


def replay_scenario(
    contract: Contract, clause: Clause, obj: Any, draws: list[Any], answers: dict[Any, Any], timeout: float = 5.0
) -> list[Violation]:
    """Run a scenario clause once on ``obj`` with the drawn values of a reported example (``draws`` in the order the
    clause drew them, ``answers`` the doubles' drawn return values): what the clause finds, as in the check.

    Values the clause draws past the recorded ones (a conforming target lets it go further) come from one fixed
    Hypothesis example, so a replay gives the same answer every time.
    """
    explorer = Explorer(seed=0, max_examples=1, database=None)
    runner = Runner(timeout)
    s = Subject(label=f"{getattr(obj, '__module__', '?')}:{getattr(obj, '__qualname__', type(obj).__name__)}", obj=obj, contract=contract)
    checks = _Checks.of(contract, runner, explorer)
    found: list[Violation] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            _signatures(contract, s, checks)
            if s.build_error is not None:
                raise AssertionError(f"{clause.id}: the target cannot be built: {s.build_error}")

            others = {c.id for c in contract.walk(clause)} - {clause.id}

            def test(data: Any) -> None:
                # what the function found of the other clauses it judges is theirs to replay
                found.extend(v for v in play_once(checks.driver, s, clause, data, list(draws), dict(answers)) if v.clause not in others)

            explorer.once(f"replay_{clause.id}", test)
    finally:
        runner.close()
    return found
