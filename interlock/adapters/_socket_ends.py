"""The objects a scenario holds over real sockets: the link between a server-side socket and its client, the
socket a target is given (Starlette's ``WebSocket``, with what a clause reads of a double), and the bridge's
delivering manager. ``interlock.adapters._sockets`` makes them; Starlette is imported only when one is made."""

from __future__ import annotations

import asyncio
import functools
import json
from typing import TYPE_CHECKING, Any, Final

from interlock.properties._doubles import Call, CallLog, Double, double_class

if TYPE_CHECKING:
    from starlette.types import Message, Send
    from websockets.asyncio.client import ClientConnection

    from interlock.adapters._sockets import RealSockets

__all__ = ["HOST", "Hop", "Link", "decoded", "delivering_class", "observed_socket_class"]

HOST: Final = "127.0.0.1"


class Link:
    """One real socket: the server side the target gets, the client that receives, and what crossed between them."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.sent = 0
        """Frames the server side sent (counted on the server's loop once the ASGI send returned)."""
        self.received: list[str | bytes] = []
        """Frames the client received, in order."""
        self.dropped = False
        self.closed = False
        self.server: Any = None
        self.client: ClientConnection | None = None
        self.accepted: asyncio.Future[Any] | None = None
        self.changed: asyncio.Event | None = None
        self.gone: asyncio.Event | None = None
        """Set when the server side has seen the client go."""
        self.reader: asyncio.Task[None] | None = None
        self.user: str | None = None
        self.claimed: set[int] = set()
        """Frames a delivering manager's calls have taken as theirs."""


class Hop:
    """The ASGI ``send`` of one socket, callable from any loop: it runs on the server's loop, and counts frames."""

    def __init__(self, send: Send, link: Link, loop: asyncio.AbstractEventLoop) -> None:
        self._send = send
        self._link = link
        self._loop = loop

    async def __call__(self, message: Message) -> None:
        if asyncio.get_running_loop() is self._loop:
            await self._send(message)
            if message["type"] == "websocket.send":
                self._link.sent += 1
            return
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self(message), self._loop))


def decoded(frame: str | bytes) -> Any:
    try:
        return json.loads(frame)
    except ValueError:
        return frame


@functools.cache
def observed_socket_class() -> type:
    """Starlette's ``WebSocket``, with what a clause reads of a double: ``calls`` (what the client received) and
    ``fail`` (the client drops its connection). Every method of Starlette's is left as it is."""
    from starlette.websockets import WebSocket

    from interlock.contracts.websocket import SocketLike

    class ObservedWebSocket(WebSocket):
        _interlock_protocol = SocketLike
        _interlock_steps: list[str] | None = None
        _interlock_link: Link
        _interlock_sockets: RealSockets

        @property
        def calls(self) -> list[Call]:
            """What the client received, in order, each as a ``send_json`` call on a double would be recorded."""
            link = self._interlock_link
            self._interlock_sockets.settle([link])
            return [Call(link.label, "send_json", (decoded(frame),), {}) for frame in list(link.received)]

        def fail(self, error: BaseException | None = None, *, methods: tuple[str, ...] | None = None) -> None:
            """The client drops its connection: the next send raises what Starlette raises then."""
            link = self._interlock_link
            steps = self._interlock_steps
            if steps is not None:  # the reproducer replays it with a double that raises
                steps.append(f"{link.label}.fail(ConnectionError('the client dropped its connection'))")
            self._interlock_sockets.drop(link)

        def __repr__(self) -> str:
            return f"<starlette WebSocket {self._interlock_link.label} on {HOST}:{self._interlock_sockets.port}>"

    return ObservedWebSocket


@functools.cache
def delivering_class() -> type[Double]:
    """The bridge's manager over real sockets: a checker double whose ``send_to_user(u, m)``, unless told to fail,
    sends ``m`` through a real socket of ``u`` and records what ``u``'s client received. It returns 1, or, where a
    scenario told it what to answer (the count the bridge must turn into its own result), that answer: the message
    still goes over the wire."""
    from interlock.contracts.websocket import WebSocketManager

    base = double_class(WebSocketManager)

    async def send_to_user(self: Double, *args: Any, **kwargs: Any) -> Any:
        failure = object.__getattribute__(self, "_interlock_failure")
        only = object.__getattribute__(self, "_interlock_fail_methods")
        if failure is not None and (only is None or "send_to_user" in only):
            return await base.send_to_user(self, *args, **kwargs)  # type: ignore[attr-defined]
        values = dict(zip(("user_id", "message"), args, strict=False)) | kwargs
        user, message = values.get("user_id"), values.get("message")
        log: CallLog = object.__getattribute__(self, "_interlock_log")
        call = Call(object.__getattribute__(self, "_interlock_label"), "send_to_user", args, kwargs)
        log.calls.append(call)
        sockets: RealSockets = object.__getattribute__(self, "_interlock_sockets")
        ws = sockets.socket_of(str(user))
        link: Link = ws._interlock_link
        before = len(link.received)
        # The stand-in's own framing, not the bridge's: escaped to ASCII, so text a WebSocket cannot carry as UTF-8
        # (a lone surrogate the checker drew) still arrives as it was given; a value JSON cannot hold arrives as its repr.
        text = json.dumps(message, default=repr)
        await ws.send_text(text)
        sockets.settle([link])
        # Bridges sending at once to one user interleave on its socket: this call's frame is the first one after
        # ``before`` that carries its text and no other call has claimed. Not received: the record says None.
        index = next((i for i in range(before, len(link.received)) if i not in link.claimed and link.received[i] == text), None)
        if index is not None:
            link.claimed.add(index)
        call.args, call.kwargs = (user, decoded(link.received[index]) if index is not None else None), {}
        override = object.__getattribute__(self, "_interlock_overrides").get("send_to_user")
        return override(*args, **kwargs) if override is not None else 1

    return type("DeliveringManagerDouble", (base,), {"send_to_user": send_to_user})
