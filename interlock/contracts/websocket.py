"""``interlock.contracts.websocket``: the WebSocket manager and the agent-event bridge on top of it."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Annotated, Any, Protocol, runtime_checkable

import annotated_types as at
from hypothesis import strategies as st

from interlock.contracts._declare import contract, scenario
from interlock.contracts._harness import Harness
from interlock.contracts._markers import Finite, NonEmpty, Strict
from interlock.contracts._values import BLANKS, answering, blank_kind, failures, ids, messages
from interlock.contracts.context import UserContext

__all__ = ["Connection", "SocketLike", "WebSocketBridge", "WebSocketManager"]

_BLANKS_ORDER = st.permutations(BLANKS)  # built once: a strategy built per draw is validated per draw


@runtime_checkable
class SocketLike(Protocol):
    """What the manager sends through: a socket that takes JSON-compatible mappings."""

    async def send_json(self, data: Mapping[str, Any]) -> None: ...


@runtime_checkable
class Connection(Protocol):
    """One open socket of one user."""

    connection_id: NonEmpty[str]
    user_id: NonEmpty[str]
    websocket: SocketLike


@contract
class WebSocketManager(Protocol):
    """Keeps every user's open connections and sends to all of a user's sockets."""

    def __init__(self) -> None: ...

    async def add_connection(self, connection: Connection) -> None: ...

    async def remove_connection(self, connection_id: NonEmpty[str]) -> None: ...

    def get_user_connections(self, user_id: NonEmpty[str]) -> set[str]: ...

    def is_connection_active(self, user_id: NonEmpty[str]) -> bool: ...

    async def send_to_user(self, user_id: NonEmpty[str], message: Mapping[str, Any]) -> Annotated[int, at.Ge(0)]: ...


def _users(h: Harness, most: int = 3) -> list[str]:
    return list(h.draw(st.lists(ids, min_size=2, max_size=most, unique=True)))


async def _connect(h: Harness, manager: Any, users: list[str], counts: list[int]) -> list[tuple[str, Any]]:
    """Add ``counts[i]`` connections for ``users[i]``; returns (owner, connection) pairs."""
    made: list[tuple[str, Any]] = []
    for user, count in zip(users, counts, strict=True):
        for _ in range(count):
            n = len(made)
            conn = h.double(Connection, label=f"conn{n}", connection_id=f"conn-{n}", user_id=user)
            await h.call(manager, "add_connection", conn)
            made.append((user, conn))
    return made


def _sends(conn: Any) -> list[Any]:
    return [c for c in conn.websocket.calls if c.method == "send_json"]


def _sent(call: Any) -> Any:
    return call.kwargs.get("data", call.args[0] if call.args else None)


_TRACK_OPS = st.lists(st.tuples(st.sampled_from(("add", "remove", "unknown")), st.integers(0, 7), st.integers(0, 2)), max_size=10)
_SEND_OPS = st.lists(st.tuples(st.sampled_from(("remove", "add", "send")), st.integers(0, 7)), max_size=6)
# (the strategies the scenarios draw from are built once: one built per draw is validated per draw)


@scenario(
    WebSocketManager,
    id="connections-track-adds-and-removes",
    kind="postcondition",
    text=(
        "get_user_connections(u) is exactly the ids of the connections added for u and not yet removed; "
        "is_connection_active(u) is true exactly when that set is not empty. Removing an unknown id is a no-op, not an error."
    ),
)
async def _connections_track(h: Harness) -> None:
    manager = await h.build()
    users = _users(h)
    ops = h.draw(_TRACK_OPS)
    model: dict[str, str] = {}
    made = 0
    for op, pick, who in ops:
        if op == "add":
            cid = f"conn-{made}"
            conn = h.double(Connection, label=f"conn{made}", connection_id=cid, user_id=users[who % len(users)])
            made += 1
            await h.call(manager, "add_connection", conn)
            model[cid] = users[who % len(users)]
        elif op == "remove" and model:
            cid = sorted(model)[pick % len(model)]
            await h.call(manager, "remove_connection", cid)
            del model[cid]
        else:
            try:
                await h.call(manager, "remove_connection", f"unknown-{pick}")
            except Exception as exc:
                h.fail(
                    f"removing the unknown id 'unknown-{pick}' raised {type(exc).__name__}; it must be a no-op", member="remove_connection"
                )
        for user in users:
            expected = {cid for cid, owner in model.items() if owner == user}
            got = await h.call(manager, "get_user_connections", user)
            h.check(
                set(got) == expected,
                f"get_user_connections({user!r}) is {got!r}; the connections added and not removed are {expected!r}",
                member="get_user_connections",
            )
            active = await h.call(manager, "is_connection_active", user)
            h.check(
                active is bool(expected),
                f"is_connection_active({user!r}) is {active!r} with {len(expected)} connection(s)",
                member="is_connection_active",
            )


@scenario(
    WebSocketManager,
    id="send-reaches-only-its-user",
    kind=("isolation", "postcondition"),
    text=(
        "send_to_user(u, m) calls send_json(m) once on every socket of u and on no other socket, "
        "and returns how many sockets it reached; for a user with no connections it returns 0."
    ),
)
async def _send_reaches_only_its_user(h: Harness) -> None:
    # A generated sequence, judged at every send: connections added, removed and sent to in a drawn order.
    manager = await h.build()
    users = _users(h)
    counts = [h.draw(st.integers(0, 3)) for _ in users]
    made = await _connect(h, manager, users, counts)
    live = list(range(len(made)))  # the model: which of the connections made are not removed
    ops = h.draw(_SEND_OPS)
    for op, pick in [*ops, ("send", 0)]:  # a send at the end, always
        if op == "remove" and live:
            i = live.pop(pick % len(live))
            await h.call(manager, "remove_connection", made[i][1].connection_id)
        elif op == "add":
            user, n = users[pick % len(users)], len(made)
            conn = h.double(Connection, label=f"conn{n}", connection_id=f"conn-{n}", user_id=user)
            await h.call(manager, "add_connection", conn)
            made.append((user, conn))
            live.append(n)
        elif op == "send":
            await _judge_send(h, manager, users, made, live)


async def _judge_send(h: Harness, manager: Any, users: list[str], made: list[tuple[str, Any]], live: list[int]) -> None:
    user = h.draw(st.sampled_from(users))
    message = h.draw(messages)
    seen = [len(_sends(conn)) for _, conn in made]
    removed = [i for i in range(len(made)) if i not in live]
    # a removed connection the manager still lists is connections-track-adds-and-removes' defect, not this clause's
    listed = set(await h.call(manager, "get_user_connections", user)) if removed else set()
    count = await h.call(manager, "send_to_user", user, message)
    for i, (owner, conn) in enumerate(made):
        sends = _sends(conn)[seen[i] :]
        if owner != user:
            h.check(
                not sends,
                f"send_to_user({user!r}) sent to {conn.connection_id!r} of user {owner!r}",
                kind="isolation",
                member="send_to_user",
            )
            continue
        if i not in live:
            h.check(
                not sends or conn.connection_id in listed,
                f"send_to_user({user!r}) sent to {conn.connection_id!r} after it was removed",
                kind="postcondition",
                member="send_to_user",
            )
            continue
        h.check(
            len(sends) == 1,
            f"send_to_user({user!r}) called send_json {len(sends)} times on {conn.connection_id!r}, not once",
            kind="postcondition",
            member="send_to_user",
        )
        h.check(
            _sent(sends[0]) == message,
            f"send_json on {conn.connection_id!r} got {_sent(sends[0])!r}, not the message {message!r}",
            kind="postcondition",
            member="send_to_user",
        )
    mine = sum(1 for i in live if made[i][0] == user)
    stale = sum(1 for i in removed if made[i][0] == user and made[i][1].connection_id in listed and _sends(made[i][1])[seen[i] :])
    h.check(
        count in (mine, mine + stale),
        f"send_to_user({user!r}) returned {count!r}; it reached {mine} socket(s)",
        kind="postcondition",
        member="send_to_user",
    )


@scenario(
    WebSocketManager,
    id="failing-socket-does-not-stop-delivery",
    kind="cascade",
    text=(
        "A socket whose send_json raises does not stop delivery to the user's other sockets, "
        "and the exception does not escape send_to_user; the count leaves it out."
    ),
)
async def _failing_socket(h: Harness) -> None:
    manager = await h.build()
    users = _users(h, 2)
    n = h.draw(st.integers(2, 4))
    made = await _connect(h, manager, users, [n, 1])
    broken = set(h.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n - 1, unique=True)))
    for i in sorted(broken):
        made[i][1].websocket.fail(h.draw(failures))
    message = h.draw(messages)
    try:
        count = await h.call(manager, "send_to_user", users[0], message)
    except Exception as exc:
        h.fail(f"send_to_user let {type(exc).__name__} from a failing socket escape", member="send_to_user")
    for i, (_, conn) in enumerate(made[:n]):
        if i not in broken:
            got = len(_sends(conn))
            h.check(
                got == 1,
                f"{conn.connection_id!r} got send_json {got} times, not once, when another socket of the user failed",
                member="send_to_user",
            )
    # "The count leaves it out": judged against the sockets that did take the message, whoever's they are. A
    # manager that also reached another user's socket counts it rightly here; that it sent there at all is
    # send-reaches-only-its-user's (isolation), not a failing socket mishandled.
    took = [conn.connection_id for i, (_, conn) in enumerate(made) if i not in broken and _sends(conn)]
    failed = [made[i][1].connection_id for i in sorted(broken) if _sends(made[i][1])]
    h.check(
        count == len(took),
        f"send_to_user returned {count!r}; {len(took)} socket(s) took the message ({', '.join(map(repr, took)) or 'none'}) "
        f"and {len(failed)} raised ({', '.join(map(repr, failed)) or 'none'})",
        member="send_to_user",
    )


@scenario(
    WebSocketManager,
    id="no-reference-after-removal",
    kind="leak",
    text="After every connection is removed, the manager holds no reference to any of them.",
)
async def _no_reference_after_removal(h: Harness) -> None:
    manager = await h.build()
    users = _users(h, 2)
    counts = [h.draw(st.integers(1, 3)), h.draw(st.integers(0, 2))]
    refs = await _add_then_remove(h, manager, users, counts)
    alive = [name for name, ref in refs if ref() is not None]
    if alive:  # only a cycle can keep them now; a full collection is costly, so only then
        h.collect_garbage()
        alive = [name for name, ref in refs if ref() is not None]
    h.check(not alive, f"after removing every connection the manager still holds {', '.join(alive)}", member="remove_connection")


async def _add_then_remove(h: Harness, manager: Any, users: list[str], counts: list[int]) -> list[tuple[str, Any]]:
    made = await _connect(h, manager, users, counts)
    refs = [(conn.connection_id, weakref.ref(conn)) for _, conn in made]
    for _, conn in made:
        await h.call(manager, "remove_connection", conn.connection_id)
    made.clear()
    return refs


@scenario(
    WebSocketManager,
    id="add-rejects-empty-ids",
    kind=("none-propagation", "empty-string"),
    text="A connection whose user_id or connection_id is None, empty or blank is rejected by add_connection, and nothing is kept.",
)
async def _add_rejects_empty_ids(h: Harness) -> None:
    manager = await h.build()
    owner = h.draw(ids)
    n = 0
    order = h.draw(_BLANKS_ORDER)  # every value, every example; the order drawn, so each kind can come first
    for field in ("user_id", "connection_id"):
        for bad in order:
            fields = {"user_id": owner, "connection_id": f"conn-{n}", field: bad}
            conn = h.double(Connection, label=f"conn{n}", **fields)
            n += 1
            kind = blank_kind(bad)
            try:
                rejected = await h.rejects(manager, "add_connection", conn)
            except Exception as exc:
                h.fail(
                    f"add_connection raised {type(exc).__name__} for a connection whose {field} is {bad!r}, instead of ValueError or TypeError",
                    kind=kind,
                    member="add_connection",
                    parameter="connection",
                )
            if rejected is None:
                h.fail(
                    f"add_connection accepted a connection whose {field} is {bad!r}",
                    kind=kind,
                    member="add_connection",
                    parameter="connection",
                )
            if field == "connection_id":
                kept = await h.call(manager, "get_user_connections", owner)
                h.check(
                    not kept,
                    f"the rejected connection was kept: get_user_connections({owner!r}) is {kept!r}",
                    kind=kind,
                    member="add_connection",
                    parameter="connection",
                )


# ---- the bridge -----------------------------------------------------------------------------

EVENTS: dict[str, tuple[str, str]] = {
    "notify_agent_started": ("agent_started", "agent_name"),
    "notify_agent_thinking": ("agent_thinking", "agent_name"),
    "notify_tool_executing": ("tool_executing", "tool_name"),
    "notify_tool_completed": ("tool_completed", "tool_name"),
    "notify_agent_completed": ("agent_completed", "agent_name"),
}
"""Each notify member, the event type it sends, and the name parameter it carries."""

StepNumber = Annotated[Strict[int], at.Ge(0)]
Milliseconds = Annotated[Strict[Finite[float]], at.Ge(0)]


@contract
class WebSocketBridge(Protocol):
    """Turns an agent run's events into messages for one user, through the manager."""

    def __init__(self, websocket_manager: WebSocketManager, user_context: UserContext) -> None: ...

    async def notify_agent_started(
        self, run_id: NonEmpty[str], agent_name: NonEmpty[str], context: Mapping[str, Any] | None = None
    ) -> bool: ...

    async def notify_agent_thinking(
        self, run_id: NonEmpty[str], agent_name: NonEmpty[str], reasoning: str, step_number: StepNumber | None = None
    ) -> bool: ...

    async def notify_tool_executing(
        self, run_id: NonEmpty[str], tool_name: NonEmpty[str], parameters: Mapping[str, Any] | None = None
    ) -> bool: ...

    async def notify_tool_completed(
        self,
        run_id: NonEmpty[str],
        tool_name: NonEmpty[str],
        result: Mapping[str, Any] | None = None,
        execution_time_ms: Milliseconds | None = None,
    ) -> bool: ...

    async def notify_agent_completed(
        self,
        run_id: NonEmpty[str],
        agent_name: NonEmpty[str],
        result: Mapping[str, Any] | None = None,
        execution_time_ms: Milliseconds | None = None,
    ) -> bool: ...


