"""``interlock.contracts.router``: the message router and the handlers it routes to."""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from hypothesis import strategies as st

from interlock.contracts._declare import contract, scenario
from interlock.contracts._harness import Harness
from interlock.contracts._markers import NonEmpty
from interlock.contracts._values import answering, failures, ids, messages
from interlock.contracts.websocket import SocketLike

__all__ = ["MessageHandler", "MessageRouter"]


@runtime_checkable
class MessageHandler(Protocol):
    """Handles the messages whose type it can handle."""

    def can_handle(self, message_type: NonEmpty[str]) -> bool: ...

    async def handle_message(self, user_id: NonEmpty[str], websocket: SocketLike, message: Mapping[str, Any]) -> bool: ...


@contract
class MessageRouter(Protocol):
    """Routes each message to the first registered handler that can handle its type."""

    def __init__(self) -> None: ...

    def add_handler(self, handler: MessageHandler) -> None: ...

    def remove_handler(self, handler: MessageHandler) -> bool: ...

    async def route_message(self, user_id: NonEmpty[str], websocket: SocketLike, raw_message: Mapping[str, Any]) -> bool: ...


TYPES = ("chat", "ping", "agent", "status")
"""Message types the router scenarios draw from: a small set, so handlers overlap."""


class _Script:
    """How one handler double behaves: the types it handles, its answer, and a method that raises."""

    def __init__(self, label: str, handles: frozenset[str], answer: bool, fail: str | None = None, error: Exception | None = None) -> None:
        self.label = label
        self.handles = handles
        self.answer = answer
        self.fail = fail
        self.error = error

    def can_handle(self, message_type: Any) -> bool:
        return message_type in self.handles

    async def handle_message(self, *args: Any, **kwargs: Any) -> bool:
        await asyncio.sleep(0)
        return self.answer


def _handler(h: Harness, script: _Script) -> Any:
    handler = h.double(MessageHandler, label=script.label)
    handler.answer("can_handle", answering(f"lambda t: t in {sorted(script.handles)!r}", script.can_handle))
    handler.answer("handle_message", answering(f"lambda *a, **k: {script.answer!r}", script.handle_message))
    if script.fail is not None and script.error is not None:
        handler.fail(script.error, methods=(script.fail,))
    return handler


_HANDLES = st.sets(st.sampled_from(TYPES), max_size=3)
_TYPE = st.sampled_from(TYPES)
# (the strategies a scenario draws from are built once, here and in ``_ops``: one built per draw is validated per draw)


@functools.lru_cache(maxsize=64)
def _ops(names: tuple[str, ...], last: int) -> Any:
    """A drawn order of operations, each on one of the handlers ``0..last``."""
    return st.lists(st.tuples(st.sampled_from(names), st.integers(0, last)), max_size=8)


@functools.lru_cache(maxsize=64)
def _fail_heal_route(last: int) -> Any:
    """Handlers starting and stopping failing between routes, in a drawn order."""
    steps = st.one_of(
        st.tuples(st.just("fail"), st.integers(0, last), st.sampled_from(("can_handle", "handle_message"))),
        st.tuples(st.just("heal"), st.integers(0, last), st.just("")),
        st.tuples(st.just("route"), st.integers(0, last), st.sampled_from(TYPES)),
    )
    return st.lists(steps, min_size=1, max_size=8)


def _draw_scripts(h: Harness, least: int = 1, most: int = 4) -> list[_Script]:
    n = h.draw(st.integers(least, most))
    return [_Script(f"handler{i}", frozenset(h.draw(_HANDLES)), h.draw(st.booleans())) for i in range(n)]


async def _register(h: Harness, router: Any, scripts: list[_Script]) -> list[Any]:
    made = [_handler(h, s) for s in scripts]
    for handler in made:
        await h.call(router, "add_handler", handler)
    return made


def _calls(handler: Any, method: str) -> list[Any]:
    return [c for c in handler.calls if c.method == method]


def _args(call: Any, names: tuple[str, ...]) -> dict[str, Any]:
    values = dict(zip(names, call.args, strict=False))
    values.update(call.kwargs)
    return values


def _message(h: Harness) -> dict[str, Any]:
    return {**h.draw(messages), "type": h.draw(_TYPE)}


