"""``interlock.contracts.factory``: the per-user factory of execution engines."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any, Protocol

from hypothesis import strategies as st

from interlock.contracts._declare import contract, scenario
from interlock.contracts._harness import Harness
from interlock.contracts._markers import NonEmpty
from interlock.contracts._values import BLANKS, answering, blank_kind, ids
from interlock.contracts.context import UserContext
from interlock.contracts.websocket import WebSocketManager

__all__ = ["ExecutionEngine", "ExecutionEngineFactory"]

_BLANKS_ORDER = st.permutations(BLANKS)  # built once: a strategy built per draw is validated per draw


@contract
class ExecutionEngine(Protocol):
    """Runs agents for one user context, sending the run's events to that user."""

    user_context: UserContext

    async def execute_agent(self, agent_name: NonEmpty[str], user_message: str) -> Mapping[str, Any]: ...


@contract
class ExecutionEngineFactory(Protocol):
    """Creates one engine per request, never shared, and cleans a user's engines up."""

    def __init__(self, websocket_manager: WebSocketManager) -> None: ...

    async def create_for_user(self, context: UserContext) -> ExecutionEngine: ...

    async def cleanup_user_context(self, user_id: NonEmpty[str]) -> bool: ...

    def active_engine_count(self) -> int: ...


async def _factory(h: Harness) -> tuple[Any, Any]:
    manager = h.double(WebSocketManager, label="manager")
    manager.answer("send_to_user", answering("lambda *a, **k: 1", lambda *a, **k: 1))
    factory = await h.build(websocket_manager=manager)
    return factory, manager


def _context(h: Harness, label: str, user: str | None = None, /, **fields: Any) -> Any:
    if user is not None:
        fields["user_id"] = user
    return h.double(UserContext, label=label, **fields)


def _same_context(got: Any, given: Any) -> bool:
    if got is given:
        return True
    return all(getattr(got, f, object()) == getattr(given, f) for f in ("user_id", "thread_id", "run_id"))


@scenario(
    ExecutionEngineFactory,
    id="new-engine-per-call",
    kind="isolation",
    text="create_for_user returns a new engine on every call (never a cached or shared one), whose user_context is the given context.",
)
async def _new_engine_per_call(h: Harness) -> None:
    factory, _ = await _factory(h)
    first = _context(h, "context1")
    second = first if h.draw(st.booleans()) else _context(h, "context2")
    one = await h.call(factory, "create_for_user", first)
    two = await h.call(factory, "create_for_user", second)
    h.check(one is not two, "create_for_user returned the same engine twice", member="create_for_user")
    for engine, ctx in ((one, first), (two, second)):
        try:
            got = engine.user_context
        except Exception:
            # No readable user_context: the engine is checked against ExecutionEngine too, which reports the missing
            # attribute (missing-member, a signature kind, first) or the raising one on create_for_user().user_context.
            continue
        if not isinstance(got, UserContext):
            continue  # not a UserContext at all: return-type on create_for_user().user_context, never judged here
        h.check(_same_context(got, ctx), f"the engine's user_context is {got!r}, not the given context", member="create_for_user")


_DEPENDENCY_TYPES = (str, int, float, bool, bytes, type(None), tuple, frozenset)


def _fields(obj: Any) -> list[tuple[str, Any]]:
    """An object's attributes, from its ``__dict__`` and its ``__slots__`` alike (an engine may use either)."""
    found: dict[str, Any] = dict(getattr(obj, "__dict__", None) or {})
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name in ("__dict__", "__weakref__") or name in found:
                continue
            try:
                found[name] = getattr(obj, name)
            except AttributeError:  # a slot never set
                continue
    return list(found.items())


def _state(engine: Any, skip: set[int]) -> dict[str, str]:
    """What another engine could see of this one: its attributes and its class's mutable ones, as text."""
    seen: dict[str, str] = {}
    for name, value in _fields(engine) + [(f"class.{k}", v) for k, v in vars(type(engine)).items()]:
        if id(value) in skip or callable(value) or name.startswith("class.__"):
            continue
        try:
            seen[name] = repr(value)
        except Exception:
            seen[name] = f"<unrepresentable {type(value).__name__}>"
    return seen


def _shared(one: Any, two: Any, skip: set[int]) -> list[str]:
    mine = {id(v): k for k, v in _fields(one) if not isinstance(v, _DEPENDENCY_TYPES) and id(v) not in skip}
    return [k for k, v in _fields(two) if id(v) in mine]


