"""A target under check: how to build it, how to call each member, and what it has shown so far."""

from __future__ import annotations

import inspect
import os
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs

from interlock.contracts._domain import read_domain
from interlock.contracts._model import Contract, Kind, Member
from interlock.properties._doubles import CallLog, Double, DoubleReturns, StandIns, double_class, protocol_fields
from interlock.properties._foreign import foreign_definitions
from interlock.properties._report import NotChecked, Violation
from interlock.properties._signature import CallPlan, Drift, compare_signature, target_signature
from interlock.properties._strategies import DOUBLE, strategy_for
from interlock.properties._values import py_repr

__all__ = [
    "DoubleSpec",
    "Subject",
    "assert_imports",
    "contract_ref",
    "materialize",
    "plain_draw",
    "reproducer",
    "signature_example",
    "unplain_draw",
]

START_DIR = os.getcwd()
"""The folder locations are relative to: where the run started (``run_check`` sets it), whatever folder a target
moves the process to."""

Mode = Literal["class", "factory", "zero"]
Key = tuple[Kind, str | None, str | None, str | None]
"""A violation's identity on one target: (kind, member, parameter, clause); each is reported once."""


@attrs.frozen
class DoubleSpec:
    """A drawn double, not yet built: each target gets its own instance with these fields."""

    protocol: type
    label: str
    fields: tuple[tuple[str, Any], ...]


@attrs.define(eq=False)
class Subject:
    """One target and everything the checker learns about it during a run."""

    label: str
    obj: Any
    contract: Contract
    mode: Mode = "class"
    build_plan: CallPlan | None = None
    plans: dict[str, CallPlan | None] = attrs.field(factory=dict)
    sigs: dict[str, inspect.Signature | None] = attrs.field(factory=dict)
    skip: set[str] = attrs.field(factory=set)
    stalled: set[str] = attrs.field(factory=set)
    """Clauses whose checking did not finish on this target's result: judged no more (their timeout is recorded)."""
    found: dict[Key, Violation] = attrs.field(factory=dict)
    not_checked: list[NotChecked] = attrs.field(factory=list)
    bases: dict[str, tuple[dict[str, Any], dict[str, Any]]] = attrs.field(factory=dict)
    build_error: str | None = None
    built_with: dict[str, Any] | None = None
    """Constructor values a build accepted (the first): a known-good value to tell which parameter a failed build refused."""
    import_path: tuple[str, str] | None = None
    prefix: str = ""
    location_owner: type | None = None
    head: tuple[tuple[str, ...], tuple[type, ...]] | None = None
    reference: bool = False
    """The run's reference: compared with, never reported; a target that disagrees with it is the one blamed."""

    def record(self, v: Violation) -> None:
        key = (v.kind, v.member, v.parameter, v.clause)
        if key not in self.found:
            self.found[key] = v

    def violation(
        self,
        kind: Kind,
        member: str | None,
        parameter: str | None,
        message: str,
        example: str,
        *,
        clause: str | None = None,
        cause: str | None = None,
    ) -> Violation:
        """A violation of this target, named and located as the report shows it (a product's members prefixed)."""
        loc_member = member.split("().")[0] if member and "()." in member else member
        return Violation(
            target=self.label,
            kind=kind,
            member=f"{self.prefix}{member}" if member and self.prefix else member,
            parameter=parameter,
            message=message,
            example=example,
            location=self.location(loc_member),
            clause=clause,
            cause=cause,
        )

    def note(self, member: str | None, clause: str | None, reason: str) -> None:
        entry = NotChecked(member, clause, reason)
        if entry not in self.not_checked:
            self.not_checked.append(entry)

    def callable_member(self, name: str) -> bool:
        return name not in self.skip and self.plans.get(name) is not None

    # ---- where things are -------------------------------------------------------------
    def location(self, member: str | None) -> str | None:
        fn: Any = self.obj
        if member and self.location_owner is not None:
            fn = inspect.getattr_static(self.location_owner, member, None)
            fn = getattr(fn, "__func__", fn)
        elif member and member != "__init__" and self.mode == "class":
            fn = inspect.getattr_static(self.obj, member, None)
            fn = getattr(fn, "__func__", fn)
        elif member == "__init__" and self.mode == "class":
            fn = self.obj.__dict__.get("__init__", self.obj)
        try:
            fn = inspect.unwrap(fn)
            path = inspect.getsourcefile(fn)
            line = inspect.getsourcelines(fn)[1]
        except Exception:  # TypeError, OSError, or a target object that breaks inspect
            return None
        if path is None:
            return None
        try:
            rel = os.path.relpath(path, START_DIR)
            if not rel.startswith(".."):
                path = rel
        except ValueError:
            pass
        return f"{path}:{line}"

    # ---- building ------------------------------------------------------------------------
    def build_call(self, values: dict[str, Any]) -> tuple[Callable[..., Any], list[Any], dict[str, Any]]:
        ctor = self.contract.constructor
        if self.mode == "zero" or ctor is None:
            return self.obj, [], {}
        plan = self.build_plan or CallPlan(positional=0)
        args, kwargs = plan.split(ctor, values)
        return self.obj, args, kwargs