async def _route(h: Harness, router: Any, user: str | None = None, socket: Any = None, message: Any = None) -> tuple[Any, str, Any, Any]:
    user = user if user is not None else h.draw(ids)
    socket = socket if socket is not None else h.double(SocketLike, label="websocket")
    message = message if message is not None else _message(h)
    result = await h.call(router, "route_message", user, socket, message)
    return result, user, socket, message


@scenario(
    MessageRouter,
    id="routes-to-first-capable-handler",
    kind=("ordering", "postcondition"),
    text=(
        "route_message asks can_handle(raw_message['type']) of the handlers in the order they were added, stops at the first "
        "that is true, and calls handle_message on exactly that handler (the first added, not yet removed, whose can_handle is "
        "true) with the same user_id, the same websocket object and the message; and returns its result."
    ),
)
async def _routes_to_first(h: Harness) -> None:
    # A generated sequence, judged at every route: every handler is added, then handlers are removed, added back
    # (at the end of the order) and messages routed, in a drawn order. Only registered handlers are removed and
    # only unregistered ones added, so what remove_handler returns and a duplicate add stay their own clauses'.
    router = await h.build()
    scripts = _draw_scripts(h)
    handlers = [_handler(h, s) for s in scripts]
    order: list[int] = []  # the model: the registered handlers, in the order the contract asks them
    for i, handler in enumerate(handlers):
        await h.call(router, "add_handler", handler)
        order.append(i)
    last = len(handlers) - 1
    ops = h.draw(_ops(("remove", "add", "route"), last))
    for op, i in [*ops, ("route", 0)]:  # a route at the end, always
        if op == "remove" and i in order:
            await h.call(router, "remove_handler", handlers[i])
            order.remove(i)
        elif op == "add" and i not in order:
            await h.call(router, "add_handler", handlers[i])
            order.append(i)
        elif op == "route":
            await _judge_route(h, router, scripts, handlers, order)


async def _judge_route(h: Harness, router: Any, scripts: list[_Script], handlers: list[Any], order: list[int]) -> None:
    start = len(h.log.calls)
    seen = [len(_calls(handler, "handle_message")) for handler in handlers]
    result, user, socket, message = await _route(h, router)
    chosen = next((i for i in order if message["type"] in scripts[i].handles), None)
    asked_order = [c.double for c in h.log.calls[start:] if c.method == "can_handle"]
    expected_order = [scripts[i].label for i in order[: order.index(chosen) + 1 if chosen is not None else len(order)]]
    h.check(
        asked_order == expected_order,
        f"route_message asked can_handle of {asked_order or 'no handler'}; the contract's order is {expected_order}",
        kind="ordering",
        member="route_message",
    )
    for i, handler in enumerate(handlers):
        handled = _calls(handler, "handle_message")[seen[i] :]
        if i != chosen:
            h.check(
                not handled,
                f"route_message handed the message to {scripts[i].label}"
                + (" after it was removed" if i not in order else ", not to the first capable handler"),
                kind="postcondition",
                member="route_message",
            )
            continue
        h.check(
            len(handled) == 1,
            f"route_message called {scripts[i].label}.handle_message {len(handled)} times",
            kind="postcondition",
            member="route_message",
        )
        got = _args(handled[0], ("user_id", "websocket", "message"))
        h.check(
            got.get("user_id") == user,
            f"handle_message got user_id {got.get('user_id')!r}, not {user!r}",
            kind="postcondition",
            member="route_message",
        )
        h.check(
            got.get("websocket") is socket,
            "handle_message got another websocket object than the one routed",
            kind="postcondition",
            member="route_message",
        )
        h.check(
            got.get("message") == message,
            f"handle_message got {got.get('message')!r}, not the message",
            kind="postcondition",
            member="route_message",
        )
    expected = scripts[chosen].answer if chosen is not None else False
    h.check(
        result is expected,
        f"route_message returned {result!r}; the handler's answer was {expected!r}",
        kind="postcondition",
        member="route_message",
    )


_BAD_TYPES: tuple[Any, ...] = ("missing", None, "", " ", 1, b"chat", ["chat"])


