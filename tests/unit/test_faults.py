"""Faults on a schedule: a dependency fails at one step of a generated sequence and recovers at a later one."""

from __future__ import annotations

import subprocess
import sys

import pytest

import interlock
from interlock.contracts import websocket
from interlock.contracts._declare import get_contract
from interlock.properties._plan import FAULTS, cascaded, fault_errors
from interlock.properties._report import Violation
from tests.fixtures import faults as fx
from tests.fixtures import sequences as sq


def _run(example: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, check=False)


def _keys(report: interlock.Report) -> set[tuple[str, str, str | None, str | None]]:
    return {(v.target.rsplit(":", 1)[-1], v.kind, v.member, v.clause) for v in report.violations}


def test_faults_are_scheduled_only_where_the_contract_says_what_a_failure_means() -> None:
    """A member clause naming cascade: the four errors real clients raise; a contract that says nothing of failure
    (a store) or checks its dependency's failures with a scenario of its own (the bridge): none."""
    assert fault_errors(get_contract(fx.Reader)) == FAULTS
    assert fault_errors(get_contract(fx.Fetcher)) == (ConnectionError, TimeoutError, OSError)
    assert fault_errors(get_contract(sq.Store)) == ()
    assert fault_errors(get_contract(websocket.WebSocketBridge)) == ()


def test_a_client_that_raises_the_error_it_kept_is_found_and_its_script_shows_the_fault() -> None:
    """Reports the backend's first failure as None, then raises it on every later read: a cascade violation of
    read-never-raises whose reproducer names the backend's double, tells it to fail, and raises when run."""
    report = interlock.check(fx.Reader, fx.ReraisingReader, seed=0, max_examples=30)
    assert _keys(report) == {("ReraisingReader", "cascade", "read", "read-never-raises")}
    example = report.violations[0].example
    assert "target = ReraisingReader(backend=(d0 := double(Backend)))" in example
    assert "d0.fail(" in example
    broken = _run(example)
    assert broken.returncode != 0
    assert "interlock: injected failure" in broken.stderr
    assert _run(example.replace("ReraisingReader", "GoodReader")).returncode == 0


def test_a_circuit_breaker_that_never_closes_disagrees_after_the_backend_recovered() -> None:
    """Alone it keeps its contract (None is a failure it may report); beside a reader that recovers, the first
    read after heal() disagrees. The script shows the failure and the recovery, in order."""
    report = interlock.check(fx.Reader, fx.GoodReader, fx.StuckBreakerReader, seed=0, max_examples=30)
    assert _keys(report) == {
        ("GoodReader", "differential", "read", "reads-agree"),
        ("StuckBreakerReader", "differential", "read", "reads-agree"),
    }
    (stuck,) = [v for v in report.violations if v.target.endswith("StuckBreakerReader")]
    lines = stuck.example.splitlines()
    fail = next(i for i, line in enumerate(lines) if line.startswith("d0.fail("))
    heal = lines.index("d0.heal()")
    assert fail < heal < len(lines) - 1
    assert interlock.check(fx.Reader, fx.StuckBreakerReader, seed=0, max_examples=30).violations == []
    # its script runs the same steps on the reader it disagrees with and fails, as the checker did, because one
    # reported failure (None) where the other returned a value; with a reader that recovers in its place, it passes
    assert "reported failure, where tests.fixtures.faults:GoodReader (returned" in stuck.message
    assert stuck.example.endswith("assert_agrees(Reader, 'read', observed, result, other='tests.fixtures.faults:GoodReader')")
    broken = _run(stuck.example)
    assert "AssertionError: reads-agree: read reported failure (None), where tests.fixtures.faults:GoodReader returned" in broken.stderr
    fixed = stuck.example.replace("import StuckBreakerReader", "import RetryingReader as StuckBreakerReader")
    assert fixed != stuck.example
    assert _run(fixed).returncode == 0, _run(fixed).stderr


def test_assert_agrees_compares_reported_failures_as_the_checker_does() -> None:
    """A failure value the contract names agrees with another failure, whatever each holds, and with no value."""
    interlock.assert_agrees(fx.Reader, "read", None, None)
    interlock.assert_agrees(fx.Reader, "read", 3, 3)
    with pytest.raises(AssertionError, match=r"^reads-agree: read reported failure \(None\), where the reference returned 0$"):
        interlock.assert_agrees(fx.Reader, "read", None, 0)
    with pytest.raises(AssertionError, match=r"^reads-agree: read returned 0, where other:Reader reported failure \(None\)$"):
        interlock.assert_agrees(fx.Reader, "read", 0, None, other="other:Reader")
    with pytest.raises(AssertionError, match=r"^reads-agree: read returned 1, where the reference returned 2$"):
        interlock.assert_agrees(fx.Reader, "read", 1, 2)


def test_a_cache_that_keeps_a_failure_disagrees_after_the_backend_recovered() -> None:
    """A key read while the backend was down stays None for the caching reader, not for one that asks again."""
    report = interlock.check(fx.Reader, fx.GoodReader, fx.FailureCachingReader, seed=1, max_examples=30)
    assert ("FailureCachingReader", "differential", "read", "reads-agree") in _keys(report)


def test_a_double_a_step_passed_can_fail_too() -> None:
    """A handler given to subscribe fails later: a bus that lets its exception escape breaks publish-never-raises,
    as cascade, and the script fails the handler after subscribing it."""
    report = interlock.check(fx.Bus, fx.EscapingBus, seed=0, max_examples=30)
    assert _keys(report) == {("EscapingBus", "cascade", "publish", "publish-never-raises")}
    example = report.violations[0].example
    assert "d0 = double(Handler)" in example
    assert example.index("target.subscribe(handler=d0)") < example.index("d0.fail(")
    assert _run(example).returncode != 0
    assert _run(example.replace("EscapingBus", "GoodBus")).returncode == 0


def test_correct_targets_under_faults_conform() -> None:
    """A reader that asks every time, one that retries, and a bus that skips a failing handler."""
    assert interlock.check(fx.Reader, fx.GoodReader, fx.RetryingReader, seed=3, max_examples=30).violations == []
    assert interlock.check(fx.Bus, fx.GoodBus, seed=3, max_examples=30).violations == []
    assert interlock.check(fx.Fetcher, fx.PassingFetcher, seed=3, max_examples=30).violations == []


def test_only_what_a_fault_caused_is_cascade() -> None:
    """The injected error itself, or one raised while handling it, makes a violation of a clause naming cascade a
    cascade; another exception, or a clause that does not name cascade, keeps its kind."""
    contract = get_contract(fx.Reader)
    found = [Violation("t", "unexpected-exception", "read", None, "m", "e", None, clause="read-never-raises")]
    injected = ConnectionError("interlock: injected failure")
    try:
        try:
            raise injected
        except ConnectionError:
            raise KeyError("lost") from None
    except KeyError as exc:
        handled = exc
    assert cascaded(found, injected, [injected], contract)[0].kind == "cascade"
    assert cascaded(found, handled, [injected], contract)[0].kind == "cascade"  # its __context__ is the injected one
    assert cascaded(found, ConnectionError("its own"), [injected], contract)[0].kind == "unexpected-exception"
    assert cascaded(found, injected, [], contract)[0].kind == "unexpected-exception"
    plain = [Violation("t", "unexpected-exception", "read", None, "m", "e", None)]
    assert cascaded(plain, injected, [injected], contract) == plain
