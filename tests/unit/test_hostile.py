"""Hostile targets cannot hang, kill or fool the checker: each finding is the target's violation, reported once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import interlock
from interlock.properties._runner import Interrupted, Runner, held, interruptible, stopped
from tests.fixtures import hostile as ho

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = "tests.fixtures.hostile"
SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None]]:
    return {(v.kind, v.member, v.clause) for v in report.violations}


@pytest.mark.parametrize("isolate", [False, True])
def test_a_factory_that_builds_nothing_is_a_violation_on_init(isolate: bool) -> None:
    report = interlock.check(ho.Echo, ho.factory_that_raises, seed=1, max_examples=5, isolate=isolate)
    assert _keys(report) == {("unexpected-exception", "__init__", None)}
    (v,) = report.violations
    assert v.message == "__init__: the factory raised RuntimeError: the database is not configured instead of building the target"
    assert v.example.endswith("factory_that_raises()")
    assert report.internal_errors == []


@pytest.mark.parametrize("isolate", [False, True])
def test_a_result_whose_equality_cannot_be_told_is_the_targets_violation(isolate: bool) -> None:
    report = interlock.check(ho.Echo, ho.ArrayLikeEcho, ho.GoodEcho, seed=1, max_examples=10, isolate=isolate)
    assert report.internal_errors == []
    target = report.targets[0]
    assert {(v.kind, v.member, v.clause) for v in target.violations} == {("postcondition", "echo", "echoes-its-text")}
    assert "ValueError" in target.violations[0].message
    assert report.targets[1].violations == []


@pytest.mark.parametrize("isolate", [False, True])
def test_a_result_whose_equality_never_returns_is_a_timeout_found_once(isolate: bool) -> None:
    """The postcondition's check on that result is stopped at the limit: a timeout of the member under the clause,
    never a pass, and the clause is not judged again on that target (one limit spent, not one per example)."""
    started = time.monotonic()
    report = interlock.check(ho.Echo, ho.EndlessEqualityEcho, ho.GoodEcho, seed=1, max_examples=20, timeout=0.3, isolate=isolate)
    assert time.monotonic() - started < 20
    stuck, good = report.targets
    assert [(v.kind, v.member, v.clause) for v in stuck.violations] == [("timeout", "echo", "echoes-its-text")]
    assert "checking 'echoes-its-text' on its result did not finish within 0.3s" in stuck.violations[0].message
    assert any(n.clause == "echoes-its-text" and "not judged again" in n.reason for n in stuck.not_checked)
    assert good.violations == []


def test_a_member_that_is_a_proxy_object_is_judged_by_calling_it() -> None:
    """A member whose ``__wrapped__`` never ends (inspect.unwrap raises) is the target's object, not interlock's
    failure: no internal error, and a correct proxy conforms."""
    report = interlock.check(ho.Echo, ho.ProxyMemberEcho, seed=1, max_examples=10)
    assert report.internal_errors == []
    assert report.violations == [], [v.message for v in report.violations]


@pytest.mark.parametrize("isolate", [False, True])
def test_an_exception_that_cannot_be_printed_is_reported_not_fatal(isolate: bool) -> None:
    report = interlock.check(ho.Echo, ho.UnprintableErrorEcho, seed=1, max_examples=10, isolate=isolate)
    assert report.internal_errors == []
    assert _keys(report) == {("unexpected-exception", "echo", None)}
    assert "its __str__ raised RuntimeError" in report.violations[0].message


@pytest.mark.parametrize("isolate", [False, True])
def test_a_target_that_takes_sigalrm_is_still_stopped_at_the_limit(isolate: bool) -> None:
    report = interlock.check(ho.Echo, ho.AlarmTakingEcho, seed=1, max_examples=3, timeout=0.2, isolate=isolate)
    assert ("timeout", "echo", None) in _keys(report)
    assert report.internal_errors == []


def test_an_alarm_that_fires_before_the_call_starts_is_that_calls_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timer is armed inside the try: a limit so short it fires at once is a timeout, never an escape."""
    real = signal.setitimer

    def fire_at_once(which: int, seconds: float, interval: float = 0.0) -> tuple[float, float]:
        previous = real(which, seconds, interval)
        if seconds:
            os.kill(os.getpid(), signal.SIGALRM)
        return previous

    monkeypatch.setattr(signal, "setitimer", fire_at_once)
    runner = Runner(0.001)
    try:
        outcome = runner.call(lambda: 1, [], {}, is_async=False)
    finally:
        runner.close()
    assert outcome.timed_out


