"""Calling into targets: sync and async, each call bounded in time and stopped when it overruns.

Calls run in the main thread and are interrupted with ``signal.setitimer``, as
pytest-timeout's signal method does, so a ``while True`` or a blocking sleep in
a plain method (or inside an ``async def`` that blocks its loop) is stopped,
not left running. Pending awaits are cancelled with ``asyncio.wait_for``.
Outside the main thread, calls run in a daemon thread that is abandoned on
overrun (the report says so in the timeout message).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs

__all__ = ["CallTimedOut", "Outcome", "Runner", "Signal", "bounded"]


class Signal(BaseException):
    """Base of interlock's own control flow: a ``BaseException``, as Hypothesis's ``StopTest`` is, so a target's
    or a clause's ``except Exception`` cannot catch it and it is never taken for a target's outcome."""


class CallTimedOut(Signal):
    """Raised into a call that overran its time limit."""


@attrs.define
class Outcome:
    """What one call did: returned ``value``, raised ``error``, or ``timed_out``.

    ``awaitable_mismatch`` says the call was not of the shape the contract declares (a plain value from an async
    member, an awaitable from a plain one); the value is still there (awaited where it was an awaitable), so the
    mismatch hides nothing else.
    """

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    awaitable_mismatch: str | None = None

    @property
    def returned(self) -> bool:
        return self.error is None and not self.timed_out


def _alarm(signum: int, frame: Any) -> None:
    raise CallTimedOut()


def _hypothesis_control() -> tuple[type[BaseException], ...]:
    from hypothesis.errors import HypothesisException, StopTest

    return (StopTest, HypothesisException)


_CONTROL = _hypothesis_control()
"""Hypothesis's own control flow (data ran out, an assumption failed): never a target's outcome."""

_PASS: tuple[type[BaseException], ...] = (Signal, *_CONTROL)


class Runner:
    """Drives calls on one event loop of its own, each within ``timeout`` seconds."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.loop = asyncio.new_event_loop()
        self._main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    @property
    def stops(self) -> str:
        """How an overrunning call ends, for messages: stopped, or left running outside the main thread."""
        return "it was stopped" if self._main else "outside the main thread it could not be stopped and was left running"

    def close(self) -> None:
        self._drain()
        self.loop.close()

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], *, is_async: bool | None, timeout: float | None = None
    ) -> Outcome:
        """Call ``fn``; await its result when it is awaitable. ``is_async`` is what the contract declares
        (None: either is fine), and a result of the other shape is an ``awaitable_mismatch``."""
        if not self._main:
            return self._call_in_thread(fn, args, kwargs, is_async)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout or self.timeout)
        try:
            return self._call(fn, args, kwargs, is_async, timeout or self.timeout)
        except CallTimedOut:
            self._recover()
            return Outcome(timed_out=True)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], is_async: bool | None, timeout: float | None = None
    ) -> Outcome:
        try:
            result = fn(*args, **kwargs)
        except _PASS:
            raise
        except BaseException as exc:  # SystemExit and KeyboardInterrupt from a target are its outcome too
            return Outcome(error=exc)
        awaitable = _is_awaitable(result)
        if is_async is False and awaitable:
            awaited = self._await(result, timeout or self.timeout)
            awaited.awaitable_mismatch = "returned an awaitable where the contract's member is a plain def"
            return awaited
        if is_async is True and not awaitable:
            return Outcome(value=result, awaitable_mismatch="returned a plain value where the contract's member is async")
        if not awaitable:
            return Outcome(value=result)
        return self._await(result, timeout or self.timeout)

    def _await(self, awaitable: Awaitable[Any], timeout: float) -> Outcome:
        expired = [False]

        async def within() -> Any:
            async with asyncio.timeout(timeout) as limit:
                try:
                    return await awaitable
                finally:
                    expired[0] = limit.expired()

        try:
            return Outcome(value=self.loop.run_until_complete(within()))
        except _PASS:
            raise
        except TimeoutError as exc:
            if expired[0]:
                return Outcome(timed_out=True)
            return Outcome(error=exc)
        except BaseException as exc:
            return Outcome(error=exc)
        finally:
            self._drain()

    def _drain(self) -> None:
        """Cancel what a target left pending, so nothing of one example runs into the next."""
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        if not pending:
            return
        for task in pending:
            task.cancel()
        try:
            self.loop.run_until_complete(asyncio.wait(pending, timeout=self.timeout))
        except BaseException:
            self._recover()

    def _recover(self) -> None:
        """After an interrupt the loop may be mid-step: replace it with a fresh one."""
        old = self.loop
        self.loop = asyncio.new_event_loop()
        try:
            for task in asyncio.all_tasks(old):
                task.cancel()
            old.close()
        except BaseException:
            pass

    def _call_in_thread(self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], is_async: bool | None) -> Outcome:
        box: list[Outcome] = []

        def work() -> None:
            loop = asyncio.new_event_loop()
            inner = Runner.__new__(Runner)
            inner.timeout, inner.loop, inner._main = self.timeout, loop, False
            try:
                box.append(inner._call(fn, args, kwargs, is_async))
            finally:
                loop.close()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive() or not box:
            return Outcome(timed_out=True)
        return box[0]


def _is_awaitable(value: Any) -> bool:
    """``inspect.isawaitable``, where a result whose ``__await__`` lookup raises is simply not awaitable."""
    try:
        return inspect.isawaitable(value)
    except Exception:
        return False


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Bound a stretch of code inside a longer bounded call (a scenario's one call into the target).

    The outer timer is put back afterwards with what was left of it.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        left = remaining - (time.monotonic() - started) if remaining else 0.0
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.001) if remaining else 0.0)
