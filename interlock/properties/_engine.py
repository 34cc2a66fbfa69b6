"""The checker: every target against one contract, every check, into one report."""

from __future__ import annotations

import functools
import inspect
import random
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import assume, settings
from hypothesis import strategies as st

from interlock.contracts._declare import get_contract
from interlock.contracts._domain import read_domain
from interlock.contracts._model import Comparable, Contract, Draws, Member, Requires, Scenario
from interlock.properties._calls import Call, Caller
from interlock.properties._doubles import DoubleReturns
from interlock.properties._explore import Candidate, Explorer
from interlock.properties._report import Report, TargetReport, Violation, kind_order
from interlock.properties._runner import Runner
from interlock.properties._strategies import DOUBLE, strategy_for
from interlock.properties._subject import (
    Subject,
    check_constructor,
    check_member_signature,
    double_strategy,
)
from interlock.properties._verdicts import Returned, describe, verdict_key

__all__ = ["DrawnReturns", "run_check"]


class DrawnReturns(DoubleReturns):
    """Double return values drawn from their annotations, the same for every target in an example."""

    def __init__(self, data: Any, contract: Contract) -> None:
        self.data = data
        self.contract = contract
        self.memo: dict[tuple[str, str, int], Any] = {}

    def value(self, label: str, method: str, annotation: Any, index: int) -> Any:
        key = (label, method, index)
        if key not in self.memo:
            try:
                domain = _return_domain(annotation)
            except TypeError:  # an unhashable annotation
                domain = read_domain(annotation, "a double's return value")
            strat = strategy_for(domain, self.contract)
            if strat is DOUBLE:
                from interlock.properties._doubles import double

                self.memo[key] = double(domain.base)
            else:
                self.memo[key] = self.data.draw(strat)
        return self.memo[key]


_OMIT = object()
_VALUES: dict[tuple[int, str, bool], tuple[Contract, Any]] = {}


def values_strategy(contract: Contract, member: Member, all_optional: bool = False) -> Any:
    """One strategy for all of a member's arguments: drawing once costs far less than a draw per parameter."""
    key = (id(contract), member.name, all_optional)
    found = _VALUES.get(key)
    if found is not None and found[0] is contract:
        return found[1]
    narrowed = {c.rule.parameter: c.rule.strategy for c in contract.rules(member.name, Draws) if isinstance(c.rule, Draws)}
    parts: dict[str, Any] = {}
    for p in member.parameters:
        strat = narrowed.get(p.name)
        if strat is None:
            strat = strategy_for(p.domain, contract)
            if strat is DOUBLE:
                strat = double_strategy(p.domain.base, p.name)
                if p.domain.optional:
                    strat = st.none() | strat
        if not p.required and not all_optional:
            strat = st.just(_OMIT) | strat
        parts[p.name] = strat
    built = st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not _OMIT})
    _VALUES[key] = (contract, built)
    return built


@functools.lru_cache(maxsize=512)
def _return_domain(annotation: Any) -> Any:
    return read_domain(annotation, "a double's return value")


def draw_values(data: Any, contract: Contract, member: Member, *, all_optional: bool = False) -> dict[str, Any]:
    """Draw in-domain arguments for a member, by contract name; optional ones are sometimes left out."""
    values: dict[str, Any] = data.draw(values_strategy(contract, member, all_optional))
    for c in contract.rules(member.name, Requires):
        rule = c.rule
        assert isinstance(rule, Requires)
        wanted = {k: v for k, v in values.items() if k in rule.wants}
        try:
            ok = rule.predicate(**wanted)
        except Exception:
            ok = False
        assume(bool(ok))
    return values