def materialize(value: Any, log: CallLog, returns: DoubleReturns, stand_ins: StandIns | None = None) -> Any:
    """Build the doubles a drawn value names, all recording into ``log``; ``stand_ins`` may put real components in
    their place (``--sockets real``)."""
    if isinstance(value, DoubleSpec):
        fields = {k: materialize(v, log, returns, stand_ins) for k, v in value.fields}
        made = stand_ins.stand_in(value.protocol, value.label, fields, log, returns) if stand_ins is not None else None
        return made if made is not None else double_class(value.protocol)(value.label, log, returns, fields)
    return value


def check_constructor(subject: Subject) -> list[Drift]:
    """Signature drifts of the constructor, and the plan for building; sets the subject's mode."""
    ctor = subject.contract.constructor
    obj = subject.obj
    if isinstance(obj, type):
        subject.mode = "class"
    else:
        sig = target_signature(obj)
        names = {p.name for p in ctor.parameters} if ctor else set()
        params = list(sig.parameters.values()) if sig else []
        accepts = sig is not None and all(n in sig.parameters or any(p.kind is p.VAR_KEYWORD for p in params) for n in names)
        if ctor is not None and names and accepts:
            subject.mode = "factory"
        elif sig is None or all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            subject.mode = "zero"
            subject.build_plan = CallPlan(positional=0)
            return []
        else:
            subject.mode = "factory"
    if ctor is None:
        subject.build_plan = CallPlan(positional=0)
        return []
    sig = target_signature(obj)
    if sig is None:
        subject.build_plan = CallPlan(positional=0)
        return []
    drifts, plan = compare_signature(ctor, sig)
    subject.build_plan = plan
    return drifts


def check_member_signature(subject: Subject, member: Member, owner: Any) -> tuple[list[Drift], bool]:
    """Signature drifts of one member; returns (drifts, present). ``owner`` is the class or an instance."""
    static = inspect.getattr_static(owner, member.name, _MISSING)
    if static is _MISSING:
        return [], False
    try:
        fn = getattr(owner, member.name)
    except Exception:  # a descriptor of the target's that raises: judge what is stored
        fn = static
    bound_self = isinstance(owner, type) and not isinstance(static, staticmethod | classmethod)
    sig = target_signature(fn)
    drifts: list[Drift] = []
    if sig is not None and bound_self:
        params = list(sig.parameters.values())
        if params and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
            sig = sig.replace(parameters=params[1:])
    subject.sigs[member.name] = sig
    raw = _unwrapped(getattr(static, "__func__", static), fn)
    if not member.is_async and (_is(inspect.iscoroutinefunction, raw) or _is(inspect.iscoroutinefunction, fn)):
        drifts.append(
            Drift(
                "async-mismatch",
                None,
                f"{member.name}: is async def in the target, a plain def in the contract; callers get a coroutine instead of a result",
            )
        )
    if member.is_async and _is(inspect.isasyncgenfunction, raw):
        drifts.append(Drift("async-mismatch", None, f"{member.name}: is an async generator in the target; callers cannot await it"))
    if sig is None:
        # no signature to read (a method written in C, as most of dict's are): called by name and by position, as
        # a caller may, and judged by calling it (the binding TypeError of a C function tells a drift)
        positional = sum(1 for p in member.parameters if p.positional)
        first = positional if member.is_dunder else 0  # operators pass by position; a caller may pass names
        subject.plans[member.name] = CallPlan(positional=first, max_positional=positional, opaque=True)
        return drifts, True
    more, plan = compare_signature(member, sig)
    subject.plans[member.name] = plan
    return drifts + more, True


