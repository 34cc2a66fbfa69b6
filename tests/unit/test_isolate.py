"""Isolation: a target that kills the checking process is a `crash` violation, never a lost run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import interlock
from tests.fixtures import contracts as c
from tests.fixtures import crashing as x
from tests.fixtures import good as g

ROOT = Path(__file__).resolve().parents[2]


def test_crash_is_reported_and_the_other_targets_keep_their_reports() -> None:
    """With isolate=True, os._exit in one target gives it `crash` on the member it was in; the others are checked."""
    report = interlock.check(c.Greeter, g.PlainGreeter, x.ExitingGreeter, seed=1, max_examples=20, isolate=True)
    assert report.targets[0].conforms
    assert [(v.kind, v.member) for v in report.targets[1].violations] == [("crash", "greet_later")]
    assert "exited with status 3" in report.targets[1].violations[0].message
    # checked one at a time after the crash: the report says they were not compared
    assert any("the targets were not compared with each other" in note for note in report.notes)


def test_isolated_run_matches_the_plain_run() -> None:
    """Isolation changes nothing for targets that do not crash: the same seed gives the same violations."""
    from tests.fixtures import broken as b

    plain = interlock.check(c.Greeter, b.CoercingGreeter, seed=2, max_examples=20)
    isolated = interlock.check(c.Greeter, b.CoercingGreeter, seed=2, max_examples=20, isolate=True)
    assert isolated.violations == plain.violations


def test_cli_isolate_reports_crash_with_exit_1() -> None:
    """`interlock check --isolate` reports the crash in the JSON report and exits 1."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "interlock",
            "check",
            "tests.fixtures.contracts:Greeter",
            "tests.fixtures.crashing:ExitingGreeter",
            "--isolate",
            "--json",
            "--seed",
            "1",
            "--max-examples",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    (target,) = json.loads(done.stdout)["targets"]
    assert [v["kind"] for v in target["violations"]] == ["crash"]


def test_a_run_given_up_on_while_the_user_stopped_it_is_marked_stopped() -> None:
    """A call no signal stops (C code that retries on every interrupted system call) is given up on by the watchdog;
    a stop the interpreter heard meanwhile, whatever Python handler took it, makes the report say the user stopped
    the run, so the command ends with 143, not 1."""
    import os
    import signal

    from interlock.properties._engine import _stuck
    from interlock.properties._runner import Where, heard_stops

    said: list[str | None] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)  # a target's handler that swallows it
    try:
        with heard_stops():
            os.kill(os.getpid(), signal.SIGTERM)
            _stuck([], 0.5, said.append, lambda report: None, Where(None, "echo"))
    finally:
        signal.signal(signal.SIGTERM, previous)
    (interrupted,) = said
    assert interrupted is not None
    assert interrupted.startswith("SIGTERM (stopped by the user), while a call could not be stopped")
