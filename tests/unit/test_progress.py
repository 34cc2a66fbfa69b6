"""The progress line: on a terminal's standard error only, per contract, target and check; never piped, with
--json or with --quiet; taken away before the report."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from interlock._progress import Progress, phase_text

GREETER = ["interlock.examples.greeter:Greeter", "interlock.examples.greeter:PoliteGreeter", "interlock.examples.greeter:LegacyGreeter"]
CLEAR = "\r\x1b[K"


def run_on_terminal(args: list[str], cwd: Path, columns: int = 300) -> tuple[int, str, str]:
    """Run ``python -m interlock ARGS`` with standard error on a pseudo-terminal (standard output piped): the
    exit status, standard output, and everything the terminal received."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    with subprocess.Popen([sys.executable, "-m", "interlock", *args], stdout=subprocess.PIPE, stderr=child, cwd=cwd, env=env) as proc:
        os.close(child)
        received = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed its end: everything was read
                break
            if not chunk:
                break
            received += chunk
        out = proc.stdout.read() if proc.stdout is not None else b""
        status = proc.wait(timeout=300)
    os.close(main)
    return status, out.decode(), received.decode()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_check_on_a_terminal_shows_contract_target_and_check(tmp_path: Path) -> None:
    """On a terminal, standard error shows the contract, each target and the checks under way, redrawn in place,
    and the line is taken away before the run ends; the report on standard output is the same as piped."""
    status, out, seen = run_on_terminal(["check", *GREETER, "--seed", "1", "--max-examples", "10"], tmp_path)
    assert status == 1
    assert "interlock: interlock.examples.greeter:Greeter · " in seen
    assert "LegacyGreeter · building the target" in seen
    assert "every target · greet: in-domain examples" in seen
    assert seen.count(CLEAR) >= 3
    assert seen.endswith(CLEAR)  # nothing of the line is left on the terminal
    piped = subprocess.run(
        [sys.executable, "-m", "interlock", "check", *GREETER, "--seed", "1", "--max-examples", "10"],
        capture_output=True,
        check=False,
        text=True,
        cwd=tmp_path,
    )
    assert out.split("drift found")[0] == piped.stdout.split("drift found")[0]


@pytest.mark.parametrize("flag", ["--json", "--quiet"])
def test_no_progress_with_json_or_quiet(tmp_path: Path, flag: str) -> None:
    """--json and --quiet draw nothing on the terminal: only what the run has to say remains (here, nothing)."""
    status, out, seen = run_on_terminal(["check", *GREETER, "--seed", "1", "--max-examples", "10", flag], tmp_path)
    assert status == 1
    assert "interlock:" not in seen
    assert "\x1b[K" not in seen
    assert "LegacyGreeter" in out


def test_no_progress_when_piped(tmp_path: Path) -> None:
    """Standard error that is not a terminal gets no progress line: a log or a CI job sees none of it."""
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "check", *GREETER, "--seed", "1", "--max-examples", "10"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""


def test_isolated_run_shows_the_childs_checks(tmp_path: Path) -> None:
    """With --isolate the checks run in a child process, and the line still follows them."""
    status, _, seen = run_on_terminal(["check", *GREETER, "--seed", "1", "--isolate", "--max-examples", "5"], tmp_path)
    assert status == 1
    assert "every target · greet: in-domain examples" in seen
    assert seen.endswith(CLEAR)


def test_narrow_terminal_cuts_the_line_in_the_middle(tmp_path: Path) -> None:
    """A line wider than the terminal would wrap and could not be redrawn: it is cut in the middle to fit."""
    _, _, seen = run_on_terminal(["check", *GREETER, "--seed", "1", "--max-examples", "5"], tmp_path, columns=40)
    lines = [part for part in seen.split(CLEAR) if part]
    assert lines
    assert all(len(line) < 40 for line in lines)
    assert any("..." in line and line.startswith("interlock: ") for line in lines)


def test_progress_words_each_check() -> None:
    """The engine's labels read as words on the line."""
    assert phase_text("sweep_greet") == "greet: in-domain examples"
    assert phase_text("outside_greet") == "greet: values outside its domain"
    assert phase_text("scenario_never-twice") == "clause never-twice"
    assert phase_text("compare_same-answer") == "clause same-answer, targets compared"
    assert phase_text("sequences") == "generated sequences of calls"
    assert phase_text("probe_m:T") == "building the target"


def test_progress_is_silent_off_a_terminal() -> None:
    """A stream that is not a terminal, --quiet or --json: the progress object writes nothing at all."""
    for stream, quiet, as_json in ((io.StringIO(), False, False), (Terminal(), True, False), (Terminal(), False, True)):
        line = Progress.for_run(stream, quiet=quiet, as_json=as_json)
        line.contract("m:C", ("m:T",))
        line("sweep_f", None)
        line.status("1 of 2 contracts checked")
        line.clear()
        assert stream.getvalue() == ""
        assert not line.active


def test_progress_counts_contracts_and_names_the_single_target() -> None:
    """Several contracts are counted [i/n]; with one target, a check over every target names it."""
    stream = Terminal()
    line = Progress.for_run(stream)
    line.contract("m:First", ("m:Only",), 1, 3)
    line.clear()
    line.contract("m:Second", ("m:A", "m:B"), 2, 3)
    line.clear()
    text = stream.getvalue()
    assert "interlock: m:First [2/3] · starting" in text
    assert "interlock: m:Second [3/3] · starting" in text
    one = Terminal()
    single = Progress.for_run(one)
    single.contract("m:C", ("m:Only",))
    single("sweep_f", None)
    assert "interlock: m:C · Only · f: in-domain examples" in one.getvalue()
    assert "[1/1]" not in one.getvalue()


def test_the_same_line_is_drawn_once() -> None:
    """With --jobs the line says how many contracts are done; a check that starts again (once per violation it
    finds) is not drawn again: the terminal gets a line per change."""
    stream = Terminal()
    line = Progress.for_run(stream)
    line.status("0 of 2 contracts checked; checking A, B")
    line.status("0 of 2 contracts checked; checking A, B")
    assert stream.getvalue().count("interlock: 0 of 2 contracts checked; checking A, B") == 1
    line.contract("m:C", ("m:A", "m:B"))
    line("sweep_f", None)
    line("sweep_f", None)
    line("sweep_f", "m:A")
    assert stream.getvalue().count("every target · f: in-domain examples") == 1
    assert stream.getvalue().count("· A · f: in-domain examples") == 1


def test_a_terminal_without_the_middle_dot_gets_a_dash() -> None:
    """A terminal whose encoding cannot write '·' (an ASCII locale) gets ' - ' between the parts, not an escape."""

    class Ascii(Terminal):
        encoding = "ascii"

    stream = Ascii()
    line = Progress.for_run(stream)
    line.contract("m:C", ("m:A", "m:B"))
    line("sweep_f", "m:A")
    assert "interlock: m:C - A - f: in-domain examples" in stream.getvalue()
    assert "·" not in stream.getvalue()