def _unwrapped(stored: Any, fallback: Any) -> Any:
    """What ``stored`` wraps (``functools.wraps``), or ``fallback`` where it cannot be told: a proxy whose
    ``__wrapped__`` never ends, or raises, is the target's object, not interlock's failure."""
    try:
        return inspect.unwrap(stored) if callable(stored) else fallback
    except Exception:
        return fallback


def _is(test: Callable[[Any], bool], obj: Any) -> bool:
    """``inspect``'s kind tests on a target's object, whose attributes may raise: ``False`` where they do."""
    try:
        return bool(test(obj))
    except Exception:
        return False


_MISSING = object()


def doubles_in(value: Any) -> list[DoubleSpec]:
    if isinstance(value, DoubleSpec):
        out = [value]
        for _, v in value.fields:
            out.extend(doubles_in(v))
        return out
    return []


def _source(value: Any) -> str:
    if isinstance(value, DoubleSpec):
        inner = "".join(f", {k}={_source(v)}" for k, v in value.fields)
        return f"double({value.protocol.__qualname__}{inner})"
    if isinstance(value, Double):
        return repr(value)
    return py_repr(value)


def _call_text(callee: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    parts = [_source(a) for a in args] + [f"{k}={_source(v)}" for k, v in kwargs.items()]
    return f"{callee}({', '.join(parts)})"


def signature_example(s: Subject, m: Member | None, *, missing: bool = False) -> str:
    """Python that prints the target's signature beside the contract's and, for a class or a constructor, ends in
    ``interlock.assert_signature``, which fails with the drift."""
    if m is None:
        return reproducer(s, {})

    def judged(owner: str) -> str:
        return "\n".join(
            [*assert_imports(s.contract, "assert_signature"), f"assert_signature({contract_ref(s.contract)}, {m.name!r}, {owner})"]
        )

    def shown(owner: str) -> str:
        return "" if missing else f"\nprint(inspect.signature({owner}.{m.name}))  # contract: {m.signature_text()}"

    if s.head is not None:  # a product a factory made: built through the factory, as the checker did, and judged
        return f"import inspect\n{reproducer(s, {})}{shown('product')}\n{judged('product')}"
    module, name = s.import_path or (getattr(s.obj, "__module__", "__main__"), getattr(s.obj, "__qualname__", "target"))
    head = name.split(".")[0]
    if m.role == "constructor":
        return f"import inspect\nfrom {module} import {head}\nprint(inspect.signature({name}))  # contract: {m.signature_text()}\n{judged(name)}"
    if s.mode != "class":  # a factory: its members are judged on what it builds
        return f"import inspect\nfrom {module} import {head}\nbuilt = {name}(){shown('built')}\n{judged('built')}"
    return f"import inspect\nfrom {module} import {head}\nprint(inspect.signature({name}.{m.name}))  # contract: {m.signature_text()}\n{judged(name)}"


def assert_imports(contract: Contract, *helpers: str) -> tuple[str, ...]:
    """The imports a reproducer's ``assert_returns``/``assert_clause`` lines need."""
    proto = contract.protocol
    return (f"from interlock import {', '.join(sorted(helpers))}", f"from {proto.__module__} import {proto.__qualname__.split('.')[0]}")


def contract_ref(contract: Contract) -> str:
    """How a reproducer names the contract (imported by ``assert_imports``)."""
    return contract.protocol.__qualname__


def _caught(catches: tuple[type[BaseException], ...]) -> str:
    names = [e.__name__ if e.__module__ == "builtins" or "." not in e.__qualname__ else "Exception" for e in catches]
    return names[0] if len(names) == 1 else "(" + ", ".join(dict.fromkeys(names)) + ")"


def reproducer(
    subject: Subject,
    ctor_values: dict[str, Any],
    member: Member | None = None,
    values: dict[str, Any] | None = None,
    extra: list[str] | None = None,
    *,
    by_position: bool = False,
    result: bool = False,
    imports: tuple[str, ...] = (),
    reject: str | None = None,
    catches: tuple[type[BaseException], ...] = (ValueError, TypeError),
    before: tuple[str, ...] = (),
    uses: tuple[Any, ...] = (),
    receiver: str = "target",
    escapes: tuple[type[BaseException], ...] = (),
) -> str:
    """Self-contained Python that builds the target as the checker did and makes the failing call.

    ``result`` keeps the call's value as ``result`` for the ``extra`` lines (an ``assert`` on it); ``reject``
    wraps the call so the script fails with that message unless the call raises one of ``catches`` (by default
    ``ValueError`` or ``TypeError``) or, with ``escapes``, if the call raises one of those (an exception the
    contract allows, where what the target is compared with returned).
    """
    lines: list[str] = []
    protocols: list[type] = []
    for v in [*ctor_values.values(), *(values or {}).values(), *uses]:
        for spec in doubles_in(v):
            if spec.protocol not in protocols:
                protocols.append(spec.protocol)
    module, name = subject.import_path or (
        getattr(subject.obj, "__module__", "__main__"),
        getattr(subject.obj, "__qualname__", repr(subject.obj)),
    )
    is_async = member is not None and member.is_async
    if subject.head is not None:
        head_lines, head_protocols = subject.head
        protocols.extend(p for p in head_protocols if p not in protocols)
        is_async = is_async or any("asyncio.run" in line for line in head_lines)
    one_loop = any("await " in line for line in before)  # a sequence with async steps: one event loop, as checked
    if is_async or one_loop or any("asyncio.run" in line for line in before):
        lines.append("import asyncio")
    if protocols:
        lines.append("from interlock import double")
        for proto in protocols:
            lines.append(f"from {proto.__module__} import {proto.__qualname__.split('.')[0]}")
    head = name.split(".")[0]
    lines.append(f"from {module} import {head}")
    lines.extend(imports)
    if reject is not None:
        lines.extend(
            f"from {e.__module__} import {e.__qualname__}"
            for e in (escapes or catches)
            if e.__module__ != "builtins" and "." not in e.__qualname__
        )
    lines.extend(foreign_definitions([*ctor_values.values(), *(values or {}).values()]))

    def called(call: str) -> list[str]:
        text = (f"await {call}" if one_loop else f"asyncio.run({call})") if is_async else call
        if reject is not None and escapes:
            return [
                "try:",
                f"    {text}",
                f"except {_caught(escapes)} as error:",
                f"    raise AssertionError({reject!r}) from error",
            ]
        if reject is not None:
            return [
                "try:",
                f"    {text}",
                f"except {_caught(catches)}:",
                "    pass  # rejected, as the contract says"
                if catches == (ValueError, TypeError)
                else "    pass  # raised, as the contract allows",
                "else:",
                f"    raise AssertionError({reject!r})",
            ]
        return [f"result = {text}" if result else text]

    if subject.head is not None:
        lines.extend(subject.head[0])
        if member is None:
            lines.extend(extra or [])
            return "\n".join(lines)
        plan = subject.plans.get(member.name) or CallPlan(positional=0)
        margs, mkwargs = plan.split(member, values or {}, by_position=by_position)
        call = _call_text(f"product.{member.name}", margs, mkwargs)
        lines.extend(called(call))
        lines.extend(extra or [])
        return "\n".join(lines)
    build = build_text(subject, ctor_values)
    if member is not None and member.name == "__init__" and reject is not None:
        is_async = False
        lines.extend(called(build))
        return "\n".join(lines)
    if member is None or member.name == "__init__":
        lines.append(f"target = {build}" if extra else build)
        lines.extend(extra or [])
        return "\n".join(lines)
    start = len(lines)
    lines.append(f"target = {build}")
    lines.extend(before)
    plan = subject.plans.get(member.name) or CallPlan(positional=0)
    margs, mkwargs = plan.split(member, values or {}, by_position=by_position)
    call = _call_text(f"{receiver}.{member.name}", margs, mkwargs)
    lines.extend(called(call))
    lines.extend(extra or [])
    if one_loop:
        body = lines[start:]
        lines[start:] = ["async def main():", *(f"    {line}" for line in body), "asyncio.run(main())"]
    return "\n".join(lines)


def build_text(subject: Subject, ctor_values: dict[str, Any]) -> str:
    """How a reproducer builds the target from these values: ``Name(arg=..., ...)``."""
    _module, name = subject.import_path or (
        getattr(subject.obj, "__module__", "__main__"),
        getattr(subject.obj, "__qualname__", repr(subject.obj)),
    )
    _build_fn, args, kwargs = subject.build_call(ctor_values)
    return _call_text(name, args, kwargs)


def draw_double_fields(
    protocol: type, draw: Callable[[Any], Any], label: str, depth: int = 0, given: frozenset[str] = frozenset()
) -> DoubleSpec:
    """Draw a double's data fields in their domains, in one draw (nested Protocol fields become nested doubles).

    Fields named in ``given`` are left for the caller to set and not drawn.
    """
    fixed = _nothing_to_draw(protocol, given)
    if fixed is not None:  # every field is given or there are none: no draw, which costs
        return _label(fixed, label)
    return _label(draw(_fields_strategy(protocol, given, depth)), label)


def _nothing_to_draw(protocol: type, given: frozenset[str], depth: int = 0) -> _Unlabelled | None:
    """The double's fields when none needs drawing (nested doubles included), else None."""
    fields: list[tuple[str, Any]] = []
    for name, domain in _field_domains(protocol):
        if name in given:
            continue
        if strategy_for(domain) is not DOUBLE or depth >= 3:
            return None
        nested = _nothing_to_draw(domain.base, frozenset(), depth + 1)
        if nested is None:
            return None
        fields.append((name, nested))
    return _Unlabelled(protocol, tuple(fields))


class _Unlabelled:
    """A drawn double before it has a name: its protocol and fields."""

    __slots__ = ("fields", "protocol")

    def __init__(self, protocol: type, fields: tuple[tuple[str, Any], ...]) -> None:
        self.protocol = protocol
        self.fields = fields


def _label(drawn: _Unlabelled, label: str) -> DoubleSpec:
    fields = tuple((k, _label(v, f"{label}.{k}") if isinstance(v, _Unlabelled) else v) for k, v in drawn.fields)
    return DoubleSpec(drawn.protocol, label, fields)


_FIELD_STRATEGIES: dict[tuple[type, frozenset[str], int], Any] = {}


def _fields_strategy(protocol: type, given: frozenset[str], depth: int) -> Any:
    key = (protocol, given, depth)
    found = _FIELD_STRATEGIES.get(key)
    if found is not None:
        return found
    from hypothesis import strategies as st

    parts: list[Any] = []
    names: list[str] = []
    for name, domain in _field_domains(protocol):
        if name in given:
            continue
        strat = strategy_for(domain)
        if strat is DOUBLE:
            strat = _fields_strategy(domain.base, frozenset(), depth + 1) if depth < 3 else st.none()
        names.append(name)
        parts.append(strat)
    built = st.tuples(*parts).map(lambda values: _Unlabelled(protocol, tuple(zip(names, values, strict=True))))
    _FIELD_STRATEGIES[key] = built
    _FIELDS_OF[id(built)] = (built, protocol)
    return built


_FIELDS_OF: dict[int, tuple[Any, type]] = {}
"""The protocol each double-fields strategy draws for (by the strategy's id; the entry keeps it alive)."""


def plain_draw(value: Any) -> Any:
    """A drawn value as plain data for a reproducer: a double's drawn fields as a dict of them."""
    if isinstance(value, _Unlabelled):
        return {k: plain_draw(v) for k, v in value.fields}
    return value


def unplain_draw(strategy: Any, value: Any) -> Any:
    """``plain_draw`` undone for a value replayed into ``strategy``: a dict of fields back into a double's fields."""
    found = _FIELDS_OF.get(id(strategy))
    if found is None or found[0] is not strategy or not isinstance(value, dict):
        return value
    return _unplain_fields(found[1], value)


def _unplain_fields(protocol: type, value: dict[str, Any]) -> _Unlabelled:
    domains = dict(_field_domains(protocol))
    fields = []
    for k, v in value.items():
        domain = domains.get(k)
        nested = domain is not None and strategy_for(domain) is DOUBLE and isinstance(v, dict)
        fields.append((k, _unplain_fields(domain.base, v) if nested and domain is not None else v))
    return _Unlabelled(protocol, tuple(fields))


def double_strategy(protocol: type, label: str) -> Any:
    """Draws a double of ``protocol`` named ``label`` (its fields in their domains)."""
    return _fields_strategy(protocol, frozenset(), 0).map(lambda drawn: _label(drawn, label))


_FIELDS: dict[type, list[tuple[str, Any]]] = {}


def _field_domains(protocol: type) -> list[tuple[str, Any]]:
    found = _FIELDS.get(protocol)
    if found is None:
        found = [(name, read_domain(ann, f"{protocol.__qualname__}.{name}")) for name, ann in protocol_fields(protocol).items()]
        _FIELDS[protocol] = found
    return found


def is_protocol(tp: Any) -> bool:
    return isinstance(tp, type) and bool(getattr(tp, "_is_protocol", False)) and tp is not typing.Protocol
