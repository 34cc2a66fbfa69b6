"""A call in C that holds the interpreter lock: only the isolated run's parent can end it, and it does."""

from __future__ import annotations

import time
from typing import Any

import pytest

import interlock
from tests.fixtures import hostile as ho


def test_an_isolated_child_stuck_in_c_is_ended_and_the_member_reported_as_timeout() -> None:
    """The child's watchdog stops beating while the call holds the interpreter lock, so the parent ends the child
    about BEAT_STALE seconds after the call began, not at its backstop (the limit twice plus 6 seconds)."""
    started = time.monotonic()
    report = interlock.check(ho.Echo, ho.CLoopEcho, ho.GoodEcho, seed=1, max_examples=5, timeout=0.2, isolate=True)
    assert time.monotonic() - started < 0.2 * 2 + 6, "the child was ended by the backstop, not for its stale watchdog"
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


def test_what_an_isolated_child_found_before_it_was_ended_in_c_is_reported() -> None:
    """The child ended in a call stuck in C had found the target's signature drift first: the target is checked
    again without the stuck member, so the report holds the drift and the member's timeout, not the timeout alone."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ran = subprocess.run(
        [sys.executable, "-m", "interlock", "check", "tests.fixtures.hostile:Echo", "tests.fixtures.hostile:RenamedCLoopEcho",
         "--seed", "1", "--max-examples", "5", "--timeout", "0.2", "--json"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 1, ran.stderr
    (target,) = json.loads(ran.stdout)["targets"]
    assert [(v["kind"], v["member"]) for v in target["violations"]] == [("param-name-drift", "echo"), ("timeout", "echo")]
    assert [n["member"] for n in target["not_checked"]] == ["echo"]


def _stopped_while(
    target: str, tmp_path: Any, *extra: str, signum: int = 15, delay: float = 0.3, alone: bool = False
) -> tuple[int, dict[str, Any], str]:
    """Start the command on ``target`` beside GoodEcho (``alone``: without it), send SIGTERM to it ``delay`` seconds
    after the target runs, and return its exit status, its JSON report and its standard error; no process of the
    run may be left."""
    import json
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from tests.unit.test_hostile import _no_process_left

    root = Path(__file__).resolve().parents[2]
    started = tmp_path / "started"
    others = [] if alone else ["tests.fixtures.hostile:GoodEcho"]
    command = [sys.executable, "-m", "interlock", "check", "tests.fixtures.hostile:Echo", f"tests.fixtures.hostile:{target}",
               *others, "--seed", "1", "--max-examples", "2000", "--timeout", "0.5", "--json", *extra]  # fmt: skip
    env = {**os.environ, "HOSTILE_STARTED": str(started)}
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(delay)
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # as a terminal sends it: to the whole process group
    else:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    _no_process_left(proc.pid)
    return proc.returncode, json.loads(out), err


def test_a_stop_while_the_child_holds_the_interpreter_lock_ends_the_run_as_stopped(tmp_path: Any) -> None:
    """SIGTERM while the isolated child computes in C: the child is ended, the member is its timeout, the other
    target is not checked again (the user asked to stop), and the run ends as stopped (143), with its report."""
    status, report, err = _stopped_while("StartedCLoopEcho", tmp_path)
    assert status == 143, err
    assert report["interrupted"] == "SIGTERM (stopped by the user)"
    stuck, good = report["targets"]
    assert [(v["kind"], v["member"]) for v in stuck["violations"]] == [("timeout", "echo")]
    assert good["violations"] == []
    assert any("stopped by the user" in n["reason"] for n in good["not_checked"])


def test_a_stop_the_child_ignores_still_ends_the_run_as_stopped_with_a_report(tmp_path: Any) -> None:
    """SIGTERM to a run whose target ignores it in the child: the child hears it from its parent before its next
    call, and writes its own report at once (not killed 10 s later with nothing written); the run ends with 143 and
    a report saying what did not run, not 130 and an error object."""
    started = time.monotonic()
    status, report, err = _stopped_while("StopIgnoringEcho", tmp_path)
    assert time.monotonic() - started < 8, "the child ran on until the parent's grace ran out"
    assert status == 143, err
    reasons = [n["reason"] for t in report["targets"] for n in t["not_checked"]]
    assert not [r for r in reasons if "without writing what it found" in r]  # the child wrote its own report
    assert report["interrupted"] == "SIGTERM (stopped by the user)"
    assert all(t["violations"] == [] for t in report["targets"])
    assert all(any("stopped by the user" in n["reason"] for n in t["not_checked"]) for t in report["targets"])


@pytest.mark.parametrize("isolation", ["--isolate", "--no-isolate"])
def test_a_ctrl_c_that_a_targets_own_handler_raises_is_the_users_stop(tmp_path: Any, isolation: str) -> None:
    """The target puts the default SIGINT handler back at every call, so Ctrl-C is a KeyboardInterrupt raised in its
    call: the isolated child is told by its parent that the user stopped; in one process, the interpreter's
    wake-up descriptor says a SIGINT came. Either way the run ends as stopped (130) and the target is not blamed."""
    import signal

    status, report, err = _stopped_while("OwnInterruptHandlerEcho", tmp_path, isolation, signum=signal.SIGINT)
    assert status == 130, err
    assert report["interrupted"] == "SIGINT (stopped by the user)"
    assert all(t["violations"] == [] for t in report["targets"]), report["targets"]
    reasons = [n["reason"] for t in report["targets"] for n in t["not_checked"]]
    assert not [r for r in reasons if "without writing what it found" in r]  # the child wrote its own report


@pytest.mark.parametrize("alone", [False, True])
@pytest.mark.parametrize("isolation", ["--isolate", "--no-isolate"])
def test_a_stop_during_a_call_the_time_limit_cannot_reach_is_still_the_users_stop(tmp_path: Any, isolation: str, alone: bool) -> None:
    """The target takes SIGALRM for itself and sleeps; a second after its limit, the watchdog's time limit waits
    for the call to run Python again. SIGTERM wakes the sleep, and the time limit lands inside interlock's own
    handler before it can note the stop: the run still ends as stopped (143), the call's timeout kept, because the
    interpreter's wake-up descriptor heard the signal: before the next call, or (``alone``: no call comes after
    it) at the end of the run."""
    status, report, err = _stopped_while("StartedSleepThroughAlarmEcho", tmp_path, isolation, delay=1.5, alone=alone)
    assert status == 143, err
    assert report["interrupted"].startswith("SIGTERM (stopped by the user)")
    stuck = next(t for t in report["targets"] if t["target"].endswith("StartedSleepThroughAlarmEcho"))
    assert [(v["kind"], v["member"]) for v in stuck["violations"]] == [("timeout", "echo")]
