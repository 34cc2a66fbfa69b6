"""``--sockets real``: the WebSocket contracts checked over real sockets.

Every socket a scenario asks for (a ``SocketLike`` double, or the field of a
``Connection`` double) is a real server-side ``starlette.websockets.WebSocket``,
accepted by a uvicorn server that this module starts on 127.0.0.1 for the run,
with a real ``websockets`` client on the other end. What a clause reads from the
socket (``socket.calls``, the shape of a double's call log) is what that client
received, in order; a socket told to fail (``socket.fail()``) is a client that
drops its connection, and the target then meets whatever Starlette raises.

Where the server runs: in a thread of its own, with its own event loop. The
checker's loop cancels what a target leaves pending after every call and is
replaced after a call that overran its limit, so a server living in it would be
cancelled between calls; its time limits (``signal.setitimer``) are aimed at the
main thread, so a server thread is never interrupted by them. A target's
``send_json`` runs Starlette's own code on the checker's loop; only the ASGI
``send`` underneath is handed to the server's loop (``run_coroutine_threadsafe``)
and awaited, so each socket's frames go out in the order they were sent, and a
call the checker cancels on its time limit cancels the hand-off too.

The bridge's clauses observe its calls on its manager: over real sockets that
manager (a checker double still, so clauses can make it fail or answer) delivers
each ``send_to_user(u, m)`` through a real socket of user ``u`` and records what
``u``'s client received.

Only this module, ``interlock.adapters._socket_ends`` and ``interlock.adapters._load``
import Starlette, uvicorn and websockets, and only when a run over real sockets
starts: ``import interlock`` works without the ``asgi`` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.util
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Final

from interlock.adapters._socket_ends import HOST, Hop, Link, delivering_class, observed_socket_class
from interlock.contracts._model import Clause, Contract
from interlock.errors import UsageError
from interlock.properties._doubles import CallLog, DoubleReturns

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

__all__ = ["EXTRA", "HOST", "RealSockets"]

EXTRA: Final = "pip install 'interlock[asgi]'"
_MODULES: Final = ("starlette", "uvicorn", "websockets")
_START_LIMIT: Final = 10.0
"""Seconds the server may take to start listening."""
_POOL: Final = 256
"""Open sockets kept between examples, at most."""
_SETTLE_LIMIT: Final = 2.0
"""Seconds a clause waits, at most, for clients to receive what the server already sent them."""


def needs_extra() -> None:
    """Raise the one-line ``UsageError`` naming the extra when Starlette, uvicorn or websockets is missing."""
    missing = [name for name in _MODULES if not _importable(name)]
    if missing:
        raise UsageError(f"--sockets real needs {', '.join(_MODULES)} ({', '.join(missing)} not installed): {EXTRA}")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class RealSockets:
    """The socket source of a run over real sockets: a uvicorn server on ``HOST``, clients, and the load phases.

    ``open`` starts the server (a port that cannot be bound is a ``UsageError``), ``close`` stops it and every
    client; the checker calls ``stand_in`` where a scenario makes a double, ``release`` when an example ends, and
    ``phase`` for the load phase of a clause.
    """

    def __init__(self, users: int = 20, port: int = 0) -> None:
        needs_extra()
        self.users = users
        self.port = port
        self.timeout = 5.0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._pending: dict[str, Link] = {}
        self._links: list[Link] = []
        self._pool: list[Link] = []
        """Sockets of earlier examples, still connected and with nothing in flight: connecting costs more than a check."""
        self._users: dict[str, Link] = {}
        self._count = 0
        self.connections = 0
        """Real connections made in the run (for benchmarks and tests)."""

    # ---- the run ------------------------------------------------------------------------------

    def open(self, timeout: float) -> None:
        """Start the server on ``HOST`` (``port`` 0: a free port) in a thread of its own; ``UsageError`` if it cannot."""
        import uvicorn

        self.timeout = timeout
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((HOST, self.port))
            listener.listen(128)
        except OSError as exc:
            listener.close()
            raise UsageError(
                f"--sockets real: cannot listen on {HOST}:{self.port} ({exc.strerror or exc}); "
                "give another port with --socket-port, or 0 for a free one"
            ) from None
        self.port = listener.getsockname()[1]
        loop = asyncio.new_event_loop()
        config = uvicorn.Config(
            self._app,
            interface="asgi3",
            proxy_headers=False,
            lifespan="off",
            log_config=None,
            log_level="critical",
            access_log=False,
            ws_ping_interval=None,
        )
        server = uvicorn.Server(config)
        self.loop, self._server = loop, server

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(server.serve(sockets=[listener]))
            finally:
                with contextlib.suppress(Exception):
                    loop.run_until_complete(loop.shutdown_asyncgens())
                listener.close()
                loop.close()

        self._thread = threading.Thread(target=serve, name="interlock-sockets", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_LIMIT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.close()
                raise UsageError(f"--sockets real: the server on {HOST}:{self.port} did not start")
            time.sleep(0.002)

    def close(self) -> None:
        """Stop every client and the server; nothing is left listening. Safe to call twice, and after a Ctrl-C."""
        thread, loop, server = self._thread, self.loop, self._server
        if thread is None or loop is None or server is None:
            return
        self._thread = None
        if thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._drop_all(), loop).result(self.timeout)
            server.should_exit = True
            thread.join(self.timeout + 5.0)
        self._links.clear()
        self._pool.clear()
        self._users.clear()

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run a coroutine on the server's loop and wait for it (from the checker's thread)."""
        assert self.loop is not None
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(self.timeout + _SETTLE_LIMIT)
        except BaseException:
            future.cancel()
            raise

    # ---- the server side ------------------------------------------------------------------------

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        link = self._pending.pop(str(scope["path"]).rsplit("/", 1)[-1], None)
        if link is None:
            await send({"type": "websocket.close", "code": 1008})
            return
        socket_class = observed_socket_class()
        ws = socket_class(scope, receive, Hop(send, link, asyncio.get_running_loop()))
        object.__setattr__(ws, "_interlock_link", link)
        object.__setattr__(ws, "_interlock_sockets", self)
        await ws.accept()
        link.server = ws
        assert link.accepted is not None
        assert link.gone is not None
        link.accepted.set_result(ws)
        # Held open until the client goes: reading the raw ASGI receive (not Starlette's) leaves the socket's own
        # state to the target; a disconnect tells uvicorn's side is gone, so the next send raises as a real one would.
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            link.gone.set()

    # ---- the client side --------------------------------------------------------------------------

    async def _connect(self, label: str) -> Any:
        from websockets.asyncio.client import connect

        self._count += 1
        key = f"s{self._count}"
        link = Link(label)
        loop = asyncio.get_running_loop()
        link.accepted, link.changed, link.gone = loop.create_future(), asyncio.Event(), asyncio.Event()
        self._pending[key] = link
        link.client = await connect(
            f"ws://{HOST}:{self.port}/{key}", proxy=None, compression=None, ping_interval=None, max_size=None, open_timeout=self.timeout
        )
        server = await asyncio.wait_for(link.accepted, self.timeout)
        link.reader = loop.create_task(self._read(link))
        self._links.append(link)
        self.connections += 1
        return server

    async def _read(self, link: Link) -> None:
        from websockets.exceptions import ConnectionClosed

        assert link.client is not None
        assert link.changed is not None
        try:
            async for frame in link.client:
                link.received.append(frame)
                link.changed.set()
        except ConnectionClosed:
            pass
        finally:
            link.closed = True
            link.changed.set()

    async def _drop(self, link: Link) -> None:
        """The client drops its connection (no closing handshake); returns once the server side has seen it go."""
        link.dropped = True
        if link.client is not None:
            link.client.transport.abort()
        if link.gone is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(link.gone.wait(), self.timeout)

    async def _close(self, links: list[Link]) -> None:
        for link in links:
            if link.client is not None:
                link.client.transport.abort()  # no closing handshake to wait for: the example is over
            if link.reader is not None:
                link.reader.cancel()

    async def _drop_all(self) -> None:
        await self._close([*self._links, *self._pool])

    async def _settle(self, links: list[Link]) -> None:
        deadline = time.monotonic() + _SETTLE_LIMIT
        for link in links:
            assert link.changed is not None
            while not link.dropped and not link.closed and len(link.received) < link.sent:
                link.changed.clear()
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(link.changed.wait(), left)

    def drop(self, link: Link) -> None:
        """The client of ``link`` drops its connection; returns once the server side has seen it go."""
        self._run(self._drop(link))

    def settle(self, links: list[Link] | None = None) -> None:
        """Wait (a little, at most) until each client has received every frame its server side sent."""
        self._run(self._settle(list(self._links) if links is None else links))

    # ---- the checker's hook --------------------------------------------------------------------------

    def stand_in(self, protocol: type, label: str, fields: dict[str, Any], log: CallLog, returns: DoubleReturns) -> Any | None:
        """A real socket where a scenario asks for a ``SocketLike``, a delivering manager for the bridge; else None."""
        from interlock.contracts.websocket import SocketLike, WebSocketManager

        if protocol is SocketLike:
            return self.socket(label)
        if protocol is WebSocketManager:
            made = delivering_class()(label, log, returns, fields)
            object.__setattr__(made, "_interlock_sockets", self)
            return made
        return None

    def socket(self, label: str) -> Any:
        """A real server-side socket with its client, named ``label`` in reproducers: one an earlier example left
        open and clean, else a new connection."""
        if self._pool:
            link = self._pool.pop(0)
            link.label = label
            self._links.append(link)
            return link.server
        return self._run(self._connect(label))

    def socket_of(self, user: str) -> Any:
        """The real socket of ``user`` for a delivering manager: made on first use, kept for the example."""
        link = self._users.get(user)
        if link is None:
            ws = self.socket(f"socket_of_{len(self._users)}")
            link = ws._interlock_link
            link.user = user
            self._users[user] = link
        return link.server

    def release(self) -> None:
        """The example is over: its sockets that are still open, with nothing in flight, wait for the next example
        (their record emptied); the others are closed."""
        links, self._links = self._links, []
        self._users.clear()
        if links:
            self._run(self._recycle(links))

    async def _recycle(self, links: list[Link]) -> None:
        from starlette.websockets import WebSocketState

        spent: list[Link] = []
        for link in links:
            ws = link.server
            fresh = (
                not link.dropped
                and not link.closed
                and not link.gone.is_set()  # type: ignore[union-attr]
                and len(link.received) == link.sent
                and ws.application_state == WebSocketState.CONNECTED
                and ws.client_state == WebSocketState.CONNECTED
            )
            if fresh and len(self._pool) < _POOL:
                link.received.clear()
                link.sent = 0
                link.claimed.clear()
                link.user = None
                object.__setattr__(ws, "_interlock_steps", None)
                self._pool.append(link)
            else:
                spent.append(link)
        await self._close(spent)

    def phase(self, contract: Contract, clause: Clause) -> Callable[[Any], Awaitable[None]] | None:
        """The load phase of a clause (N users at once), or None for a clause that has none."""
        from interlock.adapters._load import PHASES

        found = PHASES.get((contract.name, clause.id))
        return functools.partial(found, users=self.users) if found is not None else None
