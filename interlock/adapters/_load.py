"""The load phase of ``--sockets real``: many users at once, over real sockets.

A phase is a scenario run under an existing clause's id, after the clause's own
examples: ``users`` users (20 by default, ``--users N``), each with one or more
connections, events for all of them sent at once and interleaved on the
checker's loop. Every event must reach exactly its user's sockets, in order.
A break is reported under the clause's id and kinds, as the clause reports it
with a single user: another user's event is ``isolation``; a missing, repeated or
reordered event, or a wrong count, is the clause's other kind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from hypothesis import strategies as st

from interlock.contracts._harness import Harness
from interlock.contracts.context import UserContext
from interlock.contracts.websocket import EVENTS, Connection, WebSocketManager
from interlock.properties._runner import bounded

__all__ = ["PHASES", "bridge_load", "manager_load"]

_SENDS = "(k for k in manager.calls if k.method == 'send_to_user')"
"""The bridge's sends as its reproducer reads them from the manager double."""

_MANAGER = "interlock.contracts.websocket:WebSocketManager"
_BRIDGE = "interlock.contracts.websocket:WebSocketBridge"


def _event(user: str, seq: int) -> dict[str, Any]:
    return {"type": "load", "user": user, "seq": seq}


_CALLS = 50
"""A load phase's calls at once are bounded as this many calls at most, as a whole scenario is."""


async def _at_once(h: Harness, calls: int, work: list[Awaitable[Any]]) -> None:
    """Run every user's work at once. The whole is bounded as ``calls`` calls (at most ``_CALLS``); calls at once
    share one timer (see ``ScenarioHarness.call``), and this bound is put back around the lot, so the scenario's
    own limit is restored however the calls inside finish."""
    with bounded(h.timeout * min(max(calls, 1), _CALLS) + 1.0):
        await h.gather(*work)


async def manager_load(h: Harness, *, users: int) -> None:
    """``send-reaches-only-its-user`` with ``users`` users at once: each user's events reach its sockets only, in order."""
    manager = await h.build()
    names = [f"user-{i}" for i in range(users)]
    per_user = [h.draw(st.integers(1, 3)) for _ in names]
    events = h.draw(st.integers(2, 5))
    made: list[tuple[str, Any]] = []
    for user, count in zip(names, per_user, strict=True):
        for _ in range(count):
            n = len(made)
            conn = h.double(Connection, label=f"conn{n}", connection_id=f"conn-{n}", user_id=user)
            await h.call(manager, "add_connection", conn)
            made.append((user, conn))
    counts: dict[str, list[Any]] = {user: [] for user in names}

    async def one_user(user: str) -> None:
        for seq in range(events):
            counts[user].append(await h.call(manager, "send_to_user", user, _event(user, seq)))
            await asyncio.sleep(0)  # the others' events come in between

    await _at_once(h, users * events, [one_user(user) for user in names])
    received = {id(conn): [c.args[0] if c.args else c.kwargs.get("data") for c in conn.websocket.calls] for _, conn in made}
    sockets = f"({', '.join(f'conn{n}' for n in range(len(made)))},)"
    sent = "(k.args[0] for k in c.websocket.calls if k.method == 'send_json')"
    for owner, conn in made:
        strangers = [m for m in received[id(conn)] if not (isinstance(m, Mapping) and m.get("user") == owner)]
        if strangers:
            h.step(f"assert all(m['user'] == c.user_id for c in {sockets} for m in {sent}), 'an event reached another user'")
            h.fail(
                f"with {users} users at once, {conn.connection_id!r} of user {owner!r} received {strangers[0]!r}, an event for another user",
                kind="isolation",
                member="send_to_user",
            )
    for owner, conn in made:
        got = [m.get("seq") for m in received[id(conn)]]
        if got != list(range(events)):
            h.step(f"assert all([m['seq'] for m in {sent}] == list(range({events})) for c in {sockets}), 'events lost or out of order'")
        h.check(
            got == list(range(events)),
            f"with {users} users at once, {conn.connection_id!r} of user {owner!r} received its events {got}, not each of 0 to {events - 1} once in order",
            kind="postcondition",
            member="send_to_user",
        )
    for user, count in zip(names, per_user, strict=True):
        wrong = [c for c in counts[user] if c != count]
        if wrong:
            h.fail(
                f"with {users} users at once, send_to_user({user!r}) returned {wrong[0]!r}; it reached {count} socket(s)",
                kind="postcondition",
                member="send_to_user",
            )