def run_check(
    contract: Contract,
    targets: Sequence[tuple[str, Any, tuple[str, str] | None]],
    *,
    max_examples: int = 100,
    seed: int | None = None,
    timeout: float = 5.0,
    replay: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Check every target against the contract; see report.md for what is found and how it is reported.

    Without a seed one is drawn and Hypothesis's example database replays known
    failures first (``replay`` forces either); ``progress`` hears which check starts.
    """
    started = time.perf_counter()
    if replay is None:
        replay = seed is None
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    database: Any = settings().database if replay else None  # Hypothesis's own database
    explorer = Explorer(seed=seed, max_examples=max_examples, database=database, progress=progress)
    runner = Runner(timeout)
    subjects = [Subject(label=label, obj=obj, contract=contract, import_path=path) for label, obj, path in targets]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            _check_all(contract, subjects, runner, explorer)
    finally:
        runner.close()
    reports = [_target_report(contract, s) for s in subjects]
    return Report(
        contract=contract.name,
        seed=seed,
        targets=reports,
        examples=explorer.examples,
        seconds=time.perf_counter() - started,
        members=tuple(m.name for m in contract.members),
        clauses=tuple(c.id for c in contract.clauses),
    )


def _check_all(contract: Contract, subjects: list[Subject], runner: Runner, explorer: Explorer) -> None:
    caller = Caller(contract, runner, explorer)
    for s in subjects:
        _signatures(contract, s, caller)
    _check_members(contract, subjects, caller)
    methods = _methods(contract)
    for m in methods:
        for clause in contract.rules(m.name, Draws):
            rule = clause.rule
            assert isinstance(rule, Draws)
            if not rule.outside:
                continue
            for s in subjects:
                if s.callable_member(m.name) and s.build_error is None:
                    reason = explorer.explore(f"outside_{m.name}", functools.partial(caller.narrowed_outside, s, m, clause))
                    if reason:
                        s.note(m.name, clause.id, reason)
    _products(contract, subjects, caller)
    from interlock.properties._scenario import run_scenario, run_scenario_compared

    for clause in contract.clauses:
        if clause.member is not None or not isinstance(clause.rule, Scenario):
            continue
        if clause.rule.compare:
            if len(subjects) >= 2:
                run_scenario_compared(caller, subjects, clause)
            continue
        for s in subjects:
            run_scenario(caller, s, clause)


def _methods(contract: Contract) -> list[Member]:
    return [m for m in contract.members if m.role == "method"]


def _check_members(contract: Contract, subjects: list[Subject], caller: Caller) -> None:
    """In-domain sweeps of every method, then the out-of-domain values of every parameter."""
    explorer = caller.explorer
    for m in _methods(contract):
        active = [s for s in subjects if s.callable_member(m.name) and s.build_error is None]
        if active:
            reason = explorer.explore(f"sweep_{m.name}", functools.partial(_sweep, caller, m, active))
            if reason:
                for s in active:
                    s.note(m.name, None, f"its behaviour was not checked: {reason}")
    ctor = contract.constructor
    for s in subjects:
        if s.build_error is not None:
            continue
        if ctor is not None and s.mode != "zero":
            caller.outside(s, ctor)
        for m in _methods(contract):
            if s.callable_member(m.name):
                caller.outside(s, m)


def _products(contract: Contract, subjects: list[Subject], caller: Caller) -> None:
    """What a member returns is checked against its own contract when its type is one (an engine from a factory)."""
    from interlock.contracts._declare import is_contract

    for m in _methods(contract):
        if not is_contract(m.returns):
            continue
        product = get_contract(m.returns)
        for s in subjects:
            if s.build_error is not None or not s.callable_member(m.name):
                continue
            child = _product_subject(caller, s, m, product)
            child_caller = Caller(product, caller.runner, caller.explorer)
            _signatures(product, child, child_caller)
            if child.build_error is None:
                _check_members(product, [child], child_caller)
            for v in child.found.values():
                s.record(v)
            for n in child.not_checked:
                s.note(f"{child.prefix}{n.member}" if n.member else None, n.clause, n.reason)


def _product_subject(caller: Caller, s: Subject, m: Member, product: Contract) -> Subject:
    """A subject whose zero-argument factory builds the parent with plain values and calls ``m``."""
    from interlock.properties._doubles import simple_value
    from interlock.properties._subject import _call_text

    contract = caller.contract
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
    protocols = tuple(getattr(type(v), "_interlock_protocol", object) for v in [*ctor_values.values(), *values.values()] if isinstance(v, _double_type()))
    child.head = ((f"target = {_call_text(name, args, kwargs)}", f"product = asyncio.run({call})" if m.is_async else f"product = {call}"), protocols)
    child.obj = make_product
    return child


def _double_type() -> type:
    from interlock.properties._doubles import Double

    return Double


def _signatures(contract: Contract, s: Subject, caller: Caller) -> None:
    """Signature kinds, computed before any behaviour; then a probe build for what needs an instance.

    A constructor that cannot be called hides nothing: a class's members are still compared, from the class.
    """
    ctor = contract.constructor
    for d in check_constructor(s):
        s.record(caller.violation(s, d.kind, "__init__", d.parameter, d.message, caller.signature_example(s, ctor, None)))
    instance = None
    if ctor is not None and s.build_plan is None:
        s.build_error = "the constructor cannot be called as the contract declares it"
        for m in contract.members:
            if m.role != "constructor":
                s.note(m.name, None, "its behaviour was not checked: " + s.build_error)
        if s.mode != "class":
            return
    else:
        instance = caller.probe(s)
        if instance is None and s.build_error is not None and s.mode != "class":
            return
    owner = s.obj if s.mode == "class" else instance
    for m in contract.members:
        if m.role == "method":
            drifts, present = check_member_signature(s, m, owner)
            if not present:
                s.record(
                    caller.violation(
                        s,
                        "missing-member",
                        m.name,
                        None,
                        f"{m.name}: the target has no member {m.name!r}; the contract declares {m.signature_text()}",
                        caller.signature_example(s, m, instance),
                    )
                )
                s.skip.add(m.name)
                continue
            for d in drifts:
                s.record(caller.violation(s, d.kind, m.name, d.parameter, d.message, caller.signature_example(s, m, instance)))
            if s.plans.get(m.name) is None and m.name not in s.skip and s.build_error is None:
                s.note(m.name, None, "no call written against the contract can reach it (see the signature violations)")
        elif m.role == "attribute" and instance is not None:
            caller.check_attribute(s, m, instance)


def _sweep(caller: Caller, member: Member, active: list[Subject], data: Any) -> list[Candidate]:
    """One in-domain example for every target: each call classified, then the targets compared."""
    contract = caller.contract
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
        found, signature = caller.in_domain(call, returns)
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
        out.extend(_differential(caller, member, list(outcomes.values())))
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


def _differential(caller: Caller, member: Member, results: list[tuple[Subject, Any, Call]]) -> list[Candidate]:
    clauses = caller.contract.rules(member.name, Comparable)
    return differential_between(caller, member.name, results, clauses[0].id if clauses else None)


def differential_between(caller: Caller, member: str | None, results: list[tuple[Subject, Any, Any]], clause_id: str | None) -> list[Candidate]:
    """Targets that disagree on one input: with two, both; with more, those outside the largest group (all on a tie)."""
    keys = {id(s): verdict_key(v) for s, v, _ in results}
    groups: dict[Any, list[tuple[Subject, Any]]] = {}
    for s, _, call in results:
        groups.setdefault(keys[id(s)], []).append((s, call))
    if len(groups) < 2:
        return []
    sizes = sorted((len(g) for g in groups.values()), reverse=True)
    tie = sizes[0] == sizes[1]
    largest = max(groups.values(), key=len)
    described = {id(s): describe(v) for s, v, _ in results}
    out: list[Candidate] = []
    for group in groups.values():
        if group is largest and not tie and len(results) > 2:
            continue
        for s, call in group:
            others = [o for o, _, _ in results if keys[id(o)] != keys[id(s)]]
            names = ", ".join(f"{o.label} ({described[id(o)]})" for o in others)
            prefix = f"{member}: " if member else ""
            msg = f"{prefix}{described[id(s)]}, where {names} on the same input"
            out.append((s, caller.violation(s, "differential", member, None, msg, call.example(), clause=clause_id)))
    return out


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

    violations = sorted(s.found.values(), key=lambda v: (member_order(v.member), kind_order(v.kind), param_order(v)))
    return TargetReport(target=s.label, violations=violations, not_checked=list(s.not_checked))
