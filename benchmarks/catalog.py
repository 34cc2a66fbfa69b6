"""Catalog benchmark: every built-in contract against its reference implementation, at the default budget.

    .venv/bin/python benchmarks/catalog.py [--max-examples N] [--seed N] [--jobs J] [--rounds R] [--phases]

Prints, per contract, the seconds and examples of ``interlock.check(contract, reference)``,
then the wall time of the whole catalog run one contract after another (``--jobs 1``)
and, with ``--jobs 2``, spread over two worker processes (this machine has 2 cores).
Every reference must conform: a violation makes the benchmark exit 1 (shrinking is
not what is measured). The figure is the median over ``--rounds`` runs.

With ``--phases`` (one contract after another only), the last round's seconds and examples are also summed by
kind of check (``sweep``, ``scenario``, ``sequences``, ``outside``...), the first word of each Hypothesis run's label.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import re
import statistics
import sys
import time
from typing import Any

Job = tuple[str, str, int, int, int | None, int]

PHASES: collections.defaultdict[str, float] = collections.defaultdict(float)
PHASE_EXAMPLES: collections.Counter[str] = collections.Counter()


def _time_phases() -> None:
    """Wrap the checker's one way into Hypothesis, so each run's seconds and examples are summed by its kind."""
    from interlock.properties import _explore

    run = _explore.Explorer._run

    def timed(self: _explore.Explorer, test: Any, max_examples: int, label: str, **kwargs: Any) -> str | None:
        kind = re.split(r"[_: ]", label, maxsplit=1)[0]
        before, started = self.examples, time.perf_counter()
        try:
            return run(self, test, max_examples, label, **kwargs)
        finally:
            PHASES[kind] += time.perf_counter() - started
            PHASE_EXAMPLES[kind] += self.examples - before

    _explore.Explorer._run = timed  # type: ignore[method-assign]


def _one(job: Job) -> tuple[str, float, int, int]:
    from interlock.cli import resolve
    from interlock.properties._api import check

    contract, target, examples, seed, sequences, steps = job
    started = time.perf_counter()
    report = check(resolve(contract)[0], resolve(target)[0], max_examples=examples, seed=seed, sequences=sequences, steps=steps)
    return contract, time.perf_counter() - started, report.examples, len(report.violations)


def _round(jobs: list[Job], workers: int) -> tuple[float, list[tuple[str, float, int, int]]]:
    started = time.perf_counter()
    if workers == 1:
        results = [_one(job) for job in jobs]
    else:
        # the slowest contracts first, so the two workers finish together
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_one, jobs))
    return time.perf_counter() - started, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: one contract after another)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--sequences", type=int, default=None, help="generated sequences per target (default: as many as examples; 0: none)"
    )
    parser.add_argument("--steps", type=int, default=None, help="the longest generated sequence (default: interlock's)")
    parser.add_argument("--phases", action="store_true", help="also sum the last round's seconds and examples by kind of check")
    args = parser.parse_args()
    if args.phases and args.jobs != 1:
        parser.error("--phases needs --jobs 1")
    if args.phases:
        _time_phases()

    from interlock._options import DEFAULT_STEPS
    from interlock.examples import REFERENCES

    steps = DEFAULT_STEPS if args.steps is None else args.steps
    jobs: list[Job] = [(contract, target, args.max_examples, args.seed, args.sequences, steps) for contract, target in REFERENCES]
    walls = []
    last: list[tuple[str, float, int, int]] = []
    for _ in range(args.rounds):
        PHASES.clear()
        PHASE_EXAMPLES.clear()
        wall, last = _round(jobs, args.jobs)
        walls.append(wall)
        bad = [(c, v) for c, _, _, v in last if v]
        if bad:
            print(f"a reference implementation drifts: {bad}", file=sys.stderr)
            return 1
    for contract, seconds, examples, _ in last:
        print(f"{contract:55s} {seconds:6.2f}s {examples:6d} examples")
    for kind, seconds in sorted(PHASES.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:53s} {seconds:6.2f}s {PHASE_EXAMPLES[kind]:6d} examples")
    print(
        f"catalog at max_examples={args.max_examples}, sequences={args.sequences}, steps={steps}, jobs={args.jobs}: median wall {statistics.median(walls):.2f}s "
        f"over {args.rounds} rounds (all: {', '.join(f'{w:.2f}' for w in walls)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