async def _bridge(h: Harness) -> tuple[Any, Any, Any]:
    manager = h.double(WebSocketManager, label="manager")
    context = h.double(UserContext, label="context")
    bridge = await h.build(websocket_manager=manager, user_context=context)
    return bridge, manager, context


def _user_sends(manager: Any) -> list[Any]:
    return [c for c in manager.calls if c.method == "send_to_user"]


_AGAIN = st.lists(st.sampled_from(list(EVENTS)), max_size=4)
_OTHER_USER = st.text(min_size=1, max_size=8).filter(str.strip)


def _walk(h: Harness) -> list[str]:
    """Every notify member, some of them again, in a drawn order: an agent's run sends thinking and tool events
    many times."""
    again = h.draw(_AGAIN)
    return list(h.draw(st.permutations([*EVENTS, *again])))


def _event_arguments(h: Harness, member: str, run: str) -> dict[str, Any]:
    """In-domain arguments for a notify member; three times in four, the run's own run_id."""
    args = h.arguments(member)
    if "run_id" in args and h.draw(st.integers(0, 3)) < 3:
        args["run_id"] = run
    return args


def _send_args(call: Any) -> tuple[Any, Any]:
    names = ("user_id", "message")
    values = dict(zip(names, call.args, strict=False))
    values.update(call.kwargs)
    return values.get("user_id"), values.get("message")


