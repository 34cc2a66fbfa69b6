"""Correct targets stay clean on ten seeds where several are built on one shared dependency (issue 10, point 4)
and where the catalog's scenarios walk generated sequences (point 6)."""

from __future__ import annotations

import pytest

import interlock
from interlock.contracts.factory import ExecutionEngineFactory
from interlock.contracts.router import MessageRouter
from interlock.contracts.websocket import WebSocketBridge, WebSocketManager
from interlock.examples.factory import ReferenceFactory
from interlock.examples.router import ReferenceRouter
from interlock.examples.websocket import ReferenceBridge, ReferenceManager
from tests.fixtures import sharing as sh


@pytest.mark.parametrize("seed", range(10))
def test_correct_sessions_and_the_references_are_clean(seed: int) -> None:
    checks = [
        (sh.Session, (sh.DictSession, sh.SlottedSession)),
        (WebSocketBridge, (ReferenceBridge,)),
        (WebSocketManager, (ReferenceManager,)),
        (MessageRouter, (ReferenceRouter,)),
        (ExecutionEngineFactory, (ReferenceFactory,)),
    ]
    for contract, targets in checks:
        report = interlock.check(contract, *targets, seed=seed, max_examples=15)
        assert report.violations == [], [v.message for v in report.violations]
