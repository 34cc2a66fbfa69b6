"""Checker doubles: recording stand-ins built from a Protocol's own declaration.

A double records every call made on it (into a log shared by all doubles of one
example, so the checker can tell whether a target acted before it rejected a
value), returns values drawn from its methods' return annotations, and can be
told to fail with the errors real sockets and clients raise.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from interlock.contracts._declare import declared_dunder
from interlock.properties._values import py_repr

if TYPE_CHECKING:
    from interlock.contracts._model import Clause, Contract

__all__ = ["CallLog", "Double", "DoubleReturns", "StandIns", "double", "double_class", "protocol_fields", "protocol_methods"]


@attrs.define
class Call:
    """One call made on a double."""

    double: str
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@attrs.define
class CallLog:
    """Every call made on the doubles of one example, in order."""

    calls: list[Call] = attrs.field(factory=list)

    def __len__(self) -> int:
        return len(self.calls)


class StandIns(Protocol):
    """Real components in place of some of a scenario's doubles, for a whole run (``--sockets real``).

    The engine opens it before the checks and closes it after them, whatever ends the run; a scenario's harness
    asks ``stand_in`` wherever it would build a double (None: build the double), and calls ``release`` when an
    example ends. ``phase`` is an extra scenario run under a clause's id (a load phase), or None.
    """

    def open(self, timeout: float) -> None: ...

    def close(self) -> None: ...

    def stand_in(self, protocol: type, label: str, fields: dict[str, Any], log: CallLog, returns: DoubleReturns) -> Any | None: ...

    def release(self) -> None: ...

    def phase(self, contract: Contract, clause: Clause) -> Callable[[Any], Awaitable[None]] | None: ...


class DoubleReturns:
    """Where a double's methods get their return values; the default gives simple empty values."""

    def value(self, label: str, method: str, annotation: Any, index: int) -> Any:
        return simple_value(annotation)


