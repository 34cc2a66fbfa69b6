"""The options of ``--sockets real`` (``sockets``, ``users``, ``socket_port``): held to one set of rules wherever
they are given, and the ``asgi`` extra loaded only by a run that uses it. No server is started here
(tests/integration/test_real_sockets.py starts them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import interlock
import interlock.pytest
from interlock._config import load
from interlock._options import Options, from_text
from interlock.cli import main
from interlock.examples.greeter import Greeter, PoliteGreeter

ROOT = Path(__file__).resolve().parents[2]

BAD: list[tuple[str, Any, str, str]] = [
    ("sockets", "fake", "--sockets=fake", "sockets must be 'doubles' or 'real' (got 'fake')"),
    ("sockets", "", "--sockets=", "sockets must be 'doubles' or 'real' (got '')"),
    ("users", 0, "--users=0", "users must be a whole number of 1 or more (got 0)"),
    ("users", -2, "--users=-2", "users must be a whole number of 1 or more (got -2)"),
    ("socket_port", 70000, "--socket-port=70000", "socket_port must be a whole number from 0 to 65535 (0: a free port) (got 70000)"),
    ("socket_port", -1, "--socket-port=-1", "socket_port must be a whole number from 0 to 65535 (0: a free port) (got -1)"),
]
IDS = [f"{name}={value!r}" for name, value, _, _ in BAD]


@pytest.mark.parametrize(("name", "value", "flag", "message"), BAD, ids=IDS)
def test_options_refuse_bad_values_with_one_line(name: str, value: Any, flag: str, message: str) -> None:
    """Options, from_text, interlock.check and contract_tests refuse a bad value with the same one-line message."""
    with pytest.raises(interlock.UsageError) as caught:
        Options(**{name: value})
    assert str(caught.value) == message
    with pytest.raises(interlock.UsageError) as caught:
        from_text(name, str(value))
    assert str(caught.value) == message
    with pytest.raises(interlock.UsageError) as caught:
        interlock.check(Greeter, PoliteGreeter, **{name: value})
    assert str(caught.value) == message
    with pytest.raises(interlock.UsageError) as caught:
        interlock.pytest.contract_tests(Greeter, PoliteGreeter, **{name: value})
    assert str(caught.value) == message


@pytest.mark.parametrize(("name", "value", "flag", "message"), BAD, ids=IDS)
def test_command_refuses_bad_values_with_exit_2(name: str, value: Any, flag: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line refuses them with exit status 2 and one line naming the option."""
    code = main(["check", "interlock.examples.greeter:Greeter", "interlock.examples.greeter:PoliteGreeter", flag])
    err = capsys.readouterr().err
    option = flag.split("=", 1)[0]
    assert code == 2
    assert err.strip().splitlines() == [f"interlock: error: argument {option}: {message} (see 'interlock check --help')"]


def test_text_values_are_read_as_their_types() -> None:
    """On the command line and in ini files, 'real' is text, users and the port are whole numbers."""
    assert from_text("sockets", " real ") == "real"
    assert from_text("users", "7") == 7
    assert from_text("socket_port", "0") == 0


def test_only_a_real_sockets_run_gets_a_socket_source() -> None:
    """With doubles the engine gets no socket source; with real sockets a fresh, unstarted one with the users and
    port asked for."""
    assert "sockets" not in Options().run_options()
    source = Options(sockets="real", users=3, socket_port=0).run_options()["sockets"]
    assert (type(source).__name__, source.users, source.port, source.loop) == ("RealSockets", 3, 0, None)


def test_project_configuration_sets_them(tmp_path: Path) -> None:
    """``sockets``, ``users`` and ``socket-port`` in [tool.interlock] are run options; a bad one names the key."""
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.interlock]\nsockets = "real"\nusers = 5\nsocket-port = 0\n')
    assert load(path).options == {"sockets": "real", "users": 5, "socket_port": 0}
    path.write_text('[tool.interlock]\nsockets = "yes"\n')
    with pytest.raises(interlock.UsageError, match=r"sockets must be 'doubles' or 'real' \(got 'yes'\)$"):
        load(path)


def test_importing_interlock_loads_no_server_or_client() -> None:
    """``import interlock`` and a check with doubles import neither Starlette, uvicorn nor websockets."""
    code = (
        "import sys, interlock\n"
        "from interlock.contracts.websocket import WebSocketManager\n"
        "from interlock.examples.websocket import ReferenceManager\n"
        "interlock.check(WebSocketManager, ReferenceManager, max_examples=2, seed=1, sequences=0)\n"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'websockets') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
