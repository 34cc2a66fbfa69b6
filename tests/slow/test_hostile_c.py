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