def simple_value(annotation: Any) -> Any:
    """A plain, valid value of an annotation: ``0``, ``""``, ``{}``, ``None``, a double for a Protocol."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return simple_value(typing.get_args(annotation)[0])
    if annotation in (None, type(None)) or origin in (typing.Union,) or _is_union(annotation):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if annotation in (None, type(None)) or len(args) < len(typing.get_args(annotation)):
            return None
        return simple_value(args[0])
    base = origin or annotation
    table: dict[Any, Any] = {str: "x", int: 0, float: 0.0, bool: False, bytes: b""}
    if base in table:
        return table[base]
    if isinstance(base, type):
        import collections.abc as cabc

        if issubclass(base, cabc.Mapping) or base is dict:
            return {}
        if base in (set, cabc.Set, cabc.MutableSet):
            return set()
        if base is frozenset:
            return frozenset()
        if base is tuple:
            return ()
        if issubclass(base, cabc.Sequence) or base in (list, cabc.Iterable):
            return []
        if getattr(base, "_is_protocol", False):
            return double(base)
    return None


def _is_union(tp: Any) -> bool:
    import types

    return typing.get_origin(tp) in (typing.Union, types.UnionType)


class Double:
    """Base of every double: the call log, the return source, and the failure switch."""

    _interlock_protocol: type
    _interlock_members: dict[str, tuple[bool, Any]]

    def __init__(self, label: str, log: CallLog, returns: DoubleReturns, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_interlock_label", label)
        object.__setattr__(self, "_interlock_log", log)
        object.__setattr__(self, "_interlock_returns", returns)
        object.__setattr__(self, "_interlock_failure", None)
        object.__setattr__(self, "_interlock_fail_methods", None)
        object.__setattr__(self, "_interlock_counts", {})
        object.__setattr__(self, "_interlock_fields", dict(fields))
        object.__setattr__(self, "_interlock_overrides", {})
        object.__setattr__(self, "_interlock_steps", None)
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    @property
    def calls(self) -> list[Call]:
        """The calls made on this double, in order."""
        label: str = object.__getattribute__(self, "_interlock_label")
        log: CallLog = object.__getattribute__(self, "_interlock_log")
        return [c for c in log.calls if c.double == label]

    def fail(self, error: BaseException | None = None, *, methods: tuple[str, ...] | None = None) -> None:
        """From now on, raise ``error`` (a ``ConnectionError`` by default) from ``methods`` (all, if None)."""
        failure = error or ConnectionError("interlock: injected failure")
        object.__setattr__(self, "_interlock_failure", failure)
        object.__setattr__(self, "_interlock_fail_methods", methods)
        only = f", methods={methods!r}" if methods else ""
        self._interlock_note(f"{object.__getattribute__(self, '_interlock_label')}.fail({type(failure).__name__}({str(failure)!r}){only})")

    def _interlock_note(self, line: str) -> None:
        steps = object.__getattribute__(self, "_interlock_steps")
        if steps is not None:
            steps.append(line)

    def heal(self) -> None:
        """Stop failing."""
        if object.__getattribute__(self, "_interlock_failure") is not None:
            self._interlock_note(f"{object.__getattribute__(self, '_interlock_label')}.heal()")
        object.__setattr__(self, "_interlock_failure", None)

    def answer(self, method: str, function: Callable[..., Any]) -> None:
        """Answer calls of ``method`` with ``function(*args, **kwargs)`` instead of drawn values."""
        self._interlock_overrides[method] = function  # type: ignore[attr-defined]
        label = object.__getattribute__(self, "_interlock_label")
        source = getattr(function, "interlock_source", None)
        if isinstance(source, str):
            self._interlock_note(f"{label}.answer({method!r}, {source})")
        else:
            name = getattr(function, "__qualname__", repr(function))
            self._interlock_note(
                f"# {label}.answer({method!r}, {name}): give it as interlock.answering('lambda ...', function) to see it here"
            )

    def _interlock_call(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        label: str = object.__getattribute__(self, "_interlock_label")
        log: CallLog = object.__getattribute__(self, "_interlock_log")
        log.calls.append(Call(label, method, args, kwargs))
        failure = object.__getattribute__(self, "_interlock_failure")
        only = object.__getattribute__(self, "_interlock_fail_methods")
        if failure is not None and (only is None or method in only):
            raise failure
        override = object.__getattribute__(self, "_interlock_overrides").get(method)
        if override is not None:
            return override(*args, **kwargs)
        counts: dict[str, int] = object.__getattribute__(self, "_interlock_counts")
        index = counts.get(method, 0)
        counts[method] = index + 1
        annotation = type(self)._interlock_members[method][1]
        returns: DoubleReturns = object.__getattribute__(self, "_interlock_returns")
        return returns.value(label, method, annotation, index)

    def __repr__(self) -> str:
        proto = type(self)._interlock_protocol
        fields: dict[str, Any] = object.__getattribute__(self, "_interlock_fields")
        inner = "".join(f", {k}={py_repr(v)}" for k, v in fields.items())
        return f"double({proto.__qualname__}{inner})"


def protocol_methods(protocol: type) -> dict[str, tuple[bool, Any]]:
    """The methods a Protocol declares: name -> (is async, return annotation)."""
    out: dict[str, tuple[bool, Any]] = {}
    for base in reversed(protocol.__mro__):
        if not getattr(base, "_is_protocol", False) or base is typing.Protocol:
            continue
        for name, value in base.__dict__.items():
            fn = value.__func__ if isinstance(value, staticmethod | classmethod) else value
            if not inspect.isfunction(fn) or (name.startswith("__") and name != "__call__" and not declared_dunder(base, name, value)):
                continue
            try:
                hints = typing.get_type_hints(fn, include_extras=True)
            except Exception:
                hints = {}
            out[name] = (inspect.iscoroutinefunction(fn), hints.get("return", Any))
    return out


def protocol_fields(protocol: type) -> dict[str, Any]:
    """The data fields a Protocol declares (annotations and properties): name -> annotation."""
    out: dict[str, Any] = {}
    for base in reversed(protocol.__mro__):
        if not getattr(base, "_is_protocol", False) or base is typing.Protocol:
            continue
        try:
            hints = typing.get_type_hints(base, include_extras=True)
        except Exception:
            hints = {}
        for name in getattr(base, "__annotations__", {}):
            if not name.startswith("_") and typing.get_origin(hints.get(name)) is not typing.ClassVar:
                out[name] = hints.get(name, Any)
        for name, value in base.__dict__.items():
            if isinstance(value, property) and value.fget is not None:
                try:
                    out[name] = typing.get_type_hints(value.fget, include_extras=True).get("return", Any)
                except Exception:
                    out[name] = Any
    return out


_CLASSES: dict[type, type] = {}


def double_class(protocol: type) -> type[Double]:
    """The double class of a Protocol: a subclass of it, so ``isinstance`` holds, whose methods record."""
    found = _CLASSES.get(protocol)
    if found is not None:
        return found
    methods = protocol_methods(protocol)
    ns: dict[str, Any] = {"_interlock_protocol": protocol, "_interlock_members": methods, "__init__": Double.__init__}
    for name, (is_async, _) in methods.items():
        ns[name] = _make_method(name, is_async)
    for name in protocol_fields(protocol):
        ns[name] = None  # shadows a Protocol property so the instance attribute can be set
    cls = type(f"{protocol.__name__}Double", (Double, protocol), ns)
    _CLASSES[protocol] = cls
    return cls


def _make_method(name: str, is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def amethod(self: Double, *args: Any, **kwargs: Any) -> Any:
            result = self._interlock_call(name, args, kwargs)
            if inspect.isawaitable(result):  # an answer() that is itself async
                result = await result
            return result

        amethod.__name__ = name
        return amethod

    def method(self: Double, *args: Any, **kwargs: Any) -> Any:
        return self._interlock_call(name, args, kwargs)

    method.__name__ = name
    return method


def double(protocol: type, /, **fields: Any) -> Any:
    """A recording double of ``protocol``, standing alone: fields given or simple, methods returning simple values.

    This is what reproducers use; the checker's own doubles draw fields and return values.
    """
    cls = double_class(protocol)
    declared = protocol_fields(protocol)
    unknown = set(fields) - set(declared)
    if unknown:
        raise TypeError(f"{protocol.__qualname__} declares no field {sorted(unknown)!r}")
    values = {name: fields[name] if name in fields else simple_value(ann) for name, ann in declared.items()}
    return cls(protocol.__qualname__.lower(), CallLog(), DoubleReturns(), values)