@pytest.mark.parametrize("isolate", [False, True])
def test_values_and_messages_that_never_finish_printing_are_bounded(isolate: bool) -> None:
    report = interlock.check(ho.Echo, ho.EndlessReprEcho, ho.EndlessMessageEcho, seed=1, max_examples=5, timeout=1, isolate=isolate)
    assert report.internal_errors == []
    first, second = report.targets
    assert {v.kind for v in first.violations} >= {"return-type"}
    assert any("whose __repr__ did not return within 1s" in v.message for v in first.violations)
    assert {(v.kind, v.member) for v in second.violations} == {("unexpected-exception", "echo")}
    assert "its __str__ did not return within 1s" in second.violations[0].message


def test_a_call_no_signal_stops_ends_the_isolated_run_with_what_was_found() -> None:
    report = interlock.check(ho.Echo, ho.SleepThroughAlarmEcho, seed=1, max_examples=5, timeout=0.2, isolate=True)
    assert report.interrupted is not None
    assert "echo of tests.fixtures.hostile:SleepThroughAlarmEcho did not return within 0.2s" in report.interrupted
    assert ("timeout", "echo", None) in _keys(report)
    (v,) = [v for v in report.violations if v.kind == "timeout"]
    assert "could not be stopped" in v.message
    assert "target.echo(" in v.example