@scenario(
    ExecutionEngineFactory,
    id="engines-share-no-state",
    kind="isolation",
    text=(
        "Two engines share no mutable state apart from the dependencies given to the factory: "
        "what one execution changes is not seen by the other."
    ),
)
async def _engines_share_no_state(h: Harness) -> None:
    factory, manager = await _factory(h)
    users = h.draw(st.lists(ids, min_size=2, max_size=2, unique=True))
    one = await h.call(factory, "create_for_user", _context(h, "context1", users[0]))
    two = await h.call(factory, "create_for_user", _context(h, "context2", users[1]))
    skip = {id(manager), id(getattr(one, "user_context", None)), id(getattr(two, "user_context", None))}
    shared = _shared(one, two, skip)
    h.check(not shared, f"two engines share the mutable attribute(s) {', '.join(shared)}", member="create_for_user")
    before = _state(two, skip)
    await h.call(one, "execute_agent", h.draw(ids), h.draw(st.text(max_size=12)))
    after = _state(two, skip)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    h.check(not changed, f"running one engine changed what the other holds: {', '.join(changed)}", member="create_for_user().execute_agent")


@scenario(
    ExecutionEngineFactory,
    id="create-rejects-bad-context",
    kind=("none-propagation", "empty-string", "leak"),
    text=(
        "A context whose user_id, thread_id or run_id is None, empty or blank is rejected by create_for_user itself, "
        "not by a later call on the engine; a create_for_user that fails leaves active_engine_count unchanged."
    ),
)
async def _create_rejects_bad_context(h: Harness) -> None:
    factory, _ = await _factory(h)
    order = h.draw(_BLANKS_ORDER)  # every value, every example; the order drawn, so each kind can come first
    # one context's fields drawn, each bad context that context with one field changed: twelve contexts drawn
    # afresh would cost twelve times the draws, and only the bad field decides the outcome
    good = _context(h, "context")
    fields = {name: getattr(good, name) for name in _FIELDS}
    for field in _FIELDS:
        for bad in order:
            await _rejects(h, factory, field, bad, fields)


_FIELDS = ("user_id", "thread_id", "run_id")


async def _rejects(h: Harness, factory: Any, field: str, bad: Any, fields: dict[str, Any]) -> None:
    before = await h.call(factory, "active_engine_count")
    kind = blank_kind(bad)
    try:
        rejected = await h.rejects(factory, "create_for_user", _context(h, f"context_{field}", **{**fields, field: bad}))
    except Exception as exc:
        h.fail(
            f"create_for_user raised {type(exc).__name__} for a context whose {field} is {bad!r}, not ValueError or TypeError",
            kind=kind,
            member="create_for_user",
            parameter="context",
        )
    if rejected is None:
        h.fail(f"create_for_user accepted a context whose {field} is {bad!r}", kind=kind, member="create_for_user", parameter="context")
    after = await h.call(factory, "active_engine_count")
    h.check(
        after == before,
        f"a failed create_for_user changed active_engine_count from {before} to {after}",
        kind="leak",
        member="create_for_user",
    )


def _events(manager: Any) -> list[tuple[Any, Any]]:
    out = []
    for call in manager.calls:
        if call.method != "send_to_user":
            continue
        values = dict(zip(("user_id", "message"), call.args, strict=False))
        values.update(call.kwargs)
        out.append((values.get("user_id"), values.get("message")))
    return out


def _check_run(h: Harness, events: list[tuple[Any, Any]], ctx: Any, member: str) -> None:
    h.check(events, "execute_agent sent no event", kind="ordering", member=member)
    for user, message in events:
        h.check(
            user == ctx.user_id,
            f"execute_agent sent an event to {user!r}, not to the context's user {ctx.user_id!r}",
            kind="isolation",
            member=member,
        )
        h.check(
            isinstance(message, Mapping) and "type" in message,
            f"execute_agent sent {message!r}, which has no 'type'",
            kind="ordering",
            member=member,
        )
        h.check(
            message.get("run_id") == ctx.run_id,
            f"an event carries run_id {message.get('run_id')!r}, not the context's {ctx.run_id!r}",
            kind="isolation",
            member=member,
        )
    types = [m.get("type") for _, m in events]
    h.check(
        types[0] == "agent_started",
        f"the first event is {types[0]!r}, not 'agent_started' (events: {types})",
        kind="ordering",
        member=member,
    )
    h.check(
        types[-1] == "agent_completed",
        f"the last event is {types[-1]!r}, not 'agent_completed' (events: {types})",
        kind="ordering",
        member=member,
    )


