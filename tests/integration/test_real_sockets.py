"""``--sockets real``: the WebSocket contracts checked over real Starlette sockets, served by uvicorn, received by
``websockets`` clients (tests/fixtures/sockets.py holds the targets made for these tests).

Nothing here stands in for the server or the clients: every check starts a uvicorn server on 127.0.0.1 and
connects real clients. Example counts are small, and the load phase has few users, except where the default
is the point.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import interlock
from interlock.adapters._sockets import RealSockets
from interlock.contracts._declare import get_contract
from interlock.contracts.websocket import EVENTS, WebSocketBridge, WebSocketManager
from interlock.examples import websocket as ew
from interlock.properties._engine import run_check
from tests.fixtures import sockets as fx

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"max_examples": 5, "seed": 1, "sequences": 0, "users": 4}


def _kinds(report: interlock.Report) -> set[tuple[str, str | None, str | None]]:
    return {(v.kind, v.member, v.clause) for v in report.violations}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "interlock-sockets" and t.is_alive()]


# ---- the references conform ------------------------------------------------------------------------


def test_reference_manager_conforms_over_real_sockets() -> None:
    """The reference manager keeps every WebSocketManager clause over real sockets, the load phase included."""
    report = interlock.check(WebSocketManager, ew.ReferenceManager, sockets="real", **SMALL)
    assert report.conforms, report.violations
    assert not report.internal_errors
    assert not report.targets[0].not_checked


def test_reference_bridge_conforms_over_real_sockets() -> None:
    """The reference bridge keeps every WebSocketBridge clause when its manager delivers over real sockets."""
    report = interlock.check(WebSocketBridge, ew.ReferenceBridge, sockets="real", **SMALL)
    assert report.conforms, report.violations
    assert not report.internal_errors


def test_targets_are_given_starlette_websockets_accepted_by_uvicorn() -> None:
    """Every socket a clause hands the target is a ``starlette.websockets.WebSocket`` whose scope is a uvicorn
    server's on 127.0.0.1 (the per-member input sweep, which observes no socket, keeps the checker's doubles); a
    client that drops its connection makes ``send_json`` raise Starlette's own ``WebSocketDisconnect``."""
    from starlette.websockets import WebSocket, WebSocketDisconnect

    from interlock.properties._doubles import Double

    fx.RecordingManager.sockets, fx.RecordingManager.errors = [], []
    report = interlock.check(WebSocketManager, fx.RecordingManager, sockets="real", **SMALL)
    assert report.conforms, report.violations
    real = [ws for ws in fx.RecordingManager.sockets if isinstance(ws, WebSocket)]
    assert len(real) > 20
    assert all(isinstance(ws, WebSocket | Double) for ws in fx.RecordingManager.sockets)
    assert all(type(ws).__mro__[1] is WebSocket for ws in real)  # Starlette's class, only observed, not changed
    assert {ws.scope["server"][0] for ws in real} == {"127.0.0.1"}
    assert {ws.scope["type"] for ws in real} == {"websocket"}
    assert fx.RecordingManager.errors
    assert {type(e) for e in fx.RecordingManager.errors} == {WebSocketDisconnect}


# ---- the drifting examples: the same kinds as with doubles -------------------------------------------


@pytest.mark.parametrize(
    ("contract", "target", "expected"),
    [
        (WebSocketManager, ew.StopOnErrorManager, {("cascade", "send_to_user", "failing-socket-does-not-stop-delivery")}),
        (WebSocketManager, ew.LingeringManager, {("leak", "remove_connection", "no-reference-after-removal")}),
        (WebSocketBridge, ew.LegacyBridge, {("param-name-drift", "__init__", None)}),
        (
            WebSocketBridge,
            ew.EagerBridge,
            {("cascade", m, "returns-whether-delivered") for m in ("notify_agent_started", "notify_agent_thinking")},
        ),
    ],
    ids=["StopOnErrorManager", "LingeringManager", "LegacyBridge", "EagerBridge"],
)
def test_drifting_examples_are_reported_with_the_kinds_they_have_with_doubles(contract: type, target: type, expected: set) -> None:
    """Each drifting example shows the same (kind, member, clause) over real sockets as with doubles, and what its
    docstring names is among them."""
    doubles = interlock.check(contract, target, **SMALL)
    real = interlock.check(contract, target, sockets="real", **SMALL)
    assert expected <= _kinds(doubles)
    assert _kinds(real) == _kinds(doubles)
    assert not real.internal_errors


