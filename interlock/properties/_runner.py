"""Calling into targets: sync and async, each call bounded in time and stopped when it overruns.

Calls run in the main thread and are interrupted with ``signal.setitimer``, as
pytest-timeout's signal method does, so a ``while True`` or a blocking sleep in
a plain method (or inside an ``async def`` that blocks its loop) is stopped,
not left running. Pending awaits are cancelled with ``asyncio.wait_for``.
Outside the main thread, calls run in a daemon thread that is abandoned on
overrun (the report says so in the timeout message).

A target can defeat the timer: it takes ``SIGALRM`` for itself, or runs a long
computation in C that never returns to the interpreter to run a signal handler.
A watchdog thread backs the timer up. Once a call has overrun its limit by
``SOFT_GRACE`` seconds, it raises ``CallTimedOut`` in the main thread the way a
signal handler would (``PyThreadState_SetAsyncExc``), again every
``SOFT_GRACE``, which stops any loop of Python code whatever the target did to
its signals. A call still running ``HARD_GRACE`` seconds after its limit cannot
be stopped from inside the process: the watchdog hands the call's place to
``on_stuck``, which the command and an isolated child set to write the report
of what was found so far, with a ``timeout`` for that member, and end the
process.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import inspect
import os
import signal
import struct
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from interlock.properties._doubles import StandIns

_monotonic = time.monotonic
"""Bound when interlock loads: a target that replaces ``time.monotonic`` cannot move interlock's clock."""

__all__ = ["CallTimedOut", "Interrupted", "Outcome", "Runner", "Signal", "Where", "bounded", "interruptible", "limited", "stopped"]


class Signal(BaseException):
    """Base of interlock's own control flow: a ``BaseException``, as Hypothesis's ``StopTest`` is, so a target's
    or a clause's ``except Exception`` cannot catch it and it is never taken for a target's outcome."""


class CallTimedOut(Signal):
    """Raised into a call that overran its time limit."""


class Interrupted(Signal):
    """The user stopped the run (``SIGINT``, Ctrl-C, or ``SIGTERM``): never a target's outcome."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


STOPS = (signal.SIGINT, signal.SIGTERM)
"""The signals that stop a run."""

_raw: Any = getattr(signal, "_signal", signal)
"""The C functions under ``signal``'s own: its ``signal`` and ``getsignal`` turn every handler into an enum, which
costs more than the call itself, and the checker sets and reads handlers around every call into a target."""

_STOPPED: list[int] = []
"""The stop signals received while a run is interruptible."""


def _stop(signum: int, frame: Any) -> None:
    _STOPPED.append(signum)
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While the run goes on, ``SIGINT`` and ``SIGTERM`` raise ``Interrupted`` (in the main thread), which no target
    and no check catches as its own; outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _stop) for s in STOPS}
    _STOPPED.clear()
    mask: set[int | signal.Signals] | None = None
    try:
        mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # one held back (see ``held``) arrives now
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Stop signals wait (blocked, not lost) until the next ``interruptible`` takes them: around a ``fork``, so
    that a Ctrl-C in the instant before parent or child is ready is not a bare ``KeyboardInterrupt``."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def stopped() -> int | None:
    """The stop signal received in the run, if any."""
    return _STOPPED[0] if _STOPPED else None


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


REPORT_FDS: list[int] = []
"""The command's file descriptors to the real standard output, kept for the report while fd 1 points at standard
error: an isolated child, which never writes the report, closes them, so that no target of its can write there."""

SHARED: Any = None
"""In an isolated child, memory its parent reads (an ``mmap`` shared across ``fork``): the deadline and limit of
the call under way and its place, so that the parent can end a child stuck in a call no thread of its own can stop
(a computation in C that holds the interpreter lock)."""

_CALL = struct.Struct("dd")
_BEAT = struct.Struct("d")
_SLOT = struct.Struct("ddd")
"""The shared memory's head: the call's deadline and limit (``_CALL``), then the watchdog's last beat (``_BEAT``)."""

BEAT_STALE = 1.5
"""Seconds without a beat of the isolated child's watchdog (it beats every ``SOFT_GRACE``) after which, in a call
past its limit, no thread of the child can run: it is stuck in code that holds the interpreter lock."""