@scenario(
    MessageRouter,
    id="unhandled-message-returns-false",
    kind="unexpected-exception",
    text="No handler for the type, a message without type, or a type that is not non-empty text: it returns False, calls no handler, raises nothing.",
)
async def _unhandled_returns_false(h: Harness) -> None:
    router = await h.build()
    scripts = _draw_scripts(h, least=0, most=3)
    handlers = await _register(h, router, scripts)
    base = h.draw(messages)
    base.pop("type", None)
    known = set().union(*(s.handles for s in scripts)) if scripts else set()
    unknown = next(t for t in (*TYPES, "other") if t not in known)
    for bad in (unknown, *_BAD_TYPES):  # every kind of unroutable message, every example
        message = dict(base)
        if bad != "missing":
            message["type"] = bad
        try:
            result, *_ = await _route(h, router, message=message)
        except Exception as exc:
            h.fail(
                f"route_message raised {type(exc).__name__}: {exc} for a message with type {message.get('type', '(none)')!r}",
                member="route_message",
            )
        h.check(
            result is False,
            f"route_message returned {result!r} for a message with type {message.get('type', '(none)')!r}",
            member="route_message",
        )
        for handler in handlers:
            h.check(
                not _calls(handler, "handle_message"),
                f"route_message called a handler for type {message.get('type', '(none)')!r}",
                member="route_message",
            )


@scenario(
    MessageRouter,
    id="failing-handler-is-contained",
    kind="cascade",
    text=(
        "A handler whose can_handle or handle_message raises: route_message returns False and asks no later handler; "
        "the exception does not escape and the router keeps routing later messages."
    ),
)
async def _failing_handler(h: Harness) -> None:
    # A generated walk: handlers are added once, then messages are routed while handlers start and stop failing
    # (can_handle or handle_message raises), in a drawn order. A route in which a handler raised returns False, asks
    # no later handler and lets nothing escape. A route after a failure, in which none raised, goes where a twin
    # router (the same routes, no failure ever) sends it, where the twin routes as the contract's order says: a
    # router that routes wrongly anyway is routes-to-first-capable-handler's.
    router = await h.build()
    twin = await h.build()
    scripts = _draw_scripts(h, least=2, most=3)
    handlers = await _register(h, router, scripts)
    await _register(h, twin, [_Script(f"{s.label}_twin", s.handles, s.answer) for s in scripts])
    failing: dict[int, str] = {}
    last = len(scripts) - 1
    ops = h.draw(_fail_heal_route(last))
    failed_before = False
    final = min(scripts[0].handles, default=TYPES[0])  # heal the first handler and route its type, at the end, always
    for op, k, arg in [*ops, ("heal", 0, ""), ("route", 0, final)]:
        if op == "fail":
            handlers[k].fail(h.draw(failures), methods=(arg,))
            failing[k] = arg
        elif op == "heal":
            handlers[k].heal()
            failing.pop(k, None)
        elif op == "route":
            message = {**h.draw(messages), "type": arg}
            start = len(h.log.calls)
            try:
                result, *_ = await _route(h, router, message=message)
            except Exception as exc:
                raised = _raised_in(h, start, scripts, failing)
                if raised is None:
                    raise  # no handler raised: route_message's own exception, reported on route_message, not a cascade
                h.fail(f"route_message let {type(exc).__name__} from {raised[1]} escape", member="route_message")
            raised = _raised_in(h, start, scripts, failing)
            if raised is not None:
                failed_before = True
                at, where = raised
                h.check(result is False, f"route_message returned {result!r} when {where} raised", member="route_message")
                mine = {sc.label for sc in scripts}
                after = [f"{c.double}.{c.method}" for c in h.log.calls[at + 1 :] if c.double in mine]
                h.check(not after, f"route_message asked {after[0] if after else ''} after {where} raised", member="route_message")
                continue
            got_twin, *_ = await _route(h, twin, message=message)
            first = next((i for i in range(len(scripts)) if arg in scripts[i].handles), None)
            want = scripts[first].answer if first is not None else False
            if failed_before and got_twin is want:
                h.check(
                    result is want,
                    f"after a handler failed, route_message returned {result!r} for a {arg!r} message, where it returns "
                    f"{want!r} when no handler ever failed",
                    member="route_message",
                )


def _raised_in(h: Harness, start: int, scripts: list[_Script], failing: dict[int, str]) -> tuple[int, str] | None:
    """The first call since ``start`` of a method a handler was told to fail, and its name: the call that raised."""
    labels = {scripts[k].label: method for k, method in failing.items()}
    for i, c in enumerate(h.log.calls[start:], start):
        if labels.get(c.double) == c.method:
            return i, f"{c.double}.{c.method}"
    return None


