"""A call in C that holds the interpreter lock: only the isolated run's parent can end it, and it does."""

from __future__ import annotations

import time

import interlock
from tests.fixtures import hostile as ho


def test_an_isolated_child_stuck_in_c_is_ended_and_the_member_reported_as_timeout() -> None:
    started = time.monotonic()
    report = interlock.check(ho.Echo, ho.CLoopEcho, ho.GoodEcho, seed=1, max_examples=5, timeout=0.2, isolate=True)
    assert time.monotonic() - started < 60
    stuck, good = report.targets
    assert [(v.kind, v.member) for v in stuck.violations] == [("timeout", "echo")]
    assert "could not be stopped" in stuck.violations[0].message
    assert good.violations == []  # the other target, checked again alone, keeps its own report


def test_the_command_ends_a_call_stuck_in_c_by_default_and_reports_the_other_targets() -> None:
    """Without any option the command checks in a child process, so a call in C that holds the interpreter lock is
    ended, reported as that member's timeout, and the other target keeps its own report (exit 1, a valid report)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    started = time.monotonic()
    ran = subprocess.run(
        [sys.executable, "-m", "interlock", "check", "tests.fixtures.hostile:Echo", "tests.fixtures.hostile:GoodEcho",
         "tests.fixtures.hostile:CLoopEcho", "--seed", "1", "--max-examples", "5", "--timeout", "0.2", "--json"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    found = {t["target"].rpartition(":")[2]: [(v["kind"], v["member"]) for v in t["violations"]] for t in report["targets"]}
    assert found == {"GoodEcho": [], "CLoopEcho": [("timeout", "echo")]}
