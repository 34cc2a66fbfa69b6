"""Scenario clauses: an ``async`` function drives whole targets through a harness.

Sequences of calls, several users at once, failing dependencies, comparisons
between implementations: whatever a clause needs, written with the public
``Harness`` so users' contracts can say as much as the built-in ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import inspect
import re
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, NoReturn, TypeVar

import attrs

from interlock.contracts._harness import Harness
from interlock.contracts._model import Clause, Contract, Kind, Scenario
from interlock.properties._differential import differential_between
from interlock.properties._doubles import CallLog, DoubleReturns, double_class
from interlock.properties._draw import DrawnReturns, draw_values
from interlock.properties._driver import Driver
from interlock.properties._report import Violation
from interlock.properties._runner import CallTimedOut, Signal, bounded, targets_own
from interlock.properties._subject import (
    DoubleSpec,
    Subject,
    _call_text,
    draw_double_fields,
    materialize,
    plain_draw,
    reproducer,
    unplain_draw,
)
from interlock.properties._types import type_problem
from interlock.properties._values import describe_error, member_once, py_repr, raise_site, replayable

__all__ = ["LOAD_EXAMPLES", "ScenarioFailure", "ScenarioHarness", "play_once", "run_load", "run_scenario", "run_scenario_compared"]

_QUALIFIED = re.compile(r"\b(interlock\.contracts\.[a-z_]+)\.[A-Za-z_]+\(")
_FULL_COLLECTIONS = 3
_COLLECTIONS: dict[tuple[int, str], int] = {}
_T = TypeVar("_T")

LOAD_EXAMPLES = 3
"""Examples of a load phase per target and clause: each one is already many users at once."""

_SCENARIO_CALLS = 50
_GRACE = 0.25
"""A scenario makes many calls; as a whole it may take this many per-call time limits."""


class ScenarioFailure(Signal):
    """Raised by ``Harness.fail``: the clause is broken (a ``BaseException``, so a clause's ``except Exception``
    around it cannot swallow it)."""

    def __init__(self, message: str, kind: Kind | None, member: str | None, parameter: str | None, clause: Clause) -> None:
        super().__init__(message)
        self.clause = clause
        self.kind = kind
        self.member = member
        self.parameter = parameter


class _Unreachable(Signal):
    """A call the scenario makes cannot reach the target (a signature drift already reported)."""

    def __init__(self, reason: str, member: str | None = None) -> None:
        super().__init__(reason)
        self.member = member


class _MemberTimedOut(Signal):
    def __init__(self, member: str) -> None:
        super().__init__(member)
        self.member = member


class _Stopped(Signal):
    """What the scenario needed went wrong on the target and is reported on the member (a set-up call that raised,
    a result of the wrong type): the clause is not judged on this example."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ClauseCodeFailed(Signal):
    """The clause's own code raised (not the target, not interlock's signals): an internal error, never a violation."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(describe_error(error))
        self.error = error


class _Draws:
    """Draws from the example's data, recorded so other targets can be given the very same values."""

    def __init__(self, data: Any, replay: list[Any] | None) -> None:
        self.data = data
        self.replay = replay
        self.values: list[Any] = []

    def draw(self, strategy: Any) -> Any:
        if self.replay is not None and len(self.values) < len(self.replay):
            value = unplain_draw(strategy, self.replay[len(self.values)])
        else:
            value = self.data.draw(strategy)
        self.values.append(value)
        return value


class _InFlight:
    """A scenario's call in flight: under ``bounded`` when it is the only one (see ``ScenarioHarness._bounded``)."""

    __slots__ = ("_harness", "_timer")

    def __init__(self, harness: ScenarioHarness, seconds: float) -> None:
        self._harness = harness
        self._timer = bounded(seconds) if harness._in_flight == 0 else None

    def __enter__(self) -> None:
        self._harness._in_flight += 1
        if self._timer is not None:
            self._timer.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._harness._in_flight -= 1
        if self._timer is not None:
            self._timer.__exit__(*exc)