def _share(deadline: float, limit: float, where: Where | None = None) -> None:
    shared = SHARED
    if shared is None:
        return
    _CALL.pack_into(shared, 0, deadline, limit)
    if where is not None:
        label = getattr(where.target, "label", "")
        text = f"{label}\t{where.member or ''}".encode("utf-8", "replace")[: len(shared) - _SLOT.size - 3]
        shared[_SLOT.size : _SLOT.size + 2] = len(text).to_bytes(2, "little")
        shared[_SLOT.size + 2 : _SLOT.size + 2 + len(text)] = text


def share_stop(shared: Any, signum: int) -> None:
    """The parent's word to the child that the user sent ``signum`` (its last byte): a ``KeyboardInterrupt`` that
    a target's own handler raised from it is then the user's stop, not the target's exception."""
    shared[len(shared) - 1] = signum


def user_stop() -> int | None:
    """A stop signal the process received, whatever Python handler took it: the parent's word in an isolated
    child, else the signal numbers the interpreter wrote to the run's wake-up descriptor (``heard_stops``)."""
    shared = SHARED
    if shared is not None:
        return shared[len(shared) - 1] or None
    if _WAKE:
        try:
            while True:
                read = os.read(_WAKE[0], 512)
                if not read:
                    break
                _HEARD.extend(n for n in read if n in STOPS)
        except OSError:  # nothing more to read (or the descriptor is gone)
            pass
    return _HEARD[0] if _HEARD else None


_WAKE: list[int] = []
"""The reading end of the run's wake-up descriptor, while ``heard_stops`` is in force."""

_HEARD: list[int] = []
"""The stop signals read from it."""


@contextlib.contextmanager
def heard_stops() -> Iterator[None]:
    """While a run goes on in the main thread, the interpreter writes the number of every signal a Python handler
    takes to a pipe (``signal.set_wakeup_fd``), whichever handler that is: a ``KeyboardInterrupt`` that a target's
    own ``SIGINT`` handler raised in its call is then known for the user's stop, not the target's exception, in a
    run with no parent to say so (``--no-isolate``, ``interlock.check`` in a test process)."""
    if threading.current_thread() is not threading.main_thread() or _WAKE:
        yield
        return
    try:
        r, w = os.pipe()
    except OSError:
        yield
        return
    try:
        os.set_blocking(r, False)
        os.set_blocking(w, False)
        previous = signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except (OSError, ValueError):  # a descriptor that cannot be used so
        os.close(r)
        os.close(w)
        yield
        return
    _WAKE.append(r)
    _HEARD.clear()
    try:
        yield
    finally:
        _WAKE.clear()
        _HEARD.clear()
        with contextlib.suppress(OSError, ValueError):
            signal.set_wakeup_fd(previous)
        os.close(r)
        os.close(w)


def _beat() -> None:
    shared = SHARED
    if shared is not None:
        _BEAT.pack_into(shared, _CALL.size, _monotonic())


def shared_beat(shared: Any) -> float:
    """When the child's watchdog last ran (0: never): a call past its limit with a stale beat holds the interpreter
    lock, so nothing inside the child can stop it."""
    return float(_BEAT.unpack_from(shared, _CALL.size)[0])


def shared_state(shared: Any) -> tuple[float, float, str, str]:
    """What a child shared: (deadline, limit, target label, member) of its call under way (deadline 0: none)."""
    deadline, limit = _CALL.unpack_from(shared, 0)
    size = int.from_bytes(shared[_SLOT.size : _SLOT.size + 2], "little")
    label, _, member = bytes(shared[_SLOT.size + 2 : _SLOT.size + 2 + size]).decode("utf-8", "replace").partition("\t")
    return deadline, limit, label, member


_WATCH: _Watchdog | None = None
"""The watchdog of the runner made last in the main thread: ``bounded`` stretches are watched by it too."""


def _hypothesis_control() -> tuple[type[BaseException], ...]:
    from hypothesis.errors import HypothesisException, StopTest

    return (StopTest, HypothesisException)


_CONTROL = _hypothesis_control()
"""Hypothesis's own control flow (data ran out, an assumption failed): never a target's outcome."""

_PASS: tuple[type[BaseException], ...] = (Signal, *_CONTROL)


SOFT_GRACE = 0.25
"""Seconds past a call's limit before the watchdog raises ``CallTimedOut`` into it, and between two tries."""