_ONE = "notify-sends-one-message-to-its-user"
_SHAPE = "message-names-event-and-run"
_DELIVERED = "returns-whether-delivered"


@scenario(
    WebSocketBridge,
    id=_ONE,
    kind="isolation",
    text="Each notify_* sends exactly one message through websocket_manager.send_to_user(user_context.user_id, message), to that user only.",
)
@scenario(
    WebSocketBridge,
    id=_SHAPE,
    kind="postcondition",
    text=(
        "The message is a mapping with type equal to the event name, run_id equal to the argument, "
        "and, for the two tool events, tool_name at the top level."
    ),
)
@scenario(
    WebSocketBridge,
    id=_DELIVERED,
    kind="cascade",
    text=(
        "It returns True when the manager's send_to_user returned a count of 1 or more, False when it returned 0 or raised; "
        "an exception from the manager never escapes."
    ),
)
async def _notify_walk(h: Harness) -> None:
    """One walk judges the three clauses: every notify member, some again, on one manager; one time in three a
    second bridge for another user on the same manager; at each step the manager's send_to_user answers a count
    or, one step in four, raises."""
    bridge, manager, context = await _bridge(h)
    run = h.draw(ids)  # the events of one run share its run_id, as an agent's do
    bridges = [(bridge, context)]
    if h.draw(st.integers(0, 2)) == 2:
        other = h.draw(_OTHER_USER)
        other = other if other != context.user_id else f"{other}-2"
        context2 = h.double(UserContext, label="context2", user_id=other)
        bridges.append((await h.build(websocket_manager=manager, user_context=context2), context2))
    for member in _walk(h):
        with h.part(member):  # one broken member hides no other
            target, ctx = bridges[h.draw(st.integers(0, len(bridges) - 1))]
            raised, expected, what = _answer(h, manager)
            args = _event_arguments(h, member, run)
            before = len(_user_sends(manager))
            try:
                result = await h.call(target, member, **args)
            except Exception as exc:
                h.fail(f"{member} let {type(exc).__name__} escape when {what}", member=member, clause=_DELIVERED)
            with h.part(member):  # a wrong result hides neither the count nor the message
                h.check(
                    result is expected,
                    f"{member} returned {result!r} when {what}; it must return {expected!r}",
                    member=member,
                    clause=_DELIVERED,
                )
            if raised:
                continue  # a bridge may try a failed send again: the count and the message are judged on the others
            sends = _user_sends(manager)[before:]
            h.check(len(sends) == 1, f"{member} called send_to_user {len(sends)} times, not once", member=member, clause=_ONE)
            user, message = _send_args(sends[0])
            with h.part(member):
                h.check(
                    user == ctx.user_id, f"{member} sent to {user!r}, not to the context's user {ctx.user_id!r}", member=member, clause=_ONE
                )
            _check_message(h, member, args, message)