class ScenarioHarness:
    """The checker's ``Harness`` (``interlock.contracts._harness``): what a scenario clause works with.

    ``await h.build()`` builds a target through the constructor clause (checker
    doubles for its Protocol parameters unless given); ``await h.call(target,
    "member", ...)`` calls a member as a driver of the contract would, within the
    time limit; ``h.draw(strategy)`` draws a value; ``h.double(Proto)`` makes a
    recording double; ``h.check(cond, msg)`` and ``h.fail(msg)`` report the clause
    broken, with a kind, member and parameter when given.
    """

    def __init__(self, driver: Driver, subject: Subject, clause: Clause, draws: _Draws, returns: DoubleReturns) -> None:
        self._driver = driver
        self._subject = subject
        self._clause = clause
        self._walk = driver.contract.walk(clause)
        self._draws = draws
        self._returns = returns
        self.log = CallLog()
        self.steps: list[str] = []
        self._imports: set[type] = set()
        self._count = 0
        self._targets = 0
        self._objects = 0
        self._names = _Names()
        self.found: list[Violation] = []
        self.unchecked: list[tuple[str | None, str]] = []
        self._raised: dict[int, tuple[str, BaseException]] = {}
        self._in_flight = 0

    @property
    def contract(self) -> Contract:
        """The contract model being checked."""
        return self._driver.contract

    @property
    def timeout(self) -> float:
        """The time limit of one call into the target."""
        return self._driver.runner.timeout

    def draw(self, strategy: Any) -> Any:
        """Draw a value from a Hypothesis strategy (shrunk with the rest of the example)."""
        return self._draws.draw(strategy)

    def arguments(self, member: str) -> dict[str, Any]:
        """In-domain arguments for every parameter of a contract member, drawn as the checker draws them."""
        values = draw_values(_DrawAdapter(self._draws), self.contract, self.contract.member(member), all_optional=True)
        return {k: self._materialize(v) for k, v in values.items()}

    def _materialize(self, value: Any) -> Any:
        if isinstance(value, DoubleSpec):
            self._imports.add(value.protocol)
        return materialize(value, self.log, self._returns, self._driver.runner.sockets)

    def double(self, protocol: type, label: str | None = None, **fields: Any) -> Any:
        """A recording double of ``protocol`` for this example; fields not given are drawn in their domains."""
        self._count += 1
        name = label or f"{protocol.__name__.lower()}{self._count}"
        spec = draw_double_fields(protocol, self._draws.draw, name, given=frozenset(fields))
        values = {k: self._materialize(v) for k, v in spec.fields}
        values.update(fields)
        self._imports.add(protocol)
        sockets = self._driver.runner.sockets
        made = sockets.stand_in(protocol, name, values, self.log, self._returns) if sockets is not None else None
        if made is None:
            made = double_class(protocol)(name, self.log, self._returns, values)
        object.__setattr__(made, "_interlock_steps", self.steps)
        for value in values.values():
            if hasattr(value, "_interlock_protocol"):
                object.__setattr__(value, "_interlock_steps", self.steps)
        self._names[id(made)] = (name, made)
        shown = "".join(f", {k}={py_repr(v)}" for k, v in values.items() if not hasattr(v, "_interlock_protocol"))
        self.steps.append(f"{name} = double({protocol.__qualname__}{shown})")
        return made

    async def build(self, **arguments: Any) -> Any:
        """A fresh target, built through the constructor clause; arguments not given are drawn."""
        s = self._subject
        ctor = self.contract.constructor
        if s.mode == "zero" or ctor is None:
            values: dict[str, Any] = {}
        elif all(p.name in arguments for p in ctor.parameters):
            values = dict(arguments)
        else:
            values = self.arguments("__init__")
            values.update(arguments)
        fn, args, kwargs = s.build_call(values)
        self._targets += 1
        name = "target" if self._targets == 1 else f"target{self._targets}"
        self.steps.append(f"{name} = {self._text(_name(s), args, kwargs)}")
        try:
            with bounded(self.timeout):
                result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                async with asyncio.timeout(self.timeout):
                    result = await result
        except CallTimedOut:
            raise _MemberTimedOut("__init__") from None
        except BaseException as exc:  # a set-up failure: once, on the constructor, never under this clause's kind
            if isinstance(exc, asyncio.CancelledError):
                raise
            targets_own(exc)
            self._member_raised("__init__", exc)
            raise _Stopped(f"building the target raised {type(exc).__name__} (reported on __init__)") from None
        self._names[id(result)] = (name, result)
        return result

    def _member_raised(self, member: str, exc: BaseException) -> None:
        s = self._subject
        self.found.append(
            Violation(
                s.label,
                "unexpected-exception",
                member,
                None,
                f"{member}: raised {describe_error(exc)} on in-domain values; the contract allows no exception here",
                self.example(mark=member),
                s.location(member),
                None,
                cause=raise_site(exc),
            )
        )

    def _side(self, kind: Kind, member: str, message: str) -> None:
        """A violation of the member itself, seen while the clause ran (a return type, sync versus async)."""
        s = self._subject
        self.found.append(Violation(s.label, kind, member, None, message, self.example(mark=member), s.location(member), None))

    async def call(self, instance: Any, member: str, *args: Any, **kwargs: Any) -> Any:
        """Call a member as a driver of the contract would; awaited when it returns an awaitable.

        What it returns is checked against the member's declared type, and sync versus async is judged, as in
        the sweep; an exception the target raises reaches the clause unchanged.
        """
        if member in self._subject.skip and member in self._subject.plans:
            raise _Unreachable(f"{member} is not called again after it timed out, or is missing", member)
        fn, args, kwargs = self._route(instance, member, args, kwargs)
        owner = self._names.get(id(instance)) or "target"
        text = self._text(f"{owner}.{member}", list(args), kwargs)
        step = len(self.steps)
        self.steps.append(text)
        signature = _signature(fn)
        if signature is not None:
            try:
                signature.bind(*args, **kwargs)
            except TypeError as exc:
                raise _Unreachable(f"{member} cannot take the arguments the contract gives it ({exc})", member) from None
        model = self._member(member) if self._is_target(instance) else None
        try:
            with self._bounded(self.timeout):
                result = fn(*args, **kwargs)
        except CallTimedOut:
            raise _MemberTimedOut(member) from None
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, CancelledError from its code are its own too
            targets_own(exc)
            self._raised[id(exc)] = (member, exc)
            raise
        awaitable = _awaitable(result)
        if model is not None and model.role == "method" and awaitable != model.is_async:
            shape = (
                "an awaitable where the contract's member is a plain def"
                if awaitable
                else "a plain value where the contract's member is async"
            )
            self._side("async-mismatch", member, f"{member}: returned {shape}")
        if awaitable:
            text = f"await {text}"
            self.steps[step] = text
            try:
                # asyncio's timeout cancels a pending await; the timer, a little later, stops code that blocks the loop
                with self._bounded(self.timeout + _GRACE):
                    async with asyncio.timeout(self.timeout) as limit:
                        result = await result
            except CallTimedOut:
                raise _MemberTimedOut(member) from None
            except TimeoutError as exc:
                if limit.expired():
                    raise _MemberTimedOut(member) from None
                self._raised[id(exc)] = (member, exc)
                raise
            except BaseException as exc:
                targets_own(exc)
                self._raised[id(exc)] = (member, exc)
                raise
        if model is not None and model.role == "method":
            problem = type_problem(result, model.returns, member)
            if problem:
                # the script keeps what the call returned and ends in the check the checker made of it
                self.steps[step] = f"returned = {text}"
                proto = self.contract.protocol.__qualname__.split(".")[0]
                self.steps.append(f"interlock.assert_returns({proto}, {member!r}, returned)")
                self._side("return-type", member, f"{member}: returned {problem}; the contract declares {model.signature_text()}")
                raise _Stopped(f"{member} returned a value of the wrong type (reported as return-type)")
        if _nameable(result) and id(result) not in self._names:
            self._objects += 1
            name = f"obj{self._objects}"
            self._names[id(result)] = (name, result)
            self.steps[step] = f"{name} = {text}"
        return result

    def _bounded(self, seconds: float) -> _InFlight:
        """``bounded`` for one call; calls awaited at once (``gather``) all run under the timer of the first one in
        flight, since timers set and put back out of order would restore each other's stale limits. A pending
        await is still cancelled by each call's own ``asyncio.timeout``."""
        return _InFlight(self, seconds)

    def _is_target(self, instance: Any) -> bool:
        return isinstance(instance, _built_types(self._subject)) and not hasattr(instance, "_interlock_protocol")

    def reachable(self, member: str) -> bool:
        """Whether the target has ``member`` in a shape a driver of the contract can call (a scenario walking several
        members skips one that is not, and goes on with the rest)."""
        s = self._subject
        return s.callable_member(member)

    @contextlib.contextmanager
    def part(self, member: str) -> Iterator[None]:
        """A part of the scenario about one member: a failure inside it is reported on that member and the scenario
        goes on with the next part, so one broken member hides no other."""
        try:
            yield
        except ScenarioFailure as failure:
            self.found.append(self._failure(failure))
        except _Unreachable as gone:
            self.unchecked.append((gone.member or member, str(gone)))
        except _MemberTimedOut as late:
            self.found.append(self._timeout(late.member))
        except _Stopped as stopped:
            self.unchecked.append((member, f"not judged on some inputs: {stopped.reason}"))
        except BaseException as exc:
            targets_own(exc)
            raised = self._raised.get(id(exc))
            if raised is None or raised[1] is not exc:
                if isinstance(exc, asyncio.CancelledError):
                    raise  # a cancellation that did not come out of a target's call: not the clause's failure
                raise ClauseCodeFailed(exc) from exc
            self._member_raised(raised[0], exc)

    def _failure(self, err: ScenarioFailure) -> Violation:
        s, clause = self._subject, err.clause
        if err.member is None and err.__context__ is not None and id(err.__context__) in self._raised:
            err.member = self._raised[id(err.__context__)][0]  # the member whose exception the clause was handling
        kind = err.kind or clause.kinds[0]
        return Violation(
            s.label,
            kind,
            err.member,
            err.parameter,
            f"{member_once(err.member, str(err))} ({clause.id})",
            self._example(mark=err.member, judged=True, clause=clause),
            s.location(err.member),
            clause.id,
            cause=raise_site(err.__context__),  # the target's exception the clause was handling when it failed
        )

    def _timeout(self, member: str) -> Violation:
        s = self._subject
        if member in s.plans:
            s.skip.add(member)
            s.note(member, None, "not called again after it timed out")
        runner = self._driver.runner
        return Violation(
            s.label,
            "timeout",
            member,
            None,
            f"{member}: the call did not return within {runner.timeout:g}s; {runner.stops}",
            self.example(mark=member),
            s.location(member),
            None,
        )

    def _member(self, name: str) -> Any:
        try:
            return self.contract.member(name)
        except KeyError:
            return None

    def _route(
        self, instance: Any, member: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
        """Arguments written against the contract, placed as the target can take them."""
        try:
            fn = getattr(instance, member)
        except AttributeError:
            raise _Unreachable(f"the target has no member {member!r}", member) from None
        except BaseException as exc:  # a property that raises: the member's exception, as a call's would be
            targets_own(exc)
            self._raised[id(exc)] = (member, exc)
            raise
        model = self._member(member)
        s = self._subject
        if model is None or model.role != "method" or member not in s.plans or not isinstance(instance, _built_types(s)):
            return fn, args, kwargs
        plan = s.plans.get(member)
        if plan is None:
            raise _Unreachable(f"{member} cannot be called as the contract declares it", member)
        names = [p.name for p in model.parameters]
        values = dict(zip(names, args, strict=False))
        values.update(kwargs)
        new_args, new_kwargs = plan.split(model, values)
        return fn, tuple(new_args), new_kwargs

    def _text(self, callee: str, args: list[Any], kwargs: dict[str, Any]) -> str:
        parts = [self._repr(a) for a in args] + [f"{k}={self._repr(v)}" for k, v in kwargs.items()]
        return f"{callee}({', '.join(parts)})"

    def _repr(self, value: Any) -> str:
        name = self._names.get(id(value))
        if name is not None:
            return name
        return _call_text("", [value], {})[1:-1]

    def collect_garbage(self) -> None:
        """A full garbage collection, for leak checks; after a few per clause and target only a young one (it costs)."""
        key = (id(self._subject), self._walk[0].id)
        done = _COLLECTIONS.get(key, 0)
        _COLLECTIONS[key] = done + 1
        gc.collect() if done < _FULL_COLLECTIONS else gc.collect(0)

    async def rejects(self, instance: Any, member: str, *args: Any, **kwargs: Any) -> BaseException | None:
        """``call``, for a value the contract says the member rejects: the ValueError or TypeError, or None."""
        start = len(self.steps)
        try:
            await self.call(instance, member, *args, **kwargs)
        except (ValueError, TypeError) as exc:
            return exc
        finally:
            self._tolerate(start, member)
        return None

    def _tolerate(self, start: int, member: str) -> None:
        """Put the call of ``member`` written since step ``start`` in a ``try`` that lets a rejection through."""
        for i in range(len(self.steps) - 1, start - 1, -1):
            line = self.steps[i]
            if f".{member}(" in line and "\n" not in line:
                self.steps[i : i + 1] = [
                    "try:",
                    f"    {line}",
                    "except (ValueError, TypeError):",
                    "    pass  # rejected, as the contract says",
                ]
                return

    def step(self, line: str) -> None:
        """Add a line to the reproducer (what the scenario set up that a call does not show)."""
        self.steps.append(line)

    async def gather(self, *awaitables: Awaitable[_T]) -> list[_T]:
        """Run calls at once on the checker's event loop (two users at the same time).

        In the reproducer the calls made at once stand in one ``await asyncio.gather(...)``.
        """
        start = len(self.steps)
        try:
            return list(await asyncio.gather(*awaitables))
        finally:
            self._merge_gathered(start)

    def _merge_gathered(self, start: int) -> None:
        made = self.steps[start:]
        calls = [step for step in made if step.startswith("await ") or " = await " in step]
        if len(calls) < 2:
            return
        others = [step for step in made if step not in calls]
        names = [step.split(" = await ", 1)[0] if " = await " in step else "_" for step in calls]
        awaited = [step.split("await ", 1)[1] for step in calls]
        line = f"await asyncio.gather({', '.join(awaited)})"
        if any(n != "_" for n in names):
            line = f"{', '.join(names)} = {line}"
        self.steps[start:] = [*others, line]

    def fail(
        self,
        message: str,
        *,
        kind: Kind | None = None,
        member: str | None = None,
        parameter: str | None = None,
        clause: str | None = None,
    ) -> NoReturn:
        """The clause is broken: report ``message`` with ``kind`` (by default the clause's first). A function that
        judges several clauses names the one broken with ``clause``."""
        judged = self._judged(clause)
        if kind is not None and kind not in judged.kinds:
            kinds = ", ".join(judged.kinds)
            raise ValueError(f"clause {judged.id!r} reports {kinds}, not {kind!r}")
        raise ScenarioFailure(message, kind, member, parameter, judged)

    def _judged(self, clause: str | None) -> Clause:
        ids = [c.id for c in self._walk]
        if clause is None:
            if len(self._walk) > 1:
                raise ValueError(f"this scenario judges the clauses {', '.join(ids)}: name the one broken with clause=")
            return self._walk[0]
        for c in self._walk:
            if c.id == clause:
                return c
        raise ValueError(f"clause {clause!r} is not one this scenario judges ({', '.join(ids)})")

    def check(
        self,
        condition: object,
        message: str,
        *,
        kind: Kind | None = None,
        member: str | None = None,
        parameter: str | None = None,
        clause: str | None = None,
    ) -> None:
        """Fail with ``message`` unless ``condition`` holds."""
        if not condition:
            self.fail(message, kind=kind, member=member, parameter=parameter, clause=clause)

    def example(self, mark: str | None = None) -> str:
        """Python that replays what the scenario did on this target; the last call of ``mark`` is marked as failing."""
        return self._example(mark)

    def _example(self, mark: str | None = None, *, judged: bool = False, clause: Clause | None = None) -> str:
        """``example``. Where the clause itself ``judged`` the target broken and the script has no ``assert`` of its own, it ends in
        ``interlock.assert_clause``, which runs the clause once more on the same drawn values and raises
        ``AssertionError`` with the clause and what it saw: the script fails against the target and passes against a
        conforming one (report.md, "Reproducers").
        """
        s = self._subject
        lines = []
        replay = self._replay_line(clause or self._clause) if judged else None
        if replay is not None or any(step.startswith("interlock.assert_returns(") for step in self.steps):
            lines.append("import interlock")
            proto = self.contract.protocol
            lines.append(f"from {proto.__module__} import {proto.__qualname__.split('.')[0]}")
        if any("await " in step for step in self.steps):
            lines.append("import asyncio")
        if self._imports:
            lines.append("from interlock import double")
            for proto in sorted(self._imports, key=lambda p: p.__qualname__):
                lines.append(f"from {proto.__module__} import {proto.__qualname__.split('.')[0]}")
        head = reproducer(s, {}).splitlines()[-2]
        lines.append(head)
        for module in sorted({m for step in self.steps for m in _QUALIFIED.findall(step)}):
            lines.append(f"import {module}")
        body = list(self.steps)
        if mark:
            for i in range(len(body) - 1, -1, -1):
                if f".{mark}(" in body[i] or (mark == "__init__" and " = " in body[i] and "." not in body[i].split("(")[0]):
                    body[i] += "  # <- fails here"
                    break
        if any("await " in step for step in body):
            lines.append("async def main():")
            lines.extend(f"    {step}" for step in body)
            lines.append("asyncio.run(main())")
        else:
            lines.extend(body)
        if replay is not None:
            lines.append(replay)
        return "\n".join(lines)

    def _replay_line(self, clause: Clause) -> str | None:
        """``interlock.assert_clause(...)`` with this example's drawn values, or None where the script already ends
        in an ``assert``, the values cannot be written as Python, or the run used real sockets."""
        if self.steps and self.steps[-1].lstrip().startswith("assert "):
            return None
        if self._driver.runner.sockets is not None or not isinstance(self._returns, DrawnReturns):
            return None
        draws = [plain_draw(v) for v in self._draws.values]
        answers = {k: v for k, v in self._returns.memo.items() if not hasattr(v, "_interlock_protocol")}
        if not all(replayable(v) for v in draws) or not all(replayable(v) for v in answers.values()):
            return None
        if not all(replayable(k) for k in answers):
            return None
        contract = self.contract.protocol.__qualname__.split(".")[0]
        shown = f", answers={py_repr(answers)}" if answers else ""
        return f"interlock.assert_clause({contract}, {clause.id!r}, target={_name(self._subject)}, draws={py_repr(draws)}{shown})"


class _Names:
    """Names given to objects in a reproducer, held weakly so leak checks still see them go."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[str, Any]] = {}

    def __setitem__(self, key: int, entry: tuple[str, Any]) -> None:
        name, obj = entry
        try:
            ref: Any = weakref.ref(obj)
        except TypeError:
            ref = lambda obj=obj: obj  # noqa: E731 - not weakly referable: keep it
        self._by_id[key] = (name, ref)

    def get(self, key: int, default: str | None = None) -> str | None:
        entry = self._by_id.get(key)
        if entry is None or entry[1]() is None or id(entry[1]()) != key:
            return default
        return entry[0]

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def __bool__(self) -> bool:
        return bool(self._by_id)


def _signature(fn: Any) -> inspect.Signature | None:
    """``fn``'s signature, or None where Python cannot read one; a bound method's is read once per function."""
    func = getattr(fn, "__func__", None)
    if func is not None and getattr(fn, "__self__", None) is not None and inspect.isfunction(func):
        return _bound_signature(func)
    try:
        return inspect.signature(fn)
    except Exception:
        return None  # no signature to read: judged by calling it


@functools.lru_cache(maxsize=1024)
def _bound_signature(func: Any) -> inspect.Signature | None:
    try:
        sig = inspect.signature(func)
    except Exception:
        return None
    return sig.replace(parameters=list(sig.parameters.values())[1:])


def _nameable(value: Any) -> bool:
    """A result worth a name in the reproducer: an object of the target's making, not plain data."""
    if value is None or isinstance(value, str | bytes | int | float | bool | list | tuple | dict | set | frozenset):
        return False
    from collections.abc import Mapping

    return not isinstance(value, Mapping) and hasattr(value, "__dict__")


def _built_types(s: Subject) -> tuple[type, ...]:
    return (s.obj,) if isinstance(s.obj, type) else (object,)


def _awaitable(value: Any) -> bool:
    try:
        return inspect.isawaitable(value)
    except Exception:
        return False


class _DrawAdapter:
    """Looks like Hypothesis's data object to ``draw_values``, drawing through the recorded draws."""

    def __init__(self, draws: _Draws) -> None:
        self._draws = draws

    def draw(self, strategy: Any) -> Any:
        return self._draws.draw(strategy)


def _name(s: Subject) -> str:
    return s.import_path[1] if s.import_path else getattr(s.obj, "__qualname__", "target")


def _ctor_has_protocols(driver: Driver) -> bool:
    ctor = driver.contract.constructor
    if ctor is None:
        return False
    return any(getattr(p.domain.base, "_is_protocol", False) for p in ctor.parameters)


def _runs(driver: Driver, s: Subject, clause: Clause) -> bool:
    rule = clause.rule
    assert isinstance(rule, Scenario)
    if s.build_error is not None:
        return False
    if rule.needs_doubles and s.mode == "zero" and _ctor_has_protocols(driver):
        for judged in driver.contract.walk(clause):
            s.note(None, judged.id, "a zero-argument factory builds its own dependencies; this clause must observe a checker double")
        return False
    return True


def _play(
    driver: Driver, s: Subject, clause: Clause, draws: _Draws, returns: DoubleReturns
) -> tuple[list[Violation], Any, bool, Callable[[], str]]:
    """Run the scenario once on one target: its violations, its observation, whether it ran clean, and what writes
    its example (only a differential needs it, so the text is written only then).

    A failure of the clause is the clause's violation; what goes wrong on the way (a set-up call that raises, a
    result of the wrong type, sync versus async) is the member's own violation, once; the clause's own code
    raising is an internal error (``ClauseCodeFailed``), never the target's.
    """
    rule = clause.rule
    assert isinstance(rule, Scenario)
    h = ScenarioHarness(driver, s, clause, draws, returns)
    given: Harness = h  # the scenario is given the public Protocol, which mypy checks the class satisfies
    limit = driver.runner.timeout * _SCENARIO_CALLS
    observation: Any = None
    try:
        try:
            outcome = driver.runner.call(rule.function, [given], {}, is_async=True, timeout=limit)
        finally:
            if driver.runner.sockets is not None:  # the example's real sockets are closed with it
                driver.runner.sockets.release()
    except ScenarioFailure as failure:
        h.found.append(h._failure(failure))
    except _MemberTimedOut as late:
        h.found.append(h._timeout(late.member))
    except _Unreachable as gone:
        h.unchecked.append((None, str(gone)))
    except _Stopped as stopped:
        h.unchecked.append((None, f"not judged on some inputs: {stopped.reason}"))
    else:
        err = outcome.error
        if outcome.timed_out:
            h.found.append(
                Violation(
                    s.label,
                    "timeout",
                    None,
                    None,
                    f"'{clause.id}': the scenario did not finish within {limit:g}s",
                    h.example(),
                    s.location(None),
                    clause.id,
                )
            )
        elif err is not None:
            from hypothesis.errors import HypothesisException

            raised = h._raised.get(id(err))
            if isinstance(err, HypothesisException) or (
                isinstance(err, asyncio.CancelledError) and (raised is None or raised[1] is not err)
            ):
                raise err  # Hypothesis's own control flow, or a cancellation that did not come out of a target's call
            targets_own(err)
            if raised is None or raised[1] is not err:
                raise ClauseCodeFailed(err) from err
            h._member_raised(raised[0], err)
            h.unchecked.append((None, f"could not run where {raised[0]} raised {type(err).__name__} (reported on {raised[0]})"))
        else:
            observation = outcome.value
    for member, reason in h.unchecked:
        for judged in h._walk:
            s.note(member, judged.id, reason)
    clean = not h.found and not h.unchecked
    return list(h.found), observation, clean, h.example


def play_once(driver: Driver, s: Subject, clause: Clause, data: Any, draws: list[Any], answers: dict[Any, Any]) -> list[Violation]:
    """The scenario once on ``s``, its draws taken from ``draws`` first and its doubles' answers from ``answers``."""
    returns = DrawnReturns(data, driver.contract)
    returns.memo.update(answers)
    found, _, _, _ = _play(driver, s, clause, _Draws(data, draws), returns)
    return found


def run_scenario(driver: Driver, s: Subject, clause: Clause) -> None:
    """Run one scenario clause against one target, shrinking to one example per kind."""
    rule = clause.rule
    assert isinstance(rule, Scenario)
    if not _runs(driver, s, clause):
        return

    def collect(data: Any) -> list[tuple[Subject, Violation]]:
        found, _, _, _ = _play(driver, s, clause, _Draws(data, None), DrawnReturns(data, driver.contract))
        return [(s, v) for v in found]

    reason = driver.explorer.explore(f"scenario_{clause.id}", collect, max_examples=rule.examples)
    if reason:
        for judged in driver.contract.walk(clause):
            s.note(None, judged.id, reason)


def run_load(driver: Driver, s: Subject, clause: Clause) -> None:
    """The clause's load phase, when the run's stand-ins have one (``--sockets real``): its scenario, many users at
    once, reported under the clause's id and kinds."""
    sockets = driver.runner.sockets
    phase = sockets.phase(driver.contract, clause) if sockets is not None else None
    if phase is None or not _runs(driver, s, clause):
        return
    assert isinstance(clause.rule, Scenario)
    loaded = attrs.evolve(clause, rule=attrs.evolve(clause.rule, function=phase))

    def collect(data: Any) -> list[tuple[Subject, Violation]]:
        found, _, _, _ = _play(driver, s, loaded, _Draws(data, None), DrawnReturns(data, driver.contract))
        return [(s, v) for v in found]

    reason = driver.explorer.explore(f"load_{clause.id}", collect, max_examples=LOAD_EXAMPLES)
    if reason:
        s.note(None, clause.id, f"its load phase: {reason}")


def run_scenario_compared(driver: Driver, subjects: list[Subject], clause: Clause) -> None:
    """Run a comparing scenario on every target with the same draws; differing observations are ``differential``."""
    rule = clause.rule
    assert isinstance(rule, Scenario)
    active = [s for s in subjects if _runs(driver, s, clause)]
    if not active:
        return

    def collect(data: Any) -> list[tuple[Subject, Violation]]:
        returns = DrawnReturns(data, driver.contract)
        replay: list[Any] | None = None
        out: list[tuple[Subject, Violation]] = []
        observed: list[tuple[Subject, Any, _Example]] = []
        clean = True
        for s in active:
            draws = _Draws(data, replay)
            found, observation, ok, example = _play(driver, s, clause, draws, returns)
            if replay is None or len(draws.values) > len(replay):
                replay = draws.values
            out.extend((s, v) for v in found)
            clean = clean and ok and not found
            observed.append((s, observation, _Example(example)))
        if clean and len(observed) >= 2:
            out.extend(differential_between(None, observed, clause.id))
        return out

    reason = driver.explorer.explore(f"compare_{clause.id}", collect, max_examples=rule.examples)
    if reason:
        for s in active:
            s.note(None, clause.id, reason)


class _Example:
    """A finished run's example, in the shape differential reports expect."""

    def __init__(self, write: Callable[[], str]) -> None:
        self.example = write
