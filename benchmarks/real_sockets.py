"""Real sockets benchmark: the cost of ``--sockets real`` against doubles, and the load phase's delivery rate.

    .venv/bin/python benchmarks/real_sockets.py [--max-examples N] [--seed N] [--users N] [--rounds R]

Two figures, on the reference manager (``interlock.examples.websocket:ReferenceManager``, which conforms, so
nothing is shrunk):

- the cost: ``interlock.check(WebSocketManager, ReferenceManager)`` with ``sockets="doubles"`` and with
  ``sockets="real"`` (its load phase included), alternating, ``--rounds`` times each after one warm-up of each;
  the medians and their ratio, real / doubles;
- the load phase: in those real runs, the events (``send_to_user`` calls) the load phase made while all its
  users were at once, and the frames the clients received (an event reaches each of its user's 1 to 3
  sockets), per second of that concurrent part; and per second of the whole phase, connecting included.

The concurrent part is timed by wrapping ``interlock.adapters._load._at_once`` for the run, and the frames are
counted from the clients' logs when an example's sockets are released: measurement hooks, not an API.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import interlock
    from interlock.adapters import _load, _sockets
    from interlock.contracts.websocket import WebSocketManager
    from interlock.examples.websocket import ReferenceManager

    load = {"at_once_s": 0.0, "phase_s": 0.0, "events": 0, "frames": 0}
    in_phase = [False]
    original_at_once = _load._at_once
    original_phase = _sockets.RealSockets.phase
    original_release = _sockets.RealSockets.release

    async def timed_at_once(h: Any, calls: int, work: list[Any]) -> None:
        started = time.perf_counter()
        try:
            await original_at_once(h, calls, work)
        finally:
            load["at_once_s"] += time.perf_counter() - started

    def timed_phase(self: Any, contract: Any, clause: Any) -> Any:
        phase = original_phase(self, contract, clause)
        if phase is None:
            return None

        async def run(h: Any) -> None:
            in_phase[0] = True
            started = time.perf_counter()
            try:
                await phase(h)
            finally:
                load["phase_s"] += time.perf_counter() - started

        return run

    def counting_release(self: Any) -> None:
        if in_phase[0]:
            events: set[tuple[str, int]] = set()
            for link in self._links:
                load["frames"] += len(link.received)
                for frame in link.received:
                    message = json.loads(frame)
                    events.add((message["user"], message["seq"]))
            load["events"] += len(events)
            in_phase[0] = False
        original_release(self)

    _load._at_once = timed_at_once  # type: ignore[assignment]
    _sockets.RealSockets.phase = timed_phase  # type: ignore[method-assign]
    _sockets.RealSockets.release = counting_release  # type: ignore[method-assign]

    def run(sockets: str) -> float:
        started = time.perf_counter()
        report = interlock.check(
            WebSocketManager, ReferenceManager, max_examples=args.max_examples, seed=args.seed, sockets=sockets, users=args.users
        )
        seconds = time.perf_counter() - started
        if not report.conforms or report.internal_errors:
            print(f"the reference manager drifts with sockets={sockets}: {report.violations or report.internal_errors}", file=sys.stderr)
            raise SystemExit(1)
        return seconds

    run("doubles")
    run("real")
    for key in load:
        load[key] = 0
    doubles: list[float] = []
    real: list[float] = []
    for _ in range(args.rounds):
        doubles.append(run("doubles"))
        real.append(run("real"))
    d, r = statistics.median(doubles), statistics.median(real)
    print(f"real sockets: WebSocketManager on ReferenceManager, max_examples={args.max_examples} seed={args.seed} users={args.users}")
    print(f"rounds={args.rounds} (alternating, doubles then real; medians)")
    print(f"  doubles  {d:7.2f}s   ({', '.join(f'{x:.2f}' for x in doubles)})")
    print(f"  real     {r:7.2f}s   ({', '.join(f'{x:.2f}' for x in real)})")
    print(f"  ratio, real / doubles: {r / d:.2f}x")
    print(
        f"load phase over {args.rounds} real runs: {load['events']} events, {load['frames']} frames received, "
        f"{load['at_once_s']:.2f}s with all users at once, {load['phase_s']:.2f}s in the phase with connecting"
    )
    print(
        f"  events per second at once: {load['events'] / load['at_once_s']:.0f}   frames per second at once: {load['frames'] / load['at_once_s']:.0f}"
    )
    print(f"  events per second of the whole phase: {load['events'] / load['phase_s']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
