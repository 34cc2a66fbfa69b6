"""Adoption benchmark: the whole example project (examples/adoption) with ``--jobs 1`` and ``--jobs 2``.

    .venv/bin/python benchmarks/adoption.py [--max-examples N] [--rounds R] [--registered]

Copies ``examples/adoption`` to a temporary folder (so the repository gets no caches), then runs
``interlock check --json`` there (the project's ``[tool.interlock]``: its modules, checks and seed), one
process and two workers taking turns, ``--rounds`` times each. ``--registered`` first applies step 2 of
docs/adoption.md (the legacy store and the sliding-window limiter join the project: 6 targets, not 4).
Prints each side's median wall time (the command as a user runs it, start-up included) and the ratio
jobs 2 / jobs 1. The two sides must report the same violations, or the benchmark exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "adoption"


def _register(project: Path) -> None:
    """Step 2 of docs/adoption.md: register the legacy store, configure the sliding-window limiter."""
    legacy = project / "backend" / "legacy" / "stores.py"
    legacy.write_text(
        legacy.read_text().replace(
            "\n\nclass MemorySessionStore:",
            "\nimport interlock\nfrom backend.contracts import SessionStore\n\n\n@interlock.implements(SessionStore)\nclass MemorySessionStore:",
        )
    )
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text()
        .replace('modules = ["backend.stores"]', 'modules = ["backend.stores", "backend.legacy.stores"]')
        .replace('"backend.limits:FixedWindowLimiter"]', '"backend.limits:FixedWindowLimiter", "backend.limits:SlidingWindowLimiter"]')
    )


def _run(project: Path, jobs: int, examples: int | None) -> tuple[float, Any]:
    extra = ["--max-examples", str(examples)] if examples is not None else []
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "check", "--json", "--jobs", str(jobs), *extra],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"interlock check --jobs {jobs} exited {done.returncode}: {done.stderr.strip()}")
    doc = json.loads(done.stdout)
    return seconds, [(c["contract"], c["targets"]) for c in doc["contracts"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=None, help="override the project's max-examples (20)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--registered", action="store_true", help="apply docs/adoption.md step 2 first (6 targets)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="interlock-adoption-") as folder:
        project = Path(shutil.copytree(EXAMPLE, Path(folder) / "adoption", ignore=shutil.ignore_patterns("__pycache__", ".hypothesis")))
        if args.registered:
            _register(project)
        _run(project, 1, args.max_examples)  # warm the caches (bytecode, Hypothesis's tables) before timing
        one: list[float] = []
        two: list[float] = []
        reports = set()
        for _ in range(args.rounds):
            for jobs, times in ((1, one), (2, two)):
                seconds, report = _run(project, jobs, args.max_examples)
                times.append(seconds)
                reports.add(json.dumps(report, sort_keys=True))
        if len(reports) != 1:
            print("--jobs 1 and --jobs 2 reported different violations", file=sys.stderr)
            return 1
    a, b = statistics.median(one), statistics.median(two)
    print(f"interlock check on examples/adoption{' (registered, 6 targets)' if args.registered else ''}, {args.rounds} rounds, medians:")
    print(f"  --jobs 1: {a:.2f}s   (all: {', '.join(f'{t:.2f}' for t in one)})")
    print(f"  --jobs 2: {b:.2f}s   (all: {', '.join(f'{t:.2f}' for t in two)})")
    print(f"ratio jobs 2 / jobs 1: {b / a:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