@scenario(
    MessageRouter,
    id="duplicate-add-keeps-first-place",
    kind="ordering",
    text="Adding a handler that is already registered changes nothing: it keeps its first place.",
)
async def _duplicate_add(h: Harness) -> None:
    # A generated walk: every handler is added, then handlers are added again (registered or not), removed and
    # messages routed, in a drawn order. A twin router gets the same walk without the adds of registered handlers.
    # The clause is broken where the twin routes as the contract's order says and the router does not: the repeated
    # adds changed something. A router that routes wrong without them is routes-to-first-capable-handler's.
    router = await h.build()
    twin = await h.build()
    scripts = _draw_scripts(h, least=2)
    handlers = [_handler(h, s) for s in scripts]
    twins = [_handler(h, _Script(f"{s.label}_twin", s.handles, s.answer)) for s in scripts]
    order: list[int] = []  # the model: the registered handlers, in the order the contract asks them
    repeated: set[str] = set()
    last = len(scripts) - 1
    ops = h.draw(
        st.lists(st.tuples(st.sampled_from(("add", "add", "remove", "route", "route")), st.integers(0, last)), min_size=1, max_size=10)
    )
    for op, i in [*(("add", k) for k in range(len(scripts))), *ops, ("route", 0)]:  # a route at the end, always
        if op == "add":
            await h.call(router, "add_handler", handlers[i])
            if i in order:
                repeated.add(scripts[i].label)
            else:
                await h.call(twin, "add_handler", twins[i])
                order.append(i)
        elif op == "remove" and i in order:
            await h.call(router, "remove_handler", handlers[i])
            await h.call(twin, "remove_handler", twins[i])
            order.remove(i)
        elif op == "route":
            message, user = _message(h), h.draw(ids)
            socket = h.double(SocketLike, label="websocket")
            got = await _routed_to(h, router, handlers, scripts, user, socket, message)
            got_twin = await _routed_to(h, twin, twins, scripts, user, socket, message)
            first = next((scripts[k].label for k in order if message["type"] in scripts[k].handles), None)
            want = [first] if first is not None else []
            if repeated and got_twin == want and got != want:
                h.fail(
                    f"after adding {', '.join(sorted(repeated))} again while registered, a {message['type']!r} message went "
                    f"to {got or 'no handler'}, not {want or 'no handler'} (where it goes without the repeated adds)",
                    member="add_handler",
                )


async def _routed_to(
    h: Harness, router: Any, handlers: list[Any], scripts: list[_Script], user: str, socket: Any, message: Any
) -> list[str]:
    """Route one message; the labels of the handlers whose handle_message it called."""
    before = [len(_calls(x, "handle_message")) for x in handlers]
    await h.call(router, "route_message", user, socket, message)
    return [scripts[k].label for k, x in enumerate(handlers) if len(_calls(x, "handle_message")) > before[k]]


@scenario(
    MessageRouter,
    id="removed-handler-is-released",
    kind="leak",
    text="remove_handler returns whether the handler was registered; a removed handler is never called again and the router keeps no reference to it.",
)
async def _removed_released(h: Harness) -> None:
    # A generated walk: handlers are added, removed (registered or not) and messages routed, in a drawn order, and
    # every removal's answer is judged against the model; then each handler is removed, and removed again. A message
    # that only removed handlers could take returns False, and no removed handler is still held.
    router = await h.build()
    scripts = _draw_scripts(h, least=1, most=3)
    handlers = [_handler(h, s) for s in scripts]
    registered: list[int] = []
    last = len(scripts) - 1
    ops = h.draw(_ops(("add", "remove", "remove", "route"), last))
    ends = [step for k in range(len(scripts)) for step in (("remove", k), ("remove", k))]
    for op, i in [*(("add", k) for k in range(len(scripts))), *ops, *ends]:
        if op == "add" and i not in registered:  # a repeated add is duplicate-add-keeps-first-place's
            await h.call(router, "add_handler", handlers[i])
            registered.append(i)
        elif op == "remove":
            was = await h.call(router, "remove_handler", handlers[i])
            expected = i in registered
            h.check(
                was is expected,
                f"remove_handler returned {was!r} for {scripts[i].label}, which was {'' if expected else 'not '}registered",
                member="remove_handler",
            )
            if expected:
                registered.remove(i)
        elif op == "route":
            await _route(h, router, message=_message(h))
    kinds = sorted(set().union(*(s.handles for s in scripts)))
    if kinds:
        seen = [len(_calls(x, "handle_message")) for x in handlers]
        result, *_ = await _route(h, router, message={**h.draw(messages), "type": h.draw(st.sampled_from(kinds))})
        h.check(result is False, f"route_message returned {result!r} with only removed handlers", member="remove_handler")
        called = [scripts[k].label for k, x in enumerate(handlers) if len(_calls(x, "handle_message")) > seen[k]]
        h.check(not called, f"route_message called {called[0] if called else ''} after it was removed", member="remove_handler")
    refs = [weakref.ref(x) for x in handlers]
    del handlers
    if any(ref() is not None for ref in refs):
        h.collect_garbage()
    held = [scripts[k].label for k, ref in enumerate(refs) if ref() is not None]
    h.check(not held, f"the router still holds a reference to a removed handler ({held[0] if held else ''})", member="remove_handler")