@scenario(
    ExecutionEngineFactory,
    id="execute-sends-started-first-completed-last",
    kind=("ordering", "isolation"),
    text=(
        "execute_agent sends, through send_to_user of the manager, to the context's user only, agent_started first and "
        "agent_completed last, each a mapping with type and the context's run_id at the top level; two engines running at once "
        "for two users never mix their events."
    ),
)
async def _execute_orders_events(h: Harness) -> None:
    factory, manager = await _factory(h)
    member = "create_for_user().execute_agent"
    users = h.draw(st.lists(ids, min_size=2, max_size=2, unique=True))
    runs = h.draw(st.lists(ids, min_size=2, max_size=2, unique=True))
    contexts = [_context(h, f"context{i + 1}", u, run_id=r) for i, (u, r) in enumerate(zip(users, runs, strict=True))]
    engines = [await h.call(factory, "create_for_user", c) for c in contexts]
    together = h.draw(st.booleans())
    inputs = [(h.draw(ids), h.draw(st.text(max_size=12))) for _ in engines]
    if together:
        await h.gather(*[h.call(e, "execute_agent", *args) for e, args in zip(engines, inputs, strict=True)])
    else:
        await h.call(engines[0], "execute_agent", *inputs[0])
        contexts = contexts[:1]
    events = _events(manager)
    for ctx in contexts:
        mine = [(u, m) for u, m in events if isinstance(m, Mapping) and m.get("run_id") == ctx.run_id]
        strays = [(u, m) for u, m in mine if u != ctx.user_id]
        h.check(not strays, f"events of run {ctx.run_id!r} went to {strays[0][0]!r}" if strays else "", kind="isolation", member=member)
        _check_run(h, mine if together else events, ctx, member)


async def _create_then_cleanup(h: Harness, factory: Any, user: str, other: str, mine: int, theirs: int) -> tuple[list[Any], list[Any]]:
    """Weak references to ``user``'s engines, and the other user's engines, held so they stay active and distinct."""
    refs = []
    for i in range(mine):
        engine = await h.call(factory, "create_for_user", _context(h, f"mine{i}", user))
        refs.append(weakref.ref(engine))
        del engine
    held = [await h.call(factory, "create_for_user", _context(h, f"theirs{i}", other)) for i in range(theirs)]
    return refs, held


@scenario(
    ExecutionEngineFactory,
    id="cleanup-drops-engines",
    kind="leak",
    text=(
        "cleanup_user_context(u) drops every engine of u, returns whether there was one, and active_engine_count() goes back "
        "to what it was before they were created (when no other engines were created meanwhile). A user may hold several engines at once."
    ),
)
async def _cleanup_drops_engines(h: Harness) -> None:
    factory, manager = await _factory(h)
    user, other = h.draw(st.lists(ids, min_size=2, max_size=2, unique=True))
    theirs = h.draw(st.integers(0, 2))
    mine = h.draw(st.integers(0, 3))
    start = await h.call(factory, "active_engine_count")
    # one time in three, a second factory on the same manager holds engines of the same user: state kept per
    # manager (a class-level dict keyed by it) shows in the first factory's count and cleanup
    neighbour, neighbours = (
        (await h.build(websocket_manager=manager), h.draw(st.integers(1, 2))) if h.draw(st.integers(0, 2)) == 2 else (None, 0)
    )
    kept_by_neighbour = [await h.call(neighbour, "create_for_user", _context(h, f"neighbour{i}", user)) for i in range(neighbours)]
    neighbour_count = await h.call(neighbour, "active_engine_count") if neighbour is not None else 0
    refs, held = await _create_then_cleanup(h, factory, user, other, mine, theirs)
    had = await h.call(factory, "cleanup_user_context", user)
    h.check(had is (mine > 0), f"cleanup_user_context returned {had!r} for a user with {mine} engine(s)", member="cleanup_user_context")
    count = await h.call(factory, "active_engine_count")
    # The other user's engines were created meanwhile and are still held: each distinct engine counts once. An engine
    # handed out twice (a cached one) is one engine, and that it was handed out twice is new-engine-per-call's.
    kept = len({id(engine) for engine in held})
    h.check(
        count == start + kept,
        f"after cleanup active_engine_count is {count}, not {start + kept} ({start} before, and {kept} engine(s) the other user "
        "still holds)",
        member="cleanup_user_context",
    )
    if neighbour is not None:
        after = await h.call(neighbour, "active_engine_count")
        h.check(
            after == neighbour_count and kept_by_neighbour,
            f"cleanup_user_context on one factory changed another factory's active_engine_count (built on the same manager) "
            f"from {neighbour_count} to {after}",
            member="cleanup_user_context",
        )
    again = await h.call(factory, "cleanup_user_context", user)
    h.check(again is False, f"a second cleanup_user_context returned {again!r}, not False", member="cleanup_user_context")
    alive = sum(1 for r in refs if r() is not None)
    if alive:
        h.collect_garbage()
        alive = sum(1 for r in refs if r() is not None)
    h.check(not alive, f"the factory still holds {alive} engine(s) of the cleaned-up user", member="cleanup_user_context")