def _answer(h: Harness, manager: Any) -> tuple[bool, bool, str]:
    """What the manager's send_to_user does at this step: one time in four it raises, else it returns a count from
    0 to 3. Whether it raises, what the bridge must return, and the words for it."""
    manager.heal()
    if h.draw(st.integers(0, 3)) == 3:
        error = h.draw(failures)
        manager.fail(error, methods=("send_to_user",))
        return True, False, f"send_to_user raised {type(error).__name__}"
    count = h.draw(st.integers(0, 3))
    manager.answer("send_to_user", answering(f"lambda *a, **k: {count}", lambda *a, **k: count))
    return False, count >= 1, f"send_to_user returned {count}"


def _check_message(h: Harness, member: str, args: dict[str, Any], message: Any) -> None:
    event, name = EVENTS[member]
    h.check(isinstance(message, Mapping), f"{member} sent {message!r}, not a mapping", member=member, clause=_SHAPE)
    h.check(message.get("type") == event, f"{member} sent type {message.get('type')!r}, not {event!r}", member=member, clause=_SHAPE)
    h.check(
        message.get("run_id") == args["run_id"],
        f"{member} sent run_id {message.get('run_id')!r}, not {args['run_id']!r}",
        member=member,
        clause=_SHAPE,
    )
    if name == "tool_name":
        h.check(
            message.get("tool_name") == args["tool_name"],
            f"{member} sent tool_name {message.get('tool_name')!r} at the top level, not {args['tool_name']!r}",
            member=member,
            clause=_SHAPE,
        )