def test_a_message_only_the_wire_spoils_is_the_bridges_message_clause_over_real_sockets() -> None:
    """ProxyBridge sends a read-only view of its message: a Mapping, so it conforms with doubles. Over real sockets
    its user's client receives the view's repr, which names no event: message-names-event-and-run on every notify
    member (the walk's steps where the manager answers a count still deliver), and not a loss of events under load."""
    doubles = interlock.check(WebSocketBridge, fx.ProxyBridge, **SMALL)
    real = interlock.check(WebSocketBridge, fx.ProxyBridge, sockets="real", **SMALL)
    assert _kinds(doubles) == set()
    assert _kinds(real) == {("postcondition", m, "message-names-event-and-run") for m in EVENTS}
    assert not real.internal_errors


# ---- the load phase ---------------------------------------------------------------------------------------


def test_load_phase_catches_a_manager_that_mixes_users_only_under_concurrency() -> None:
    """RacyManager conforms with doubles and in each clause's own examples; with several users at once over real
    sockets, another user's sockets get an event: isolation, under send-reaches-only-its-user."""
    doubles = interlock.check(WebSocketManager, fx.RacyManager, **SMALL)
    assert doubles.conforms, doubles.violations
    real = interlock.check(WebSocketManager, fx.RacyManager, sockets="real", **(SMALL | {"users": 6}))
    assert _kinds(real) == {("isolation", "send_to_user", "send-reaches-only-its-user")}
    (found,) = real.violations
    assert "with 6 users at once" in found.message
    assert "an event for another user" in found.message