def _arguments(member: str, run_id: str) -> dict[str, Any]:
    """Plain arguments of a notify member: what is checked here is where its message goes, not its values (the
    clauses' own examples draw those), and a phase that draws little shrinks fast."""
    _, name = EVENTS[member]
    args: dict[str, Any] = {"run_id": run_id, name: "load"}
    if member == "notify_agent_thinking":
        args["reasoning"] = "load"
    return args


async def bridge_load(h: Harness, *, users: int) -> None:
    """``notify-sends-one-message-to-its-user`` with ``users`` bridges at once on one manager: each bridge's events
    reach its own user's socket only, in order."""
    manager = h.double(WebSocketManager, label="manager")
    names = [f"user-{i}" for i in range(users)]
    bridges = []
    for i, user in enumerate(names):
        context = h.double(UserContext, label=f"context{i}", user_id=user, thread_id=f"thread-{i}", run_id=f"run-{i}")
        bridges.append(await h.build(websocket_manager=manager, user_context=context))
    members = [m for m in EVENTS if h.reachable(m)]
    rounds = h.draw(st.integers(1, 2))
    plans: list[list[tuple[str, dict[str, Any]]]] = []
    for user in names:
        plan = []
        for seq in range(rounds * len(members)):
            member = members[seq % len(members)]
            plan.append((member, _arguments(member, f"{user}/{seq}")))
        plans.append(plan)

    def one_user(bridge: Any, plan: list[tuple[str, dict[str, Any]]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            for member, args in plan:
                await h.call(bridge, member, **args)
                await asyncio.sleep(0)

        return run

    await _at_once(h, users * len(plans[0]) if plans else 1, [one_user(b, p)() for b, p in zip(bridges, plans, strict=True)])
    sends = [c for c in manager.calls if c.method == "send_to_user"]
    seen: dict[str, list[int]] = {user: [] for user in names}
    unreadable: set[str] = set()
    for call in sends:
        user, message = ((*call.args, None, None))[:2]
        run_id = message.get("run_id") if isinstance(message, Mapping) else None
        owner, _, number = str(run_id).partition("/")
        if owner not in seen or not number.isdigit():
            if message is not None:  # None: the client received nothing, a loss this clause reports below
                unreadable.add(str(user))
            continue  # a message without its run_id (or not a mapping) is message-names-event-and-run's to report
        sender = next((m for m, (event, _) in EVENTS.items() if event == message.get("type")), None)
        if owner != user:
            h.step(f"assert all(k.args[1]['run_id'].split('/')[0] == k.args[0] for k in {_SENDS}), 'an event reached another user'")
        h.check(
            owner == user,
            f"with {users} users at once, the event {run_id!r} of user {owner!r} reached user {user!r}'s socket",
            kind="isolation",
            member=sender,
        )
        seen[owner].append(int(number))
    for user, steps in zip(names, plans, strict=True):
        if user in unreadable:
            continue  # which of its events arrived cannot be told from messages message-names-event-and-run reports
        if seen[user] != list(range(len(steps))):
            order = f"[int(k.args[1]['run_id'].split('/')[1]) for k in {_SENDS} if k.args[0] == {user!r}]"
            h.step(f"assert {order} == list(range({len(steps)})), 'events lost or out of order'")
        h.check(
            seen[user] == list(range(len(steps))),
            f"with {users} users at once, user {user!r}'s socket received its events {seen[user]}, not each of 0 to {len(steps) - 1} once in order",
            kind="isolation",
        )


PHASES: Final[dict[tuple[str, str], Callable[..., Awaitable[None]]]] = {
    (_MANAGER, "send-reaches-only-its-user"): manager_load,
    (_BRIDGE, "notify-sends-one-message-to-its-user"): bridge_load,
}
"""The load phase of each clause that has one: (contract, clause id) to the phase."""