IDLE_LIMIT = 30.0
"""Seconds with no call started or ended (plus twice the time limit) after which a run is taken to be stuck in
target code the checker ran outside a call: a ``__del__``, a property or an ``__eq__`` that never returns."""

HARD_GRACE = 3.0
"""Seconds past a call's limit (plus the limit again, for long limits) before a call that cannot be interrupted
ends the run's work: ``on_stuck`` is told where it is."""


@attrs.define
class Where:
    """The call under way, for a run that must stop in it: the target, the member, and its reproducer."""

    target: Any
    member: str | None
    example: Callable[[], str] | None = None
    showing: bool = False
    """The checker is showing a value the call returned or raised (its ``__repr__`` or ``__str__``), not calling."""


class _Watchdog:
    """A daemon thread that stops, or gives up on, a call the timer did not stop (see the module docstring).

    Arming and disarming only set fields under a plain lock, never wake the thread: it looks every
    ``SOFT_GRACE`` seconds, so a run of thousands of calls pays two uncontended lock operations per call and no
    switch between threads."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._main = threading.main_thread().ident
        self._lock = threading.Lock()
        self._deadline: float | None = None
        self._limit = 0.0
        self._outer: list[tuple[float | None, float]] = []
        self._call = 0
        self._injected = False
        self._beat = _monotonic()
        self._stopped = threading.Event()
        _beat()
        thread = threading.Thread(target=self._watch, name="interlock-watchdog", daemon=True)
        thread.start()

    def arm(self, limit: float) -> None:
        """Watch a call of ``limit`` seconds; a stretch armed inside another is watched until it is disarmed."""
        with self._lock:
            self._outer.append((self._deadline, self._limit))
            self._call += 1
            self._limit = limit
            deadline = _monotonic() + limit
            self._deadline = deadline if self._deadline is None else min(deadline, self._deadline)
            self._injected = False
            self._beat = _monotonic()
            _beat()  # a call that takes the interpreter lock at once is stale from here, not from an older beat
            _share(self._deadline, self._limit, self._runner.where)

    def disarm(self) -> None:
        with self._lock:
            self._deadline, self._limit = self._outer.pop() if self._outer else (None, 0.0)
            self._beat = _monotonic()
            _share(self._deadline or 0.0, self._limit)
            if self._injected and self._main is not None:  # a CallTimedOut not yet raised must not land elsewhere
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._main), None)
            self._injected = False

    def reset(self) -> None:
        """A call into the target is over: nothing is watched any more, whatever stretches inside it left open."""
        with self._lock:
            self._outer.clear()
            self._deadline, self._limit = None, 0.0
            self._beat = _monotonic()
            _share(0.0, 0.0)
            if self._injected and self._main is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._main), None)
            self._injected = False

    def stop(self) -> None:
        self._stopped.set()

    def _watch(self) -> None:
        given_up = -1
        while not self._stopped.wait(SOFT_GRACE):
            _beat()
            stuck_at: Where | None = None
            with self._lock:
                deadline, call, now = self._deadline, self._call, _monotonic()
                if deadline is None:
                    # no call under way for long: stuck in target code run outside a call (a __del__ that never returns)
                    if now - self._beat > IDLE_LIMIT + 2 * self._runner.timeout and given_up != call:
                        stuck_at = Where(self._runner.where.target, None)
                elif now - deadline >= SOFT_GRACE:
                    if self._main is not None:  # still armed, the lock held: it lands in the call it is meant for
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._main), ctypes.py_object(CallTimedOut))
                        self._injected = True
                    if now - deadline >= HARD_GRACE + self._limit and given_up != call:
                        stuck_at = self._runner.where
            if stuck_at is not None:
                given_up = call
                stuck = self._runner.on_stuck
                if stuck is not None:
                    stuck(stuck_at)


class LoopStopped(RuntimeError):
    """Raised into a target's code that calls ``stop()`` on the event loop interlock runs it on."""

    def __init__(self) -> None:
        super().__init__("it called stop() on the running event loop it was called on")


_DONE_CALLBACK = getattr(getattr(asyncio, "base_events", None), "_run_until_complete_cb", None)
"""asyncio's own caller of ``loop.stop()``: ``run_until_complete``'s callback when the awaited future is done."""