@pytest.mark.parametrize(
    ("contract", "target", "good"),
    [(WebSocketManager, fx.RacyManager, "ReferenceManager"), (WebSocketBridge, fx.SharedContextBridge, "ReferenceBridge")],
    ids=["manager", "bridge"],
)
def test_a_load_phase_violation_replays_with_doubles(contract: type, target: type, good: str) -> None:
    """The reproducer of a load-phase break is a script on the checker's doubles, all users' calls in one
    ``asyncio.gather``: it ends in an assert that fails against the target and passes against the reference."""
    report = interlock.check(contract, target, sockets="real", **SMALL)
    script = report.violations[0].example
    assert "await asyncio.gather(" in script
    assert script.splitlines()[-2].lstrip().startswith("assert ")

    def run(text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", text], check=False, capture_output=True, text=True, cwd=ROOT, timeout=60)

    bad = run(script)
    assert bad.returncode == 1
    assert "AssertionError: an event reached another user" in bad.stderr
    name = target.__name__
    fixed = script.replace(f"from tests.fixtures.sockets import {name}", f"from interlock.examples.websocket import {good} as {name}")
    assert fixed != script
    assert run(fixed).returncode == 0


def test_load_phase_runs_twenty_users_by_default() -> None:
    """Left out, the load phase has 20 users at once."""
    real = interlock.check(WebSocketManager, fx.RacyManager, sockets="real", max_examples=3, seed=2, sequences=0)
    (found,) = real.violations
    assert "with 20 users at once" in found.message


def test_load_phase_catches_bridges_that_send_to_the_wrong_user_under_concurrency() -> None:
    """SharedContextBridge conforms with doubles; with bridges of several users at once on one manager, an event
    reaches another user's socket: isolation, under notify-sends-one-message-to-its-user."""
    doubles = interlock.check(WebSocketBridge, fx.SharedContextBridge, **SMALL)
    assert doubles.conforms, doubles.violations
    real = interlock.check(WebSocketBridge, fx.SharedContextBridge, sockets="real", **SMALL)
    assert {(v.kind, v.clause) for v in real.violations} == {("isolation", "notify-sends-one-message-to-its-user")}
    assert all("users at once" in v.message for v in real.violations)


def test_calls_at_once_are_not_stopped_by_each_others_time_limits() -> None:
    """Every call of StaggeredManager returns within the 0.4 s limit, and its load phase, calls overlapping without
    a break, lasts far longer: no timeout is reported (each call's timer put back out of order would leave a stale
    limit running)."""
    report = interlock.check(WebSocketManager, fx.StaggeredManager, sockets="real", **(SMALL | {"users": 8, "timeout": 0.4}))
    assert report.conforms, report.violations


def test_a_call_that_blocks_under_load_is_a_timeout_and_the_run_ends() -> None:
    """BlockingManager blocks its loop once the load phase has called it often enough: a timeout on send_to_user,
    stopped, and the run goes on to its report."""
    report = interlock.check(WebSocketManager, fx.BlockingManager, sockets="real", **(SMALL | {"users": 6, "timeout": 0.5}))
    assert _kinds(report) == {("timeout", "send_to_user", None)}
    assert "it was stopped" in report.violations[0].message


# ---- start-up and shutdown ------------------------------------------------------------------------------------


def test_server_and_clients_are_stopped_at_the_end_of_the_run() -> None:
    """After a run nothing listens on the run's port and the server thread is gone; real connections were made."""
    sockets = RealSockets(users=3)
    model = get_contract(WebSocketManager)
    run_check(model, [("ReferenceManager", ew.ReferenceManager, None)], max_examples=3, seed=1, sequences=0, sockets=sockets)
    assert sockets.connections > 0
    assert sockets.port != 0
    assert not _listening(sockets.port)
    assert not _server_threads()


def test_ctrl_c_stops_the_server_before_the_run_ends() -> None:
    """A Ctrl-C in the middle of a run over real sockets: the Python API raises KeyboardInterrupt, and by then
    nothing listens on the run's port and the server thread is gone."""
    port = _free_port()
    with pytest.raises(KeyboardInterrupt):
        interlock.check(WebSocketManager, fx.InterruptingManager, sockets="real", socket_port=port, **SMALL)
    assert not _listening(port)
    assert not _server_threads()


def _cli(*args: str, env: dict[str, str] | None = None, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"import sys\n{prelude}\nfrom interlock.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


MANAGER = "interlock.contracts.websocket:WebSocketManager"
REFERENCE = "interlock.examples.websocket:ReferenceManager"


def test_a_port_that_cannot_be_bound_is_a_usage_error() -> None:
    """A port another socket listens on: exit 2, one line on standard error naming the port, no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _cli("check", MANAGER, REFERENCE, "--sockets", "real", "--socket-port", str(port))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in done.stderr


def test_without_the_asgi_extra_sockets_real_is_a_usage_error_naming_it() -> None:
    """Without uvicorn importable, --sockets real is exit 2 and one line that says how to install the extra."""
    done = _cli("check", MANAGER, REFERENCE, "--sockets", "real", prelude="sys.modules['uvicorn'] = None")
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "uvicorn not installed" in line
    assert "pip install 'interlock[asgi]'" in line


def test_the_command_reports_a_drifting_manager_over_real_sockets() -> None:
    """``interlock check --sockets real --users N`` finds the concurrency defect and exits 1; with doubles it exits 0."""
    racy = "tests.fixtures.sockets:RacyManager"
    common = ("--max-examples", "3", "--seed", "1", "--sequences", "0", "--json")
    real = _cli("check", MANAGER, racy, "--sockets", "real", "--users", "5", *common)
    assert real.returncode == 1, real.stderr
    assert '"kind": "isolation"' in real.stdout
    assert "with 5 users at once" in real.stdout
    doubles = _cli("check", MANAGER, racy, *common)
    assert doubles.returncode == 0, doubles.stdout


def test_contract_tests_and_the_ini_key_check_over_real_sockets(tmp_path: Path) -> None:
    """``contract_tests(..., sockets="real")`` and the ini key ``interlock_sockets = real`` both make the load
    phase run: the racy manager's clause test fails under its clause id; without them it passes."""
    (tmp_path / "test_racy.py").write_text(
        textwrap.dedent(
            """
            import interlock.pytest
            from interlock.contracts.websocket import WebSocketManager
            from tests.fixtures.sockets import RacyManager

            TestOwn = interlock.pytest.contract_tests(WebSocketManager, RacyManager, sockets="real", users=4, max_examples=3, seed=1, sequences=0)
            TestPlain = interlock.pytest.contract_tests(WebSocketManager, RacyManager, users=4, max_examples=3, seed=1, sequences=0)
            """
        )
    )
    clause = "send-reaches-only-its-user"
    env = {"PYTHONPATH": str(ROOT)}

    def run(*ini: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "pytest.ini").write_text("\n".join(["[pytest]", "asyncio_default_fixture_loop_scope = function", *ini]) + "\n")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", clause, "test_racy.py"],
            check=False,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, **env},
            timeout=240,
        )

    plain = run()
    assert "1 failed, 1 passed" in plain.stdout, plain.stdout
    assert "FAILED test_racy.py::TestOwn::test_clause[RacyManager-send-reaches-only-its-user]" in plain.stdout
    with_ini = run("interlock_sockets = real")
    assert "2 failed" in with_ini.stdout, with_ini.stdout
    assert "with 4 users at once" in with_ini.stdout


def test_sigint_to_the_command_gives_the_report_so_far_and_leaves_nothing_listening() -> None:
    """The command stopped by SIGINT while it checks over real sockets prints the report so far, marked
    interrupted, and its port is free afterwards."""
    port = _free_port()
    done = _cli("check", MANAGER, "tests.fixtures.sockets:InterruptingManager", "--sockets", "real", "--socket-port", str(port), "--json")
    assert '"interrupted"' in done.stdout, (done.stdout, done.stderr)
    assert not _listening(port)
    assert signal.SIGINT.name in done.stdout
