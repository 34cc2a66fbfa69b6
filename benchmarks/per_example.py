"""Per-example cost: the checker against a hand-written Hypothesis test of the same target.

The definition (docs: design.md, "Benchmarks"):

- Baseline: a hand-written Hypothesis test of the same target, ``@given`` over
  the same strategies (interlock's own ``strategy_for`` for each parameter's
  domain), a fresh target per example, every member called once per example
  (async members awaited on an event loop), ``typeguard.check_type`` on each
  result, and ``pytest.raises((TypeError, ValueError))`` around each
  out-of-domain value the checker tries (``outside_values(...)`` for each
  parameter, each on a fresh target).
- Checker: ``interlock.check(contract, target, max_examples=N, seed=S, sequences=0)``: the
  like-for-like run, one call per example; the generated sequences of calls
  (several calls on one target per example) have no counterpart in the baseline
  and are measured by ``benchmarks/catalog.py``.
- Both exclude shrinking: the target must conform (no failures).
- Measured in one run, side by side, alternating (baseline then checker, for
  each round), medians, so that a noisy machine cancels out.

Run it as::

    .venv/bin/python benchmarks/per_example.py [--max-examples N] [--rounds R] [--seed S]
        [--contract module:Name --target module:Name] [--profile] [--profile-top K]

The default contract and target are ``interlock.examples.greeter:Greeter`` and
``interlock.examples.greeter:PoliteGreeter``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import io
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase, Verbosity, assume, given, settings
from hypothesis import strategies as st
from typeguard import CollectionCheckStrategy, check_type

import interlock
from interlock.contracts._model import Contract, Draws, Member, Raises, ReportsFailure, Requires
from interlock.properties._foreign import outside_values
from interlock.properties._strategies import DOUBLE, strategy_for

DEFAULT_CONTRACT = "interlock.examples.greeter:Greeter"
DEFAULT_TARGET = "interlock.examples.greeter:PoliteGreeter"
GOAL = 1.25


def load(path: str) -> Any:
    """Import ``package.module:Name``."""
    module, _, name = path.partition(":")
    if not module or not name:
        raise SystemExit(f"per_example: {path!r} is not an import path package.module:Name")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def hypothesis_settings(max_examples: int) -> settings:
    """The checker's own settings (interlock/properties/_explore.py), with no database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        print_blob=False,
        derandomize=False,
    )


# ---- the baseline: a hand-written Hypothesis test, built from the contract model ---------------


def _param_strategy(model: Contract, member: Member, p: Any) -> Any:
    """The strategy interlock draws the parameter from (a ``draws`` narrowing first, then its domain)."""
    for c in model.rules(member.name, Draws):
        if isinstance(c.rule, Draws) and c.rule.parameter == p.name:
            return c.rule.strategy
    strat = strategy_for(p.domain, model)
    if strat is DOUBLE:
        proto = p.domain.base
        doubles = st.builds(lambda: interlock.double(proto))
        return st.none() | doubles if p.domain.optional else doubles
    return strat


def _member_strategy(model: Contract, member: Member) -> Any:
    """Arguments by name; optional parameters are sometimes left out, as the checker does."""
    required = {p.name: _param_strategy(model, member, p) for p in member.parameters if p.required}
    optional = {p.name: _param_strategy(model, member, p) for p in member.parameters if not p.required}
    return st.fixed_dictionaries(required, optional=optional)


def _requires(model: Contract, member: Member, values: dict[str, Any]) -> None:
    for c in model.rules(member.name, Requires):
        rule = c.rule
        assert isinstance(rule, Requires)
        try:
            ok = rule.predicate(**{k: v for k, v in values.items() if k in rule.wants})
        except Exception:
            ok = False
        assume(bool(ok))


