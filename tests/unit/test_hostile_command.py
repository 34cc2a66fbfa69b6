"""The command against hostile modules and hostile moments: a module that forks or raises KeyboardInterrupt at import,
a stop signal before the run has started, a --junit file that cannot be written, --json spelled --json=1. Each is
one clear exit status, one line on standard error and (with --json) JSON on standard output, in seconds, with no
process of the command left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from interlock import UsageError
from interlock._imports import resolve
from tests.unit.test_hostile import ROOT, _no_process_left

FIXTURES = "tests.fixtures.hostile"
BOUND = 30.0
"""Seconds any command here may take: a regression (a hang) fails in that time, not in minutes."""


def _start(*args: str, out: Any = subprocess.PIPE, err: Any = subprocess.PIPE, **env: str) -> subprocess.Popen[str]:
    """``python -m interlock ARGS`` in a session of its own, so that every process it leaves is seen."""
    return subprocess.Popen(
        [sys.executable, "-m", "interlock", *args],
        cwd=ROOT,
        stdout=out,
        stderr=err,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def _run(*args: str) -> tuple[int, str, str]:
    proc = _start(*args)
    try:
        out, err = proc.communicate(timeout=BOUND)
    finally:
        _no_process_left(proc.pid)
    return proc.returncode, out, err


def _gone(pid: int) -> bool:
    """Whether the process ``pid`` has ended (a zombie nobody reaped yet has ended too)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def _wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return False


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# F10: a module that forks at import --------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the import probe needs os.fork")
def test_a_module_that_forks_at_import_neither_hangs_the_command_nor_leaves_the_probes_copy(tmp_path: Path) -> None:
    """The import probe ends when its child has, not when the forked copy (which holds the pipe) closes it; the
    copy is killed with the probe's process group. The copy forked by the real import, in the command's own
    process, is the module's doing: the command still ends with its report (it holds standard output and error,
    so they go to files here, not to pipes that would not close)."""
    forked = tmp_path / "forked"
    out_file, err_file = tmp_path / "out", tmp_path / "err"
    args = ["check", f"{FIXTURES}:Echo", "tests.fixtures.hostile_cmd_fork_at_import:ForkedAtImportEcho"]
    with out_file.open("w") as out, err_file.open("w") as err:
        proc = _start(
            *args, "--seed", "1", "--max-examples", "10", "--timeout", "0.5", "--json", out=out, err=err, HOSTILE_FORKED=str(forked)
        )
    copies: dict[int, int] = {}
    try:
        status = proc.wait(timeout=BOUND)
        deadline = time.monotonic() + 10
        while len(copies) < 2 and time.monotonic() < deadline:  # the probe's copy and the real import's
            text = forked.read_text() if forked.exists() else ""
            copies = {int(pid): int(parent) for pid, parent in (line.split() for line in text.splitlines() if line.count(" ") == 1)}
            time.sleep(0.05)
        assert status == 0, err_file.read_text()
        report = json.loads(out_file.read_text())
        assert report["targets"][0]["conforms"] is True
        assert "Traceback" not in err_file.read_text()
        assert len(copies) == 2, copies
        (probes_copy,) = [pid for pid, parent in copies.items() if parent != proc.pid]
        assert _wait_gone(probes_copy), "the copy forked in the import probe was left running"
    finally:
        for pid, parent in copies.items():
            if parent == proc.pid and not _gone(pid):  # the module's own leftover, not the command's
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        _no_process_left(proc.pid)


# A module whose forked copy goes on with the import --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forking at import needs os.fork")
@pytest.mark.parametrize("isolate", ["--isolate", "--no-isolate"])
def test_the_copy_a_module_forks_at_import_never_checks_or_reports(isolate: str) -> None:
    """The copy the module forks comes back from the import into the command: it ends there, so standard output
    holds one report, of the original process, and the copy is not left running."""
    args = ["check", f"{FIXTURES}:Echo", "tests.fixtures.hostile_cmd_fork_goes_on_at_import:BothCopiesEcho"]
    status, out, err = _run(*args, "--seed", "1", "--max-examples", "10", "--timeout", "0.5", "--json", isolate)
    assert status == 0, err
    report = json.loads(out)  # one JSON document: a second report after it is "Extra data"
    assert report["targets"][0]["conforms"] is True
    assert "Traceback" not in err


# F16: KeyboardInterrupt raised by a module at import ---------------------------------------------------------


@pytest.mark.parametrize("isolate", ["--isolate", "--no-isolate"])
def test_a_module_that_raises_keyboard_interrupt_at_import_is_a_usage_error(isolate: str) -> None:
    path = "tests.fixtures.hostile_cmd_interrupt_at_import:Anything"
    status, out, err = _run("check", f"{FIXTURES}:Echo", path, "--json", isolate)
    assert status == 2, err
    assert _one_error_line(err) == (
        f"interlock: error: importing 'tests.fixtures.hostile_cmd_interrupt_at_import' for {path!r} raised "
        "KeyboardInterrupt with no signal from the user; a module must import without it"
    )
    assert "KeyboardInterrupt" in json.loads(out)["error"]


def test_in_the_command_a_keyboard_interrupt_with_no_signal_is_the_modules_failure() -> None:
    """Where no probe runs first (no os.fork, the configured project), the import in the command's own process
    tells the two apart the same way: only a signal the command received is a stop."""
    from interlock.cli import _stops_recorded

    path = "tests.fixtures.hostile_cmd_interrupt_at_import:Anything"
    with pytest.raises(KeyboardInterrupt):  # no handler of the command's: it cannot be told, it is a stop
        resolve(path)
    with _stops_recorded(), pytest.raises(UsageError, match="raised KeyboardInterrupt with no signal from the user"):
        resolve(path)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# F6: a stop signal before the run has started ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the import probe needs os.fork")