def _new_loop() -> asyncio.AbstractEventLoop:
    """An event loop that keeps interlock's own signals to itself: a task a time limit or a stop ended, whose
    result nobody reads, is not logged as "Task exception was never retrieved" with interlock's frames.

    Its ``stop()`` is asyncio's own only: called from elsewhere (a target's code), it raises ``LoopStopped`` there,
    so that the call that did it gets the exception (the member's ``unexpected-exception``), where a stopped loop
    would leave the check half-run and blame interlock."""
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_quiet)
    if _DONE_CALLBACK is not None:
        real_stop = loop.stop
        done = _DONE_CALLBACK.__code__

        def stop() -> None:
            if sys._getframe(1).f_code is not done:
                raise LoopStopped()
            real_stop()

        loop.stop = stop  # type: ignore[method-assign]
    return loop


def _quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    if isinstance(exc, Signal) or (exc is not None and not isinstance(exc, Exception)):
        # interlock's own signals; and a SystemExit or KeyboardInterrupt a target raised in a task of the run's loop,
        # which asyncio raised out of the run as well (where it was reported) and logs again when the task is freed
        return
    loop.default_exception_handler(context)


class Runner:
    """Drives calls on one event loop of its own, each within ``timeout`` seconds."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.loop = _new_loop()
        self._pid = os.getpid()
        self._main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self.where = Where(None, None)
        """The call under way (set by the driver), for ``on_stuck``."""
        self.on_stuck: Callable[[Where], None] | None = None
        """Called from the watchdog thread when a call cannot be stopped; it should end the process."""
        self.sockets: StandIns | None = None
        """Real components some doubles give way to (``--sockets real``), open for the run."""
        self._watch = _Watchdog(self) if self._main else None
        global _WATCH
        _WATCH = self._watch

    @property
    def stops(self) -> str:
        """How an overrunning call ends, for messages: stopped, or left running outside the main thread."""
        return "it was stopped" if self._main else "outside the main thread it could not be stopped and was left running"

    def close(self) -> None:
        if self._watch is not None:
            self._watch.stop()
        self._drain()
        self.loop.close()

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], *, is_async: bool | None, timeout: float | None = None
    ) -> Outcome:
        """Call ``fn``; await its result when it is awaitable. ``is_async`` is what the contract declares
        (None: either is fine), and a result of the other shape is an ``awaitable_mismatch``."""
        if _STOPPED:  # an interrupt a target's code caught and swallowed still stops the run
            raise Interrupted(_STOPPED[0])
        if (signum := user_stop()) is not None:  # one the parent passed on, that a target's call ignored
            raise Interrupted(signum)
        if not self._main:
            return self._call_in_thread(fn, args, kwargs, is_async)
        limit = timeout or self.timeout
        stops_ours = _raw.getsignal(signal.SIGINT) is _stop
        previous = _raw.signal(signal.SIGALRM, _alarm)
        _CALLS[0] += 1
        try:
            try:  # armed inside the try: an alarm that fires before the call starts is this call's timeout too
                if self._watch is not None:
                    self._watch.arm(limit)
                signal.setitimer(signal.ITIMER_REAL, limit)
                return self._call(fn, args, kwargs, is_async, limit)
            finally:
                if os.getpid() != self._pid:  # a child the target forked came back here: it must not run the checks
                    os._exit(0)
                signal.setitimer(signal.ITIMER_REAL, 0)
                _CALLS[0] += 1  # a bound opened in this call and closed after it (see ``bounded``) is stale now
                if self._watch is not None:
                    self._watch.reset()
        except CallTimedOut:
            self._recover()
            return Outcome(timed_out=True)
        finally:
            _raw.signal(signal.SIGALRM, previous)  # the handler before the call: whatever the target set is undone
            if stops_ours:  # so is a handler of its own for the stop signals: the next stop reaches the run
                for s in STOPS:
                    if _raw.getsignal(s) is not _stop:
                        _raw.signal(s, _stop)

    def _call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], is_async: bool | None, timeout: float | None = None
    ) -> Outcome:
        try:
            result = fn(*args, **kwargs)
        except _PASS:
            raise
        except BaseException as exc:  # SystemExit and KeyboardInterrupt from a target are its outcome too
            if isinstance(exc, KeyboardInterrupt) and (signum := user_stop()) is not None:
                raise Interrupted(signum) from None  # the user's stop, raised by a handler the target put in place
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
            if isinstance(exc, KeyboardInterrupt) and (signum := user_stop()) is not None:
                raise Interrupted(signum) from None  # the user's stop, raised by a handler the target put in place
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
        self.loop = _new_loop()
        try:
            for task in asyncio.all_tasks(old):
                task.cancel()
            old.close()
        except BaseException:
            pass

    def _call_in_thread(self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], is_async: bool | None) -> Outcome:
        box: list[Outcome] = []

        def work() -> None:
            loop = _new_loop()
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


def targets_own(exc: BaseException) -> None:
    """Raise again what a target's code cannot own: interlock's signals and Hypothesis's control flow as they are,
    and a ``KeyboardInterrupt`` that is the user's stop as ``Interrupted``. Anything else (a ``SystemExit``, a
    ``BaseException`` of the target's own) returns: it is the target's outcome, where a member is read or called
    outside ``Runner.call``."""
    if isinstance(exc, _PASS):
        raise exc
    if isinstance(exc, KeyboardInterrupt) and (signum := user_stop()) is not None:
        raise Interrupted(signum) from None


def _is_awaitable(value: Any) -> bool:
    """``inspect.isawaitable``, where a result whose ``__await__`` lookup raises is simply not awaitable."""
    try:
        return inspect.isawaitable(value)
    except _PASS:
        raise
    except BaseException:  # a KeyboardInterrupt its __getattribute__ raised is the target's, not the user's
        return False


class bounded:
    """Bound a stretch of code inside a longer bounded call (a scenario's one call into the target).

    The outer timer is put back afterwards with what was left of it. (A class, not a generator: it is entered
    twice per call a scenario makes.)
    """

    __slots__ = ("_call", "_remaining", "_seconds", "_started", "_watch")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._watch: _Watchdog | None = None
        self._remaining: float | None = None
        self._started = 0.0
        self._call = 0

    def __enter__(self) -> None:
        if not _TIMERS or threading.current_thread() is not threading.main_thread():
            return
        self._call = _CALLS[0]
        self._remaining, _ = signal.setitimer(signal.ITIMER_REAL, self._seconds)
        self._started = _monotonic()
        self._watch = watch = _WATCH
        if watch is not None:
            watch.arm(self._seconds)

    def __exit__(self, *exc: object) -> None:
        remaining = self._remaining
        if remaining is None:
            return
        if self._call != _CALLS[0]:
            # the call this stretch was inside is over (a task it left pending, closed later by the garbage
            # collector): its timer and watch were cleared then, and what was left of them must not come back
            return
        if self._watch is not None:
            self._watch.disarm()
        left = remaining - (_monotonic() - self._started) if remaining else 0.0
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.001) if remaining else 0.0)


_TIMERS = hasattr(signal, "setitimer")

_CALLS = [0]
"""Counts the starts and ends of calls into targets (``Runner.call``): a ``bounded`` stretch closed under another
count than it opened with outlived its call."""


TEXT_LIMIT = 1.0
"""Seconds a target's ``__repr__`` or ``__str__`` gets when the checker shows one of its values."""


def limited(fn: Callable[[], Any], seconds: float = TEXT_LIMIT) -> tuple[bool, Any]:
    """``(True, fn())``, or ``(False, None)`` when ``fn`` did not return within ``seconds``: a target's code the
    checker runs outside a call (its ``__repr__`` in a message) is bounded too. Inside a call's limit, the
    call's remaining time is put back afterwards."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return True, fn()
    pid = os.getpid()
    previous = _raw.signal(signal.SIGALRM, _alarm)
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    started = _monotonic()
    watch = _WATCH
    limit = min(seconds, remaining) if remaining else seconds
    where = watch._runner.where if watch is not None else None
    was_showing = where.showing if where is not None else False
    try:
        if where is not None:
            where.showing = True
        try:
            if watch is not None:
                watch.arm(limit)
            signal.setitimer(signal.ITIMER_REAL, limit)
            return True, fn()
        finally:
            if os.getpid() != pid:  # a copy a target's __repr__ forked came back here: it must not run the checks
                os._exit(0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            if watch is not None:
                watch.disarm()
    except CallTimedOut:
        return False, None
    finally:
        if where is not None:
            where.showing = was_showing
        _raw.signal(signal.SIGALRM, previous)
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, max(remaining - (_monotonic() - started), 0.001))