class Baseline:
    """What a user would write by hand: one ``@given`` test, then the out-of-domain values."""

    def __init__(self, model: Contract, target: Any, max_examples: int, seed: int) -> None:
        self.model = model
        self.target = target
        self.max_examples = max_examples
        self.seed = seed
        self.ctor = model.constructor
        self.methods = [m for m in model.members if m.role == "method"]
        self.examples = 0
        self.in_domain = 0
        self.outside = 0

    def build(self, values: dict[str, Any]) -> Any:
        return self.target(**values)

    def call(self, loop: asyncio.AbstractEventLoop, instance: Any, m: Member, values: dict[str, Any]) -> Any:
        result = getattr(instance, m.name)(**values)
        if m.is_async:
            result = loop.run_until_complete(result)
        return result

    def allowed(self, m: Member) -> tuple[type[BaseException], ...]:
        """Exceptions the contract allows on in-domain input (``@raises``); a hand-written test would catch them."""
        return tuple(e for c in self.model.rules(m.name, Raises) if isinstance(c.rule, Raises) for e in c.rule.exceptions)

    def failure_test(self, m: Member) -> Callable[[Any], object] | None:
        """For a member that reports failure in its result (``@reports_failure``), the test of a failure value."""
        found = [c.rule for c in self.model.rules(m.name, ReportsFailure) if isinstance(c.rule, ReportsFailure)]
        return found[0].predicate if found else None

    def run(self) -> None:
        self.examples = self.in_domain = self.outside = 0
        loop = asyncio.new_event_loop()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                bases = self._given(loop)
                self._outside(loop, bases)
        finally:
            loop.close()

    def _given(self, loop: asyncio.AbstractEventLoop) -> dict[str, dict[str, Any]]:
        """The in-domain test; returns, per member, the first value drawn for each parameter."""
        model, ctor, methods = self.model, self.ctor, self.methods
        members = ([ctor] if ctor is not None else []) + methods
        strategy = st.fixed_dictionaries({m.name: _member_strategy(model, m) for m in members})
        bases: dict[str, dict[str, Any]] = {m.name: {} for m in members}
        allowed = {m.name: self.allowed(m) for m in methods}

        @hypothesis.seed(self.seed)
        @hypothesis_settings(self.max_examples)
        @given(strategy)
        def test_in_domain(drawn: dict[str, Any]) -> None:
            self.in_domain += 1
            for m in members:
                _requires(model, m, drawn[m.name])
            instance = self.build(drawn[ctor.name] if ctor is not None else {})
            for m in methods:
                try:
                    result = self.call(loop, instance, m, drawn[m.name])
                except allowed[m.name]:
                    continue
                check_type(result, m.returns, collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
            for m in members:
                for k, v in drawn[m.name].items():
                    bases[m.name].setdefault(k, v)

        test_in_domain()
        self.examples += self.in_domain
        return bases

    def _outside(self, loop: asyncio.AbstractEventLoop, bases: dict[str, dict[str, Any]]) -> None:
        """Every out-of-domain value the checker tries, each on a fresh target, must be rejected."""
        if not self.model.strict_inputs:
            return
        ctor, methods = self.ctor, self.methods
        ctor_base = bases[ctor.name] if ctor is not None else {}
        for m in ([ctor] if ctor is not None else []) + methods:
            base = bases[m.name]
            for p in m.parameters:
                if p.name in m.relaxed:
                    continue
                for o in outside_values(p.domain, base.get(p.name), has_base=p.name in base):
                    self.outside += 1
                    if m.role == "constructor":
                        with pytest.raises((TypeError, ValueError)):
                            self.build({**ctor_base, p.name: o.value})
                    elif (failed := self.failure_test(m)) is not None:
                        instance = self.build(ctor_base)
                        assert failed(self.call(loop, instance, m, {**base, p.name: o.value}))
                    else:
                        instance = self.build(ctor_base)
                        with pytest.raises((TypeError, ValueError)):
                            self.call(loop, instance, m, {**base, p.name: o.value})
        self.examples += self.outside


# ---- the checker -------------------------------------------------------------------------------


class Checker:
    def __init__(self, contract: Any, target: Any, max_examples: int, seed: int) -> None:
        self.contract = contract
        self.target = target
        self.max_examples = max_examples
        self.seed = seed
        self.examples = 0
        self.report: Any = None

    def run(self) -> None:
        self.report = interlock.check(self.contract, self.target, max_examples=self.max_examples, seed=self.seed, sequences=0)
        self.examples = self.report.to_json()["summary"]["examples"]


# ---- measuring ---------------------------------------------------------------------------------


def timed(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds for one call of ``fn``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def profile(label: str, fn: Callable[[], None], top: int) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats(order).print_stats(top)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"\n--- cProfile, {label}, top {top} by {order} ---")
        head = [line for line in text[:start].splitlines() if "function calls" in line]
        print("\n".join(head))
        print(text[start:].rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--max-examples", type=int, default=100, help="in-domain examples per member and per clause (default 100)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds, baseline then checker (default 5)")
    parser.add_argument("--seed", type=int, default=1234, help="seed for both (default 1234)")
    parser.add_argument("--contract", default=DEFAULT_CONTRACT, help=f"contract import path (default {DEFAULT_CONTRACT})")
    parser.add_argument("--target", default=DEFAULT_TARGET, help=f"a conforming target (default {DEFAULT_TARGET})")
    parser.add_argument("--profile", action="store_true", help="after timing, profile one run of each with cProfile")
    parser.add_argument("--profile-top", type=int, default=30, help="rows per profile table (default 30)")
    args = parser.parse_args(argv)
    if args.max_examples < 1 or args.rounds < 1:
        parser.error("--max-examples and --rounds must be 1 or more")

    contract = load(args.contract)
    target = load(args.target)
    model = interlock.get_contract(contract)
    baseline = Baseline(model, target, args.max_examples, args.seed)
    checker = Checker(contract, target, args.max_examples, args.seed)

    # Warm-up, not timed: imports, strategy caches, typeguard's caches; also proves both pass.
    try:
        baseline.run()
    except BaseException as exc:  # pytest.raises fails with a BaseException (Failed)
        print(f"per_example: the baseline fails on this target ({type(exc).__name__}: {exc}); pick a conforming target", file=sys.stderr)
        return 1
    checker.run()
    if not checker.report.conforms:
        print(checker.report, file=sys.stderr)
        print("per_example: the target does not conform, so the checker shrinks; pick a conforming target", file=sys.stderr)
        return 1
    extra = [c.id for c in model.clauses if c.member is None or (isinstance(c.rule, Draws) and c.rule.outside)]
    if extra:
        print(f"note: the checker also runs clauses the baseline has no counterpart for: {', '.join(extra)}")

    b_times: list[float] = []
    c_times: list[float] = []
    b_cpu: list[float] = []
    c_cpu: list[float] = []
    b_examples: set[int] = set()
    c_examples: set[int] = set()
    for _ in range(args.rounds):
        wall, cpu = timed(baseline.run)
        b_times.append(wall)
        b_cpu.append(cpu)
        b_examples.add(baseline.examples)
        wall, cpu = timed(checker.run)
        c_times.append(wall)
        c_cpu.append(cpu)
        c_examples.add(checker.examples)

    med = statistics.median
    b_sec, c_sec = med(b_times), med(c_times)
    b_n, c_n = med(sorted(b_examples)), med(sorted(c_examples))
    b_per, c_per = b_sec / b_n, c_sec / c_n
    per_ratio, wall_ratio = c_per / b_per, c_sec / b_sec
    # Noise checks: each round's checker against the baseline run just before it, and CPU time.
    paired = med((c / c_n) / (b / b_n) for b, c in zip(b_times, c_times, strict=True))
    cpu_ratio = (med(c_cpu) / c_n) / (med(b_cpu) / b_n)

    print(f"per-example cost: {args.contract} on {args.target}")
    print(f"max_examples={args.max_examples} seed={args.seed} rounds={args.rounds} (alternating, baseline then checker; medians)")
    where = os.path.dirname(os.path.dirname(interlock.__file__ or ""))
    print(f"python {sys.version.split()[0]}, hypothesis {hypothesis.__version__}, interlock {interlock.__version__} from {where}")
    print()
    print(f"{'':10}{'seconds':>10}{'examples':>10}{'ms/example':>12}   rounds (wall s)")
    for name, sec, n, per, times, ns in (
        ("baseline", b_sec, b_n, b_per, b_times, b_examples),
        ("checker", c_sec, c_n, c_per, c_times, c_examples),
    ):
        n_text = f"{n:g}" if len(ns) == 1 else f"{n:g}*"
        print(f"{name:10}{sec:10.3f}{n_text:>10}{per * 1000:12.3f}   {' '.join(f'{t:.3f}' for t in times)}")
    print(f"examples: baseline {baseline.in_domain} @given + {baseline.outside} out-of-domain values; checker report.summary examples")
    if len(b_examples) > 1 or len(c_examples) > 1:
        print(f"* examples varied between rounds: baseline {sorted(b_examples)}, checker {sorted(c_examples)}")
    print()
    verdict = "meets" if per_ratio <= GOAL else "misses"
    print(f"ratio, seconds per example (checker / baseline): {per_ratio:.2f}x  ({verdict} the goal of <= {GOAL:.2f}x)")
    print(f"ratio, wall time (checker / baseline):           {wall_ratio:.2f}x")
    print(f"noise checks, per example: median of per-round ratios {paired:.2f}x, CPU time {cpu_ratio:.2f}x")

    if args.profile:
        profile("baseline", baseline.run, args.profile_top)
        profile("checker", checker.run, args.profile_top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