@pytest.mark.parametrize(("signum", "status", "group"), [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
def test_a_stop_while_the_targets_are_imported_is_its_exit_status_and_one_line(
    signum: int, status: int, group: bool, tmp_path: Path
) -> None:
    """Ctrl-C (to the whole process group, as a terminal sends it) or SIGTERM (to the command alone) while a target
    module is still being imported, before any run: 130 or 143, one line, the JSON error object, no traceback, and
    the import probe's child (which notes its pid when the import begins) is not left behind."""
    importing = tmp_path / "importing"
    args = ["check", f"{FIXTURES}:Echo", "tests.fixtures.hostile_cmd_slow_import:SlowImportEcho", "--seed", "1", "--json"]
    proc = _start(*args, HOSTILE_IMPORTING=str(importing), HOSTILE_IMPORT_SECONDS="20")
    try:
        deadline = time.monotonic() + BOUND
        while not (importing.exists() and importing.read_text().strip()) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, proc.communicate()
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        out, err = proc.communicate(timeout=BOUND)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        _no_process_left(proc.pid)
    assert proc.returncode == status, err
    assert _one_error_line(err) == f"interlock: error: interrupted by {signal.Signals(signum).name}"
    assert json.loads(out) == {"interlock": json.loads(out)["interlock"], "error": f"interrupted by {signal.Signals(signum).name}"}
    importer = int(importing.read_text().split()[0])
    assert _wait_gone(importer), "the import probe's child was left running"


_STOP_IN_THE_COMMANDS_IMPORT = """
import builtins, os, signal, sys

real = builtins.__import__
sent = []


def hooked(name, *args, **kwargs):
    if name == "interlock._imports" and not sent:  # the command's own import, before its handlers are in place
        sent.append(1)
        os.kill(os.getpid(), signal.{signame})
    return real(name, *args, **kwargs)


builtins.__import__ = hooked
sys.argv = ["interlock", "check", "tests.fixtures.hostile:Echo", "tests.fixtures.hostile:GoodEcho", "--json"]
from interlock._console import entry

entry()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_the_command_itself_is_imported_is_one_line(signum: int) -> None:
    """The console script's first instant: the stop arrives while ``interlock.cli`` is still being imported, before
    any handler of interlock's is in place. It is held back until they are, then handled as any stop before the
    run: 130 or 143, one line, the JSON error object, never a ``KeyboardInterrupt`` traceback from the import."""
    code = _STOP_IN_THE_COMMANDS_IMPORT.format(signame=signal.Signals(signum).name)
    ran = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=BOUND, check=False)
    name = signal.Signals(signum).name
    assert ran.returncode == 128 + signum, ran.stderr
    assert _one_error_line(ran.stderr) == f"interlock: error: interrupted by {name}"
    assert json.loads(ran.stdout)["error"] == f"interrupted by {name}"


# F17: a --junit file that cannot be written ------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/proc/version") or os.geteuid() != 0, reason="needs root and /proc/version")
def test_a_junit_file_root_may_open_but_not_write_is_refused_before_the_run(tmp_path: Path) -> None:
    """Root passes every permission check for /proc/version, and may even open it; writing it fails. The check
    before the run writes (nothing) to it, so the run never starts and its report is not thrown away."""
    started = tmp_path / "started"
    args = ["check", f"{FIXTURES}:Echo", f"{FIXTURES}:SlowEcho", "--seed", "1", "--max-examples", "3"]
    proc = _start(*args, "--junit", "/proc/version", "--json", HOSTILE_STARTED=str(started))
    try:
        out, err = proc.communicate(timeout=BOUND)
    finally:
        _no_process_left(proc.pid)
    assert proc.returncode == 2, err
    assert _one_error_line(err).startswith("interlock: error: cannot write the JUnit report to '/proc/version': ")
    assert json.loads(out)["error"].startswith("cannot write the JUnit report")
    assert not started.exists(), "the run started before the JUnit file was found unwritable"


def test_the_junit_check_leaves_a_file_as_it_was_and_no_new_file_behind(tmp_path: Path) -> None:
    """The check opens the file for writing: one that is there keeps its text, one that was not is not left."""
    kept, new = tmp_path / "kept.xml", tmp_path / "new.xml"
    kept.write_text("the old report")
    for junit in (kept, new):  # refused after the check: a target that cannot be imported
        status, _, err = _run("check", f"{FIXTURES}:Echo", "no_such_module_here:X", "--junit", str(junit))
        assert status == 2, err
        assert "no_such_module_here" in _one_error_line(err)
    assert kept.read_text() == "the old report"
    assert not new.exists()


# F19: --json=1 and abbreviations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", f"{FIXTURES}:Echo", f"{FIXTURES}:GoodEcho", "--json=1"], "argument --json: ignored explicit argument '1'"),
        (["check", "--json=", f"{FIXTURES}:Echo"], "argument --json: ignored explicit argument ''"),
        (["scan", "tests.fixtures.hostile", "--js", "--bogus"], "unrecognized arguments: --bogus"),  # scan takes abbreviations
    ],
)
def test_every_spelling_argparse_reads_as_json_gets_the_json_error(args: list[str], message: str) -> None:
    status, out, err = _run(*args)
    assert status == 2, err
    assert message in _one_error_line(err)
    error = json.loads(out)
    assert set(error) == {"interlock", "error"}
    assert message in error["error"]


@pytest.mark.parametrize("args", [["check", f"{FIXTURES}:Echo", f"{FIXTURES}:GoodEcho", "--js"], ["check", "--", "--json"]])
def test_what_argparse_does_not_read_as_json_gets_no_json(args: list[str]) -> None:
    status, out, err = _run(*args)
    assert status == 2, err
    _one_error_line(err)
    assert out == ""
