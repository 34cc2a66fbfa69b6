"""Time to find: for seeded defects, the examples and seconds until the checker first reports each one.

For every case (a contract, its targets, the violation that must be found), over ``--seeds`` seeds, the
checker runs at its defaults (or at ``--sequences``/``--steps``) and the first moment the expected
violation is recorded is taken: the examples run so far (``report.summary`` ``examples`` counts the same
way) and the seconds since the check started. The table gives, per case, on how many seeds it was found
and the medians over those seeds. Run it as::

    .venv/bin/python benchmarks/time_to_find.py [--seeds N] [--sequences N] [--steps N] [--only TEXT]

Compare the sequence phase off and on with ``--sequences 0`` and the default. A case's expected violation is
(kind, member, clause); ``"*"`` matches any member.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import interlock
from interlock.contracts.router import MessageRouter
from interlock.contracts.websocket import WebSocketBridge, WebSocketManager
from interlock.examples.router import ReferenceRouter
from interlock.examples.websocket import ReferenceBridge, ReferenceManager
from interlock.properties import _explore, _subject
from tests.fixtures import faults as fx
from tests.fixtures import generated_scenarios as gs
from tests.fixtures import scenarios as sc
from tests.fixtures import sequences as sq
from tests.fixtures import sharing as sh

Case = tuple[str, Any, tuple[Any, ...], tuple[str, str | None, str | None]]

CASES: list[Case] = [
    ("stale cache after delete", sq.Store, (sq.CachingStore,), ("postcondition", "delete", "delete-forgets")),
    ("store keeps its last two keys", sq.Store, (sq.DictStore, sq.LastTwoStore), ("differential", "get", "get-agrees")),
    ("LRU store of 3 keys", sq.Store, (sq.DictStore, sq.TinyLRUStore), ("differential", "get", "get-agrees")),
    ("LRU store of 128 keys", sq.Store, (sq.DictStore, sq.LRUStore), ("differential", "get", "get-agrees")),
    ("store folds keys to lower case", sq.Store, (sq.DictStore, sq.ListStore, sq.CaseFoldingStore), ("differential", "get", "get-agrees")),
    ("store strips its keys", sq.Store, (sq.DictStore, sq.ListStore, sq.TrimmingStore), ("differential", "get", "get-agrees")),
    ("store full at 256 keys drops new ones", sq.Store, (sq.CappedStore,), ("postcondition", "put", "set-then-get")),
    (
        "counts start over past 16 names (add returns)",
        sq.Counts,
        (sq.DictCounts, sq.ResettingCounts),
        ("differential", "total", "total-agrees"),
    ),
    ("client raises the failure it kept", fx.Reader, (fx.ReraisingReader,), ("cascade", "read", "read-never-raises")),
    (
        "breaker never closes (beside one that does)",
        fx.Reader,
        (fx.GoodReader, fx.StuckBreakerReader),
        ("differential", "read", "reads-agree"),
    ),
    (
        "breaker never closes, one member of seven",
        fx.Notes,
        (fx.GoodNotes, fx.StuckNotes),
        ("differential", "send", "sends-agree"),
    ),
    ("unknown name raises (a clause covers it)", sc.Tally, (sc.StrictTally,), ("postcondition", "add", "first-add-is-one")),
    ("sessions share keys per backend", sh.Session, (sh.DictSession, sh.PerBackendSession), ("differential", "get", "get-agrees")),
    ("second session on a backend refused", sh.Session, (sh.ClaimingSession,), ("unexpected-exception", "__init__", None)),
    (
        "bridge keeps its user per manager",
        WebSocketBridge,
        (ReferenceBridge, sh.ManagerKeyedBridge),
        ("isolation", "*", "notify-sends-one-message-to-its-user"),
    ),
    (
        "router routes over a stale snapshot",
        MessageRouter,
        (ReferenceRouter, gs.SnapshotRouter),
        ("ordering", "route_message", "routes-to-first-capable-handler"),
    ),
    (
        "router puts a re-added handler back in place",
        MessageRouter,
        (ReferenceRouter, gs.KeepsPlaceRouter),
        ("ordering", "route_message", "routes-to-first-capable-handler"),
    ),
    (
        "manager sends to a removed socket",
        WebSocketManager,
        (ReferenceManager, gs.SocketListManager),
        ("postcondition", "send_to_user", "send-reaches-only-its-user"),
    ),
    (
        "router catches only a repeat of its last handler",
        MessageRouter,
        (ReferenceRouter, gs.LastOnlyDedupRouter),
        ("ordering", "add_handler", "duplicate-add-keeps-first-place"),
    ),
    (
        "router's removal answers for the others",
        MessageRouter,
        (ReferenceRouter, gs.AnyLeftRouter),
        ("leak", "remove_handler", "removed-handler-is-released"),
    ),
    (
        "router skips a handler that once raised",
        MessageRouter,
        (ReferenceRouter, gs.GrudgeRouter),
        ("cascade", "route_message", "failing-handler-is-contained"),
    ),
    (
        "bridge sends a run's thinking once",
        WebSocketBridge,
        (ReferenceBridge, gs.QuietThinkingBridge),
        ("isolation", "notify_agent_thinking", "notify-sends-one-message-to-its-user"),
    ),
    (
        "bridge keeps a run's first tool name",
        WebSocketBridge,
        (ReferenceBridge, gs.ToolNameCacheBridge),
        ("postcondition", "notify_tool_executing", "message-names-event-and-run"),
    ),
]


class _Clock:
    """Watches the run: the explorer that counts examples, and the first record of the awaited violation."""

    def __init__(self, want: tuple[str, str | None, str | None]) -> None:
        self.want = want
        self.explorers: list[_explore.Explorer] = []
        self.started = 0.0
        self.found: tuple[int, float] | None = None

    def install(self) -> Callable[[], None]:
        original_init = _explore.Explorer.__init__
        original_record = _subject.Subject.record
        clock = self

        def init(explorer: _explore.Explorer, *args: Any, **kwargs: Any) -> None:
            original_init(explorer, *args, **kwargs)
            clock.explorers.append(explorer)

        def record(subject: _subject.Subject, v: interlock.Violation) -> None:
            if clock.found is None and all(w in ("*", got) for w, got in zip(clock.want, (v.kind, v.member, v.clause), strict=True)):
                examples = clock.explorers[-1].examples if clock.explorers else 0
                clock.found = (examples, time.perf_counter() - clock.started)
            original_record(subject, v)

        _explore.Explorer.__init__ = init  # type: ignore[method-assign]
        _subject.Subject.record = record  # type: ignore[method-assign]

        def restore() -> None:
            _explore.Explorer.__init__ = original_init  # type: ignore[method-assign]
            _subject.Subject.record = original_record  # type: ignore[method-assign]

        return restore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--sequences", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--only", default="", help="the cases whose name holds this text")
    args = parser.parse_args()
    options: dict[str, Any] = {}
    if args.sequences is not None:
        options["sequences"] = args.sequences
    if args.steps is not None:
        options["steps"] = args.steps
    print(f"{'case':42s} {'found':>7s} {'examples':>9s} {'seconds':>8s}   (medians over the seeds that found it)")
    for name, contract, targets, want in CASES:
        if args.only not in name:
            continue
        hits: list[tuple[int, float]] = []
        for seed in range(args.seeds):
            clock = _Clock(want)
            restore = clock.install()
            try:
                clock.started = time.perf_counter()
                interlock.check(contract, *targets, seed=seed, **options)
            finally:
                restore()
            if clock.found is not None:
                hits.append(clock.found)
        examples = f"{statistics.median(h[0] for h in hits):9.0f}" if hits else f"{'-':>9s}"
        seconds = f"{statistics.median(h[1] for h in hits):8.2f}" if hits else f"{'-':>8s}"
        print(f"{name:42s} {len(hits):>3d}/{args.seeds:<3d} {examples} {seconds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