@scenario(
    MessageRouter,
    id="concurrent-users-stay-apart",
    kind="isolation",
    text="Routing for two users at once never hands one user's message or websocket to the other's call.",
)
async def _concurrent_users(h: Harness) -> None:
    router = await h.build()
    kind = h.draw(_TYPE)
    (handler,) = await _register(h, router, [_Script("handler0", frozenset({kind}), True)])
    users = h.draw(st.lists(ids, min_size=2, max_size=2, unique=True))
    sockets = [h.double(SocketLike, label=f"websocket{i}") for i in range(2)]
    msgs = [{**h.draw(messages), "type": kind, "seq": i} for i in range(2)]
    await h.gather(*[h.call(router, "route_message", users[i], sockets[i], msgs[i]) for i in range(2)])
    # Each handle_message call is traced to the user each of its arguments came from: the user id, the websocket
    # object, and the message by its "seq" (kept by an equal mapping or a copy). An argument that comes from neither
    # user (a message stripped of its seq, a wrapped websocket) is not the other user's: whether the handler got
    # exactly the routed arguments is routes-to-first-capable-handler's (postcondition), not this clause's.
    owners: list[int] = []
    for call in _calls(handler, "handle_message"):
        got = _args(call, ("user_id", "websocket", "message"))
        message = got.get("message")
        sources = {
            "user_id": next((i for i in range(2) if got.get("user_id") == users[i]), None),
            "websocket": next((i for i in range(2) if got.get("websocket") is sockets[i]), None),
            "message": next((i for i in range(2) if isinstance(message, Mapping) and message.get("seq") == msgs[i]["seq"]), None),
        }
        traced = {name: i for name, i in sources.items() if i is not None}
        if len(set(traced.values())) > 1:
            mixed = ", ".join(f"the {name} of {users[i]!r}" for name, i in traced.items())
            h.fail(f"routing for {users[0]!r} and {users[1]!r} at once handed one handle_message call {mixed}", member="route_message")
        if traced:
            owners.append(next(iter(traced.values())))
    for i in range(2):
        # One user's arguments in two calls and the other's in none: the other user's call was handed them. (Two calls
        # for each user, or none for one of them alone, is how many times the handler was called: not this clause's.)
        h.check(
            not (owners.count(i) >= 2 and owners.count(1 - i) == 0),
            f"routing for {users[0]!r} and {users[1]!r} at once handed {users[i]!r}'s arguments to {owners.count(i)} "
            f"handle_message calls and {users[1 - i]!r}'s to none: {users[1 - i]!r}'s call got {users[i]!r}'s",
            member="route_message",
        )


@scenario(
    MessageRouter,
    id="routers-agree",
    compare=True,
    text="Two implementations given the same handlers and messages route every message to the same handler.",
)
async def _routers_agree(h: Harness) -> list[Any]:
    router = await h.build()
    scripts = _draw_scripts(h)
    handlers = await _register(h, router, scripts)
    seen: list[list[str]] = []
    for _ in range(h.draw(st.integers(1, 3))):
        before = [len(_calls(d, "handle_message")) for d in handlers]
        await _route(h, router, message=_message(h))
        after = [len(_calls(d, "handle_message")) for d in handlers]
        seen.append([s.label for s, b, a in zip(scripts, before, after, strict=True) if a > b])
    return seen
