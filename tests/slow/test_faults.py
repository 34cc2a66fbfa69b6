"""Faults on a schedule at the default budget: defects only a failure mid-sequence reaches, on several seeds, and
correct targets clean on ten."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

import interlock
from tests.fixtures import faults as fx

pytestmark = pytest.mark.slow

DEFECTS: list[Any] = [
    pytest.param(fx.Reader, (fx.ReraisingReader,), ("ReraisingReader", "cascade", "read", "read-never-raises"), id="reraising"),
    pytest.param(
        fx.Reader, (fx.GoodReader, fx.StuckBreakerReader), ("StuckBreakerReader", "differential", "read", "reads-agree"), id="stuck"
    ),
    pytest.param(
        fx.Reader, (fx.GoodReader, fx.FailureCachingReader), ("FailureCachingReader", "differential", "read", "reads-agree"), id="caching"
    ),
    pytest.param(fx.Bus, (fx.EscapingBus,), ("EscapingBus", "cascade", "publish", "publish-never-raises"), id="escaping-bus"),
    # one member of four uses the dependency: plans with faults call it more often, or fail-send-heal-send is rare
    pytest.param(fx.Notes, (fx.GoodNotes, fx.StuckNotes), ("StuckNotes", "differential", "send", "sends-agree"), id="stuck-among-four"),
]


@pytest.mark.parametrize("seed", [0, 2])
@pytest.mark.parametrize(("contract", "targets", "want"), DEFECTS)
def test_a_defect_only_a_scheduled_fault_reaches_is_found(
    contract: Any, targets: tuple[Any, ...], want: tuple[str, ...], seed: int
) -> None:
    """Found at the defaults; the script shows the fault and, where the defect raises, fails when run."""
    report = interlock.check(contract, *targets, seed=seed)
    found = {(v.target.rsplit(":", 1)[-1], v.kind, v.member, v.clause): v for v in report.violations}
    assert want in found
    assert report.internal_errors == []
    example = found[want].example
    assert ".fail(" in example
    if want[1] == "cascade":
        assert subprocess.run([sys.executable, "-c", example], capture_output=True, check=False).returncode != 0


@pytest.mark.parametrize("seed", range(10))
def test_correct_targets_stay_clean_under_scheduled_faults(seed: int) -> None:
    """A reader that asks every time beside one that retries, a bus that skips a failing handler, a fetcher that
    lets the OSError its contract allows through, notes in a dict beside notes in a list that retry a send: nothing
    to report on ten seeds. Faults are scheduled in the
    sequence phase, which keeps its default budget of 100; the other checks run 20 examples."""
    for contract, targets in (
        (fx.Reader, (fx.GoodReader, fx.RetryingReader)),
        (fx.Bus, (fx.GoodBus,)),
        (fx.Fetcher, (fx.PassingFetcher,)),
        (fx.Notes, (fx.GoodNotes, fx.ListNotes)),
    ):
        report = interlock.check(contract, *targets, seed=seed, max_examples=20, sequences=100)
        assert report.violations == [], contract
        assert report.internal_errors == []