def _command(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "interlock", *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


@pytest.mark.parametrize("isolate", [["--no-isolate"], ["--isolate"]])
def test_the_command_writes_what_it_found_when_a_call_cannot_be_stopped(isolate: list[str]) -> None:
    """The process ends (the subprocess returns well within its own limit) with the report of what was found."""
    ran = _command(
        "check",
        f"{FIXTURES}:Echo",
        f"{FIXTURES}:SleepThroughAlarmEcho",
        f"{FIXTURES}:GoodEcho",
        "--seed",
        "1",
        "--max-examples",
        "5",
        "--timeout",
        "0.2",
        "--json",
        *isolate,
    )
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    jsonschema.validate(report, SCHEMA)
    assert "SleepThroughAlarmEcho did not return within 0.2s" in report["interrupted"]
    kinds = [(v["kind"], v["member"]) for t in report["targets"] for v in t["violations"]]
    assert ("timeout", "echo") in kinds


def _no_process_left(pgid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(pgid, signal.SIGKILL)
    raise AssertionError("a process of the run was left behind")


@pytest.mark.parametrize("isolate", [["--no-isolate"], ["--isolate"]])
@pytest.mark.parametrize(("signum", "status", "group"), [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
def test_the_user_stops_the_run_and_gets_what_was_found(isolate: list[str], signum: int, status: int, group: bool, tmp_path: Path) -> None:
    """Ctrl-C (to the whole process group, as a terminal sends it) or SIGTERM (to the command alone): the run stops,
    the correct target is not blamed, the report so far is written and marked, and no process is left behind."""
    command = [
        sys.executable,
        "-m",
        "interlock",
        "check",
        f"{FIXTURES}:Echo",
        f"{FIXTURES}:SlowEcho",
        "--seed",
        "1",
        "--max-examples",
        "2000",
        "--json",
        *isolate,
    ]
    started = tmp_path / "started"
    env = {**os.environ, "HOSTILE_STARTED": str(started)}
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:  # the run is under way
        time.sleep(0.05)
    time.sleep(0.5)
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    _no_process_left(proc.pid)
    assert proc.returncode == status, err
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["interrupted"].startswith(signal.Signals(signum).name)
    assert [v for t in report["targets"] for v in t["violations"]] == []
    assert f"interrupted by {signal.Signals(signum).name}" in err


def test_a_ctrl_c_held_around_the_fork_reaches_the_run_not_a_bare_keyboard_interrupt() -> None:
    """A stop signal that comes while signals are held (between the fork and the run's start) is not lost and not
    a KeyboardInterrupt at a random place: the next interruptible run receives it as Interrupted."""
    with held():
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # to this thread, which holds it: pending
        time.sleep(0.05)
        with pytest.raises(Interrupted), interruptible():
            time.sleep(0.1)  # the handler runs as soon as the signal is let through, before this ends
        assert stopped() == signal.SIGINT
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_from_python_ctrl_c_is_a_keyboard_interrupt_not_the_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    """interlock.check raises KeyboardInterrupt, after cleaning up; the target is never blamed for it."""
    calls = {"n": 0}

    class Interrupting(ho.GoodEcho):
        def echo(self, text: str) -> str:
            calls["n"] += 1
            if calls["n"] == 5:
                os.kill(os.getpid(), signal.SIGINT)
            return super().echo(text)

    with pytest.raises(KeyboardInterrupt):
        interlock.check(ho.Echo, Interrupting, seed=1, max_examples=50)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _check(target: str, *extra: str, isolate: bool = False) -> subprocess.CompletedProcess[str]:
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:{target}", "--seed", "1", "--max-examples", "5", *extra]
    return _command(*args, "--isolate" if isolate else "--no-isolate")


def _interlock_script(*args: str, cwd: Path = ROOT) -> subprocess.Popen[str]:
    """The console script as users run it (``entry``), in its own session so that every process it left is seen."""
    code = "import sys; from interlock._console import entry; sys.argv[0] = 'interlock'; entry()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("isolate", [False, True])
def test_a_thread_that_never_ends_does_not_keep_the_command_alive(isolate: bool) -> None:
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:ThreadEcho", "--seed", "1", "--max-examples", "3", "--json"]
    proc = _interlock_script(*args, "--isolate" if isolate else "--no-isolate")
    out, err = proc.communicate(timeout=60)
    _no_process_left(proc.pid)
    assert proc.returncode == 0, err
    assert json.loads(out)["targets"][0]["conforms"] is True


@pytest.mark.parametrize("isolate", [False, True])
def test_standard_output_holds_the_report_alone(isolate: bool) -> None:
    """An atexit print and a late-flushed writer on fd 1 write nothing after the report."""
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:LateWriterEcho", "--seed", "1", "--max-examples", "3", "--json"]
    proc = _interlock_script(*args, "--isolate" if isolate else "--no-isolate")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["targets"][0]["conforms"] is True  # the whole of stdout is one JSON document
    assert "late text" not in out


@pytest.mark.parametrize("isolate", [False, True])
def test_a_target_that_forks_gives_one_report(isolate: bool) -> None:
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:ForkingEcho", "--seed", "1", "--max-examples", "3", "--json"]
    proc = _interlock_script(*args, "--isolate" if isolate else "--no-isolate")
    out, err = proc.communicate(timeout=60)
    _no_process_left(proc.pid)
    assert proc.returncode == 0, err
    assert json.loads(out)["targets"][0]["conforms"] is True
    assert out.count('"interlock"') == 1


@pytest.mark.parametrize("isolate", [False, True])
def test_a_value_whose_repr_forks_gives_one_report(isolate: bool) -> None:
    """The checker shows a wrong result in its message, under a time limit: the copy its ``__repr__`` forked comes
    back there and ends, so standard output holds one report."""
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:ForkingReprEcho", "--seed", "1", "--max-examples", "3", "--json"]
    proc = _interlock_script(*args, "--isolate" if isolate else "--no-isolate")
    out, err = proc.communicate(timeout=60)
    _no_process_left(proc.pid)
    assert proc.returncode == 1, err
    (target,) = json.loads(out)["targets"]  # the whole of stdout is one JSON document
    assert "return-type" in [v["kind"] for v in target["violations"]]
    assert out.count('"interlock"') == 1


def test_processes_a_target_forked_end_with_the_isolated_run() -> None:
    """What a target forks in the checking child (and leaves sleeping) is ended with it: none is left, and the
    report's standard output reaches its end (a pipe reading it would otherwise wait ten minutes)."""
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:ForkSleeperEcho", "--seed", "1", "--max-examples", "3", "--json"]
    proc = _interlock_script(*args)
    out, err = proc.communicate(timeout=60)  # communicate reads stdout to its end: every holder of it has ended
    assert proc.returncode == 0, err
    assert json.loads(out)["targets"][0]["conforms"] is True
    _no_process_left(proc.pid)


@pytest.mark.parametrize("isolate", [False, True])
def test_a_target_that_closes_the_standard_streams_changes_nothing(isolate: bool) -> None:
    ran = _check("StreamClosingEcho", "--json", isolate=isolate)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["targets"][0]["conforms"] is True
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize("isolate", [False, True])
def test_a_module_that_exits_at_import_is_a_usage_error(isolate: bool) -> None:
    args = ["check", f"{FIXTURES}:Echo", "tests.fixtures.hostile_exit_at_import:Anything", "--json"]
    ran = _command(*args, "--isolate" if isolate else "--no-isolate")
    assert ran.returncode == 2
    (line,) = ran.stderr.strip().splitlines()
    assert line == (
        "interlock: error: importing 'tests.fixtures.hostile_exit_at_import' ended the process "
        "(it exited with status 0); a module must import without exiting"
    )
    assert json.loads(ran.stdout)["error"]


@pytest.mark.parametrize("isolate", [False, True])
def test_a_target_that_changes_folder_moves_neither_the_junit_file_nor_locations(isolate: bool, tmp_path: Path) -> None:
    args = [
        "check",
        f"{FIXTURES}:Echo",
        f"{FIXTURES}:ChdirEcho",
        "--seed",
        "1",
        "--max-examples",
        "20",
        "--json",
        "--junit",
        "chdir-report.xml",
    ]
    proc = _interlock_script(*args, "--isolate" if isolate else "--no-isolate", cwd=ROOT)
    out, err = proc.communicate(timeout=60)
    junit = ROOT / "chdir-report.xml"
    try:
        assert proc.returncode == 1, err
        assert junit.exists()
        locations = [v["location"] for t in json.loads(out)["targets"] for v in t["violations"]]
        assert locations
        assert all(loc.startswith("tests/fixtures/hostile.py:") for loc in locations), locations
    finally:
        junit.unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--junit", ""], "interlock: error: --junit needs a file name (got '')"),
        (
            ["--junit", "/no/such/folder/r.xml"],
            "interlock: error: cannot write the JUnit report to '/no/such/folder/r.xml': no folder '/no/such/folder'",
        ),
        (["--junit", "tests"], "interlock: error: cannot write the JUnit report to 'tests': it is a folder"),
        (["--jso"], "interlock: error: unrecognized arguments: --jso"),
    ],
)
def test_command_line_gaps_are_usage_errors_before_anything_runs(extra: list[str], message: str) -> None:
    started = time.monotonic()
    ran = _check("SlowEcho", *extra)
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [message]
    assert time.monotonic() - started < 15  # refused before the slow target was checked


def test_the_same_seed_twice_gives_the_same_json_apart_from_timings() -> None:
    def run() -> dict[str, object]:
        ran = _check("ArrayLikeEcho", "--json")
        report = json.loads(ran.stdout)
        report["summary"].pop("seconds")
        return report

    assert run() == run()


def test_interlocks_own_failure_in_an_isolated_child_is_an_internal_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # the module as sys.modules has it now (an in-process pytester run elsewhere may have swapped it), so the
    # child pickles the very class the parent checks for
    _isolate = importlib.import_module("interlock.properties._isolate")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in interlock")

    monkeypatch.setattr(_isolate, "run_check", broken)
    model = interlock.get_contract(ho.Echo)
    with pytest.raises(_isolate.ChildFailed, match="RuntimeError: a bug in interlock"):
        _isolate.run_isolated(model, [("GoodEcho", ho.GoodEcho, None)], seed=1, max_examples=3)


def test_a_run_stuck_outside_any_call_is_ended_with_what_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """A result whose __del__ never returns hangs the checker where no call is under way: once no call has started
    for the idle limit, the run ends with its report, a timeout naming the target."""
    from interlock.properties import _engine, _runner

    monkeypatch.setattr(_runner, "IDLE_LIMIT", 1.0)
    monkeypatch.setattr(_engine, "IDLE_LIMIT", 1.0)
    report = interlock.check(ho.Echo, ho.EndlessFinalizerEcho, seed=1, max_examples=5, timeout=0.2, isolate=True)
    assert report.interrupted is not None
    assert "stuck in code of tests.fixtures.hostile:EndlessFinalizerEcho run outside a call" in report.interrupted
    assert [v.kind for v in report.violations] == ["timeout"]


@pytest.mark.parametrize("isolate", [False, True])
def test_a_target_that_replaces_the_clocks_moves_none_of_interlocks(isolate: bool) -> None:
    """interlock's time limits and its report's seconds keep their own clocks: a frozen time.monotonic does not
    disable the limits, and the report's seconds are not negative (the report validates)."""
    ran = _check("ClockPatchingEcho", "--json", isolate=isolate)
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["seconds"] >= 0


@pytest.mark.parametrize("isolate", [False, True])
def test_a_task_interlock_stopped_leaves_no_traceback_of_interlock_on_stderr(isolate: bool) -> None:
    """The member is a timeout; the task the time limit ended is not logged as "Task exception was never
    retrieved" with interlock's own frames (the target's own output may go to stderr; interlock's internals not)."""
    args = ["check", f"{FIXTURES}:AsyncEcho", f"{FIXTURES}:CleanupLoopingAsyncEcho", "--seed", "1", "--max-examples", "3"]
    ran = _command(*args, "--timeout", "0.3", "--json", "--isolate" if isolate else "--no-isolate")
    assert ran.returncode == 1, ran.stderr
    assert [(v["kind"], v["member"]) for v in json.loads(ran.stdout)["targets"][0]["violations"]] == [("timeout", "echo")]
    assert "never retrieved" not in ran.stderr
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize("isolate", [False, True])
def test_a_value_that_cannot_be_shown_is_not_taken_for_a_call_that_did_not_return(isolate: bool) -> None:
    """The member returned; its value's __repr__ is what would not stop: the run ends with the report, and the
    timeout says so instead of saying the member did not return."""
    ran = _check("SleepingReprEcho", "--json", "--timeout", "0.3", isolate=isolate)
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    (v,) = [v for t in report["targets"] for v in t["violations"] if v["kind"] == "timeout"]
    assert v["member"] == "echo"
    assert "could not be shown: its __repr__ or __str__ did not return within 1s" in v["message"]
    assert report["interrupted"]


@pytest.mark.parametrize("isolate", [False, True])
@pytest.mark.parametrize(
    ("target", "expected"),
    [("InterruptingMessageEcho", ("unexpected-exception", "echo")), ("InterruptingAttributesEcho", ("missing-member", "echo"))],
)
def test_a_keyboard_interrupt_the_targets_own_code_raises_is_its_violation(isolate: bool, target: str, expected: tuple[str, str]) -> None:
    """Not the user's stop (exit 130 with no report), nor a crash of the isolated child: the user's stop reaches a
    run as interlock's own signal, so a bare KeyboardInterrupt from a target's dunder is the target's."""
    ran = _check(target, "--json", isolate=isolate)
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    assert report["interrupted"] is None
    assert [(v["kind"], v["member"]) for v in report["targets"][0]["violations"]] == [expected]


def test_a_target_that_writes_to_every_descriptor_cannot_reach_the_report() -> None:
    """The command's descriptors to the real standard output are closed in the isolated child: the report is the
    parent's to write, and standard output holds it alone."""
    ran = _check("EveryDescriptorEcho", "--json", isolate=True)
    assert ran.returncode == 0, ran.stderr
    assert "SNEAK" not in ran.stdout
    assert json.loads(ran.stdout)["targets"][0]["conforms"] is True


class _Pause:
    """An awaitable that suspends its coroutine once and is never resumed."""

    def __await__(self):  # type: ignore[no-untyped-def]
        yield


def test_a_bound_left_open_by_an_abandoned_call_arms_no_timer_when_it_is_closed_later() -> None:
    """A scenario's call that never finished (its task cancelled, its loop replaced) is closed by the garbage
    collector long after its check: the time limit it opened must not be put back then, to fire in whatever runs."""
    from interlock.properties import _runner

    runner = Runner(5.0)
    try:

        async def scenario_call() -> None:
            with _runner.bounded(5.0):
                await _Pause()

        coro = scenario_call()
        runner.call(lambda: coro.send(None), [], {}, is_async=False)  # the call ends with the coroutine suspended
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        coro.close()  # what the garbage collector does to it, later
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        watch = _runner._WATCH
        assert watch is not None
        assert watch._deadline is None  # the watchdog watches no call either
        assert runner.call(lambda: 1, [], {}, is_async=False).value == 1
        assert watch._deadline is None
        assert not watch._outer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        runner.close()


@pytest.mark.parametrize("isolate", [False, True])
@pytest.mark.parametrize(
    ("target", "raised"),
    [
        ("KeyboardInterruptRouter", "KeyboardInterrupt"),
        ("SystemExitRouter", "SystemExit"),
        ("CancellingRouter", "CancelledError"),
        ("SelfCancellingRouter", "CancelledError"),
        ("OwnBaseExceptionRouter", "OwnBaseException"),
        ("LoopStoppingRouter", "LoopStopped"),
    ],
)
def test_a_keyboard_interrupt_or_exit_a_target_raises_in_a_scenario_is_its_exception(isolate: bool, target: str, raised: str) -> None:
    """A router raising KeyboardInterrupt (no signal came) or CancelledError (nothing cancelled it), calling
    sys.exit, or stopping the event loop it runs on, while a scenario routes a message: the member's
    unexpected-exception, in a report of the whole run.
    Not the user's stop (exit 130 and no report), not a failure of the clause's own code (exit 3), not a crash of
    the isolated child, not an exception escaping the check."""
    args = ["check", "interlock.contracts.router:MessageRouter", f"{FIXTURES}:{target}", "--seed", "1", "--max-examples", "20"]
    ran = _command(*args, "--json", "--isolate" if isolate else "--no-isolate")
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    assert report["interrupted"] is None
    assert report["internal_errors"] == []
    (found,) = [v for v in report["targets"][0]["violations"] if v["kind"] == "unexpected-exception"]
    assert found["member"] == "route_message"
    assert f"raised {raised}" in found["message"]
    assert {v["kind"] for v in report["targets"][0]["violations"]} <= {"unexpected-exception", "none-propagation", "type-coercion"}
    assert "Traceback" not in ran.stderr  # nor asyncio's "Task exception was never retrieved" for interlock's own task


@pytest.mark.parametrize("isolate", [False, True])
@pytest.mark.parametrize(
    ("target", "raised"),
    [
        ("PropertySystemExitEcho", "SystemExit"),
        ("PropertyKeyboardInterruptEcho", "KeyboardInterrupt"),
        ("PropertyCancelledEcho", "CancelledError"),
    ],
)
def test_a_member_whose_reading_raises_a_base_exception_is_its_exception(isolate: bool, target: str, raised: str) -> None:
    """The member is a property whose getter calls sys.exit or raises KeyboardInterrupt or CancelledError: reading it
    is the member's unexpected-exception, in a report of the run (exit 1). Not exit 0 with nothing written, not the
    user's stop, not a crash of the isolated child, not a traceback."""
    ran = _check(target, "--json", isolate=isolate)
    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    assert report["interrupted"] is None
    found = [(v["kind"], v["member"]) for v in report["targets"][0]["violations"]]
    assert ("unexpected-exception", "echo") in found, found
    assert "crash" not in {kind for kind, _ in found}
    assert any(raised in v["message"] for v in report["targets"][0]["violations"])
    assert "Traceback" not in ran.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ending processes in sessions of their own needs Linux")
def test_processes_a_target_starts_in_sessions_of_their_own_do_not_outlive_the_isolated_command(tmp_path: Path) -> None:
    """Every call forks a process that calls setsid (a daemon): it leaves the child's process group, so ending the
    group misses it. The command, as the process orphans are handed to, ends each one before it exits."""
    forked = tmp_path / "forked"
    ran = subprocess.run(
        [sys.executable, "-m", "interlock", "check", f"{FIXTURES}:Echo", f"{FIXTURES}:SessionForkingEcho", "--seed", "1",
         "--max-examples", "3", "--json", "--isolate"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, env={**os.environ, "HOSTILE_FORKED": str(forked)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    json.loads(ran.stdout)
    pids = [int(line) for line in forked.read_text().split()]
    assert pids, "the target forked nothing: the test shows nothing"
    left = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        left.append(pid)
    for pid in left:  # not to leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} of {len(pids)} processes the target started were left running"
