"""The declaration API: ``@contract``, ``@implements``, ``register`` and the clause decorators."""

from __future__ import annotations

import enum
import inspect
import re
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast, overload

import attrs

from interlock.contracts._domain import Domain, read_domain
from interlock.contracts._model import (
    KINDS,
    Clause,
    Comparable,
    Contract,
    Draws,
    Ensures,
    Kind,
    Member,
    Parameter,
    Raises,
    ReportsFailure,
    Requires,
    Role,
    Rule,
    Scenario,
)
from interlock.errors import ContractDefinitionError

__all__ = [
    "comparable",
    "contract",
    "draws",
    "ensures",
    "get_contract",
    "implementations",
    "implements",
    "is_contract",
    "raises",
    "register",
    "registrations",
    "relax",
    "reports_failure",
    "requires",
    "scenario",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_C = TypeVar("_C", bound=type)
_T = TypeVar("_T")

_PENDING = "__interlock_pending__"
_RELAXED = "__interlock_relaxed__"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_CONTRACTS: weakref.WeakKeyDictionary[type, Contract] = weakref.WeakKeyDictionary()
_IMPLEMENTATIONS: weakref.WeakKeyDictionary[type, list[object]] = weakref.WeakKeyDictionary()

# Types the checker draws itself; anything else must be a Protocol, an Enum, a Literal,
# a type Hypothesis can resolve, or a type the contract names a strategy for.
_SCALARS: frozenset[Any] = frozenset({str, int, float, bool, bytes, type(None), object, Any, complex})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pending(fn: Callable[..., Any]) -> list[tuple[str, Callable[[str], Clause]]]:
    target = fn.__func__ if isinstance(fn, staticmethod | classmethod) else fn
    lst: list[tuple[str, Callable[[str], Clause]]] | None = target.__dict__.get(_PENDING)
    if lst is None:
        lst = []
        setattr(target, _PENDING, lst)
    return lst


def _wants(fn: Callable[..., object], allowed: Iterable[str] | None = None) -> frozenset[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(params)


def _kinds(kinds: str | Iterable[str], default: tuple[Kind, ...]) -> tuple[Kind, ...]:
    if not kinds:
        return default
    out: list[Kind] = []
    for k in (kinds,) if isinstance(kinds, str) else tuple(kinds):
        if k not in KINDS:
            raise ContractDefinitionError(f"kind {k!r} is not a violation kind; expected one of {', '.join(KINDS)}")
        out.append(k)
    return tuple(out)


def _add(fn: _F, what: str, make: Callable[[str], Clause]) -> _F:
    _pending(fn).insert(0, (what, make))
    return fn


# ---- member clauses ---------------------------------------------------------------------


def ensures(
    predicate: Callable[..., object], *, id: str | None = None, text: str = "", kind: str | Iterable[str] = ()
) -> Callable[[_F], _F]:
    """Declare a postcondition on a member: ``predicate`` must hold after every successful call.

    The predicate names what it needs: any of the member's parameters, ``result``
    (the awaited return value) and ``target`` (the instance). It returns a truthy
    value, or raises ``AssertionError`` with a message.
    """
    wants = _wants(predicate)
    kinds = _kinds(kind, ("postcondition",))

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            cid = id or _default_id(member, predicate, "ensures")
            return Clause(cid, text or _doc(predicate) or f"{member}: {cid}", kinds, member, Ensures(predicate, wants))

        return _add(fn, "ensures", make)

    return deco


def raises(
    *exceptions: type[BaseException],
    when: Callable[..., object] | None = None,
    id: str | None = None,
    text: str = "",
) -> Callable[[_F], _F]:
    """Declare exceptions a member may raise for an in-domain input (only ``when`` it holds, if given)."""
    if not exceptions or not all(isinstance(e, type) and issubclass(e, BaseException) for e in exceptions):
        raise ContractDefinitionError(f"raises() takes exception types (got {exceptions!r})")
    wants = _wants(when) if when is not None else frozenset()

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            names = ", ".join(e.__name__ for e in exceptions)
            cid = id or f"{_slug(member)}-may-raise"
            return Clause(cid, text or f"{member} may raise {names}", ("unexpected-exception",), member, Raises(exceptions, when, wants))

        return _add(fn, "raises", make)

    return deco


def reports_failure(
    predicate: Callable[[Any], object],
    *,
    id: str | None = None,
    text: str = "",
    kind: str | Iterable[str] = (),
) -> Callable[[_F], _F]:
    """Declare that a member reports bad input in its return value instead of raising.

    ``predicate(result)`` is true for a failure value. Such a member never raises:
    raising on any input breaks this clause.
    """
    kinds = _kinds(kind, ("unexpected-exception",))

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            cid = id or f"{_slug(member)}-never-raises"
            desc = text or f"{member} never raises; it reports failure in its return value"
            return Clause(cid, desc, kinds, member, ReportsFailure(predicate))

        return _add(fn, "reports_failure", make)

    return deco


def draws(
    parameter: str,
    strategy: Any = None,
    *,
    values: Iterable[Any] | None = None,
    contains: Callable[[Any], object] | None = None,
    outside: type[BaseException] | tuple[type[BaseException], ...] | None = None,
    id: str | None = None,
    text: str = "",
) -> Callable[[_F], _F]:
    """Narrow what generation draws for ``parameter``: a Hypothesis ``strategy`` or a set of ``values``.

    With ``outside=ValueError`` the rest of the annotation's domain must be rejected
    with that exception; ``contains`` tells what is inside (``values`` implies it).
    """
    from hypothesis import strategies as st

    if (strategy is None) == (values is None):
        raise ContractDefinitionError(f"draws({parameter!r}) takes a strategy or values=, exactly one")
    if values is not None:
        vals = tuple(values)
        if not vals:
            raise ContractDefinitionError(f"draws({parameter!r}, values=()) has no values to draw")
        strategy = st.sampled_from(vals)
        if contains is None:
            contains = vals.__contains__
    if outside is not None and contains is None:
        raise ContractDefinitionError(f"draws({parameter!r}, outside=...) needs contains= or values= to tell what is inside")
    outs: tuple[type[BaseException], ...] = () if outside is None else (outside if isinstance(outside, tuple) else (outside,))

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            cid = id or f"{_slug(member)}-{_slug(parameter)}-domain"
            desc = text or f"{member}: {parameter} is drawn from a narrower domain" + (
                f"; the rest raises {', '.join(e.__name__ for e in outs)}" if outs else ""
            )
            return Clause(cid, desc, ("unexpected-exception",), member, Draws(parameter, strategy, contains, outs))

        return _add(fn, "draws", make)

    return deco


def requires(predicate: Callable[..., object], *, id: str | None = None, text: str = "") -> Callable[[_F], _F]:
    """Declare a precondition: only arguments for which ``predicate`` holds are generated."""
    wants = _wants(predicate)

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            cid = id or _default_id(member, predicate, "requires")
            return Clause(
                cid, text or _doc(predicate) or f"{member} requires {cid}", ("unexpected-exception",), member, Requires(predicate, wants)
            )

        return _add(fn, "requires", make)

    return deco


def comparable(projection: Callable[[Any], object] | None = None, *, id: str | None = None, text: str = "") -> Callable[[_F], _F]:
    """Declare that two targets' results of this member must agree (through ``projection``, if given).

    ``@comparable`` without parentheses is ``@comparable()``: a projection takes a result, never ``self``.
    """
    if projection is not None and _is_member(projection):
        member_fn: Any = projection
        return cast("Callable[[_F], _F]", comparable(id=id, text=text)(member_fn))

    def deco(fn: _F) -> _F:
        def make(member: str) -> Clause:
            cid = id or f"{_slug(member)}-agrees"
            return Clause(
                cid, text or f"implementations of {member} agree on every input", ("differential",), member, Comparable(projection)
            )

        return _add(fn, "comparable", make)

    return deco


def _is_member(fn: Any) -> bool:
    """Whether ``fn`` is a contract's method (an ``async def``, or a first parameter ``self``), not a clause's callable."""
    if inspect.iscoroutinefunction(fn):
        return True
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return False
    return bool(params) and params[0] == "self"


def relax(*parameters: str) -> Callable[[_F], _F]:
    """Relax the strict-input default for these parameters (all of the member's, if none named)."""

    def deco(fn: _F) -> _F:
        target = fn.__func__ if isinstance(fn, staticmethod | classmethod) else fn
        setattr(target, _RELAXED, frozenset(parameters) or frozenset({"*"}))
        return fn

    return deco


def _default_id(member: str, fn: Callable[..., object], what: str) -> str:
    name = getattr(fn, "__name__", "<lambda>")
    if name == "<lambda>" or name.startswith("_"):
        raise ContractDefinitionError(
            f"{member}: the {what}() clause is given a lambda, so it needs id= (a short slug such as 'greeting-names-the-person')"
        )
    return _slug(name)


def _doc(fn: Callable[..., object]) -> str:
    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else ""


# ---- the contract -----------------------------------------------------------------------


@overload
def contract(cls: _C, /) -> _C: ...
@overload
def contract(*, strict_inputs: bool = True, strategies: Mapping[Any, Any] | None = None, reference: Any = None) -> Callable[[_C], _C]: ...
def contract(
    cls: _C | None = None, /, *, strict_inputs: bool = True, strategies: Mapping[Any, Any] | None = None, reference: Any = None
) -> _C | Callable[[_C], _C]:
    """Turn a ``typing.Protocol`` into a contract; malformed ones raise ``ContractDefinitionError``.

    ``strict_inputs=False`` relaxes the strict-input default for the whole contract;
    ``strategies`` names a Hypothesis strategy for each type the checker cannot draw;
    ``reference`` is the implementation (or model) every check compares its targets with, unless the check names
    another or none: a class or factory, or its import path ``package.module:Name`` (imported when a check needs it).
    """
    if reference is not None and not isinstance(reference, str) and not callable(reference):
        raise ContractDefinitionError(f"reference={reference!r} is neither a class or factory nor an import path 'package.module:Name'")

    def deco(c: _C) -> _C:
        model = build_contract(c, strict_inputs=strict_inputs, strategies=dict(strategies or {}))
        _CONTRACTS[c] = attrs.evolve(model, reference=reference) if reference is not None else model
        return c

    return deco(cls) if cls is not None else deco


def is_contract(obj: object) -> bool:
    """Whether ``obj`` is a Protocol declared with ``@interlock.contract``."""
    return isinstance(obj, type) and obj in _CONTRACTS


def get_contract(obj: object) -> Contract:
    """The contract model of a declared contract (a plain Protocol is read on the fly)."""
    if isinstance(obj, Contract):
        return obj
    if isinstance(obj, type):
        found = _CONTRACTS.get(obj)
        if found is not None:
            return found
        if getattr(obj, "_is_protocol", False):
            model = build_contract(obj, strict_inputs=True, strategies={})
            _CONTRACTS[obj] = model
            return model
    raise ContractDefinitionError(f"{obj!r} is not a contract: declare it as a typing.Protocol decorated with @interlock.contract")


def implements(contract_type: type) -> Callable[[_T], _T]:
    """Record that the decorated class implements ``contract_type`` (the pytest plugin and mypy read it)."""
    get_contract(contract_type)

    def deco(target: _T) -> _T:
        register(contract_type, target)
        return target

    return deco


def register(contract_type: type, target: _T) -> _T:
    """Record ``target`` (a class or a factory) as an implementation of ``contract_type``."""
    get_contract(contract_type)
    found = _IMPLEMENTATIONS.setdefault(contract_type, [])
    if target not in found:
        found.append(target)
    return target


def implementations(contract_type: type) -> list[object]:
    """The targets recorded for ``contract_type``, in the order they were recorded."""
    return list(_IMPLEMENTATIONS.get(contract_type, ()))


def registrations() -> dict[type, list[object]]:
    """Every contract with implementations recorded so far, and those implementations (a copy)."""
    return {contract: list(found) for contract, found in _IMPLEMENTATIONS.items()}


def scenario(
    contract_type: type,
    *,
    id: str,
    text: str = "",
    kind: str | Iterable[str] = (),
    examples: int | None = None,
    needs_doubles: bool = True,
    compare: bool = False,
) -> Callable[[_F], _F]:
    """Add a scenario clause to a declared contract: an ``async def`` driven with a ``Harness``.

    The function receives the harness (``h.build()``, ``h.call(...)``, ``h.draw(...)``,
    ``h.double(...)``, ``h.fail(...)``) and runs once per generated example.
    With ``compare=True`` it returns an observation, and every target is run on
    the same drawn example: targets whose observations differ get ``differential``.

    Stacked on one function, several ``scenario`` decorators make one walk judge
    several clauses: each example runs the function once, and every ``h.check``
    and ``h.fail`` names the clause it judges with ``clause=``. The clauses are
    listed in the order the decorators are written.
    """
    kinds = _kinds(kind, ("differential",) if compare else ("postcondition",))

    def deco(fn: _F) -> _F:
        if not inspect.iscoroutinefunction(fn):
            raise ContractDefinitionError(f"scenario {id!r}: {fn!r} must be an async def taking the harness")
        model = get_contract(contract_type)
        rule = Scenario(fn, needs_doubles, examples, compare)
        clause = Clause(id, text or _doc(fn) or id, kinds, None, rule)
        sharing = [i for i, c in enumerate(model.clauses) if isinstance(c.rule, Scenario) and c.rule.function is fn]
        if sharing:
            first = model.clauses[sharing[0]]
            assert isinstance(first.rule, Scenario)
            if compare or first.rule.compare:
                raise ContractDefinitionError(f"scenario {id!r}: a comparing scenario judges one clause; give it a function of its own")
            if (first.rule.needs_doubles, first.rule.examples) != (needs_doubles, examples):
                raise ContractDefinitionError(
                    f"scenario {id!r}: the clauses one function judges share its examples= and needs_doubles= ({first.id!r} has other ones)"
                )
            # the outer decorator runs last: put its clause before the ones written below it
            clauses = (*model.clauses[: sharing[0]], clause, *model.clauses[sharing[0] :])
        else:
            clauses = (*model.clauses, clause)
        _check_ids(contract_type, clauses)
        _CONTRACTS[contract_type] = _evolve(model, clauses=clauses)
        return fn

    return deco


def _evolve(model: Contract, **changes: Any) -> Contract:
    import attrs

    return attrs.evolve(model, **changes)


def _check_ids(where: type, clauses: Iterable[Clause]) -> None:
    seen: set[str] = set()
    for c in clauses:
        if not _SLUG.match(c.id):
            raise ContractDefinitionError(f"{where.__qualname__}: clause id {c.id!r} must be a short slug of a-z, 0-9 and '-'")
        if c.id in seen:
            raise ContractDefinitionError(f"{where.__qualname__}: clause id {c.id!r} is used twice; ids are unique within a contract")
        seen.add(c.id)


# ---- reading a Protocol ---------------------------------------------------------------------

_SKIP = frozenset(
    {
        "__init_subclass__",
        "__class_getitem__",
        "__subclasshook__",
        "__weakref__",
        "__dict__",
        "__module__",
        "__qualname__",
        "__doc__",
        "__annotations__",
        "__parameters__",
        "__orig_bases__",
        "__abstractmethods__",
        "__protocol_attrs__",
        "__non_callable_proto_members__",
        "__slots__",
        "__static_attributes__",
        "__firstlineno__",
        "__type_params__",
        "__annotate__",
    }
)


def build_contract(cls: type, *, strict_inputs: bool, strategies: dict[Any, Any]) -> Contract:
    """Read a Protocol into a Contract; every problem raises ContractDefinitionError naming the member."""
    if not isinstance(cls, type) or not getattr(cls, "_is_protocol", False):
        raise ContractDefinitionError(
            f"{getattr(cls, '__qualname__', cls)!r} is not a typing.Protocol: write 'class {getattr(cls, '__name__', 'X')}(Protocol): ...'"
        )
    members: list[Member] = []
    clauses: list[Clause] = []
    seen: set[str] = set()
    for base in reversed(cls.__mro__):
        if base in (object, typing.Protocol, typing.Generic) or not getattr(base, "_is_protocol", False):
            continue
        base_hints = _hints(base, base, cls)
        for name, value in base.__dict__.items():
            if name in _SKIP or name.startswith("_abc_") or name in ("_is_protocol", "_is_runtime_protocol"):
                continue
            if name.startswith("__") and name not in ("__init__", "__call__") and not declared_dunder(base, name, value):
                continue
            member, member_clauses = _read_member(cls, name, value, strategies)
            if member is None:
                continue
            if name in seen:
                members = [m for m in members if m.name != name]
                clauses = [c for c in clauses if c.member != name]
            seen.add(name)
            members.append(member)
            clauses.extend(member_clauses)
        for name, ann in base_hints.items():
            if name in seen or name.startswith("__") or typing.get_origin(ann) is typing.ClassVar:
                continue
            if name in base.__dict__ and callable(base.__dict__[name]):
                continue
            domain = _domain(ann, f"{cls.__qualname__}.{name}", strategies)
            members.append(Member(name=name, role="attribute", returns=ann, returns_domain=domain))
            seen.add(name)
    if not members:
        raise ContractDefinitionError(f"{cls.__qualname__} declares no members: a contract needs at least one method or attribute")
    members.sort(key=lambda m: (m.role != "constructor",))
    _check_ids(cls, clauses)
    return Contract(protocol=cls, members=tuple(members), clauses=tuple(clauses), strict_inputs=strict_inputs, strategies=strategies)


_LIFECYCLE = frozenset({"__init__", "__new__", "__del__", "__getattr__", "__getattribute__", "__setattr__", "__delattr__"})
"""Special methods that make, unmake or look into the object itself: the constructor clause covers ``__init__``,
and the rest are how an object works, not what it offers its callers."""


def declared_dunder(owner: type, name: str, value: Any) -> bool:
    """Whether a dunder in a Protocol's body is one its author wrote (``__len__``), not one Python or typing added."""
    fn = value.__func__ if isinstance(value, staticmethod | classmethod) else value
    if not (name.startswith("__") and name.endswith("__")) or name in _LIFECYCLE or not inspect.isfunction(fn):
        return False
    return fn.__qualname__ == f"{owner.__qualname__}.{name}" and fn.__module__ == owner.__module__


def _hints(owner: type, fn_or_cls: Any, contract_cls: type, name: str = "") -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn_or_cls, include_extras=True)
    except Exception as exc:  # NameError for an unresolved forward reference, among others
        where = f"{contract_cls.__qualname__}.{name or getattr(fn_or_cls, '__name__', '')}"
        raise ContractDefinitionError(f"{where}: cannot resolve its annotations ({type(exc).__name__}: {exc})") from None


def _read_member(cls: type, name: str, value: Any, strategies: dict[Any, Any]) -> tuple[Member | None, list[Clause]]:
    where = f"{cls.__qualname__}.{name}"
    if isinstance(value, property):
        if value.fget is None:
            return None, []
        hints = _hints(cls, value.fget, cls, name)
        if "return" not in hints:
            raise ContractDefinitionError(f"{where}: the property has no return annotation; annotate it (-> str)")
        ann = hints["return"]
        return Member(name=name, role="attribute", returns=ann, returns_domain=_domain(ann, where, strategies)), []
    fn = value.__func__ if isinstance(value, staticmethod | classmethod) else value
    if not inspect.isfunction(fn) or fn.__name__ in ("_no_init_or_replace_init", "_no_init"):
        return None, []
    if fn.__module__ == __name__ and fn.__qualname__.endswith(".<locals>.deco"):
        maker = fn.__qualname__.split(".")[0]
        raise ContractDefinitionError(
            f"{where}: is what @interlock.{maker} returns, not a method: {maker}() takes its arguments first "
            f"(@interlock.{maker}(...) above the def)"
        )
    role: Role = "constructor" if name == "__init__" else "method"
    sig = inspect.signature(fn)
    hints = _hints(cls, fn, cls, name)
    params: list[Parameter] = []
    plist = list(sig.parameters.values())
    if not isinstance(value, staticmethod):
        plist = plist[1:]
    relaxed: frozenset[str] = fn.__dict__.get(_RELAXED, frozenset())
    for p in plist:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise ContractDefinitionError(f"{where}: *{p.name} cannot be checked; a contract names every parameter it accepts")
        if p.name not in hints:
            raise ContractDefinitionError(f"{where}: parameter {p.name!r} has no annotation; annotate it (its type is its domain)")
        domain = _domain(hints[p.name], f"{where}({p.name})", strategies)
        params.append(Parameter(p.name, p.kind, p.default, hints[p.name], domain))
    if "*" in relaxed:
        relaxed = frozenset(p.name for p in params)
    unknown = relaxed - {p.name for p in params}
    if unknown:
        raise ContractDefinitionError(f"{where}: relax() names {sorted(unknown)!r}, which are not its parameters")
    if "return" not in hints and role != "constructor":
        raise ContractDefinitionError(f"{where}: no return annotation; annotate it (-> None if it returns nothing)")
    returns = hints.get("return", type(None))
    returns_domain = None if role == "constructor" else _domain(returns, f"{where} -> return", strategies, returning=True)
    line = fn.__code__.co_firstlineno
    member = Member(
        name=name,
        role=role,
        is_async=inspect.iscoroutinefunction(fn),
        parameters=tuple(params),
        returns=returns,
        returns_domain=returns_domain,
        relaxed=relaxed,
        line=line,
    )
    clauses = []
    names = {p.name for p in params}
    for what, make in fn.__dict__.get(_PENDING, []):
        clause = make(name)
        rule: Rule = clause.rule
        if isinstance(rule, Draws) and rule.parameter not in names:
            raise ContractDefinitionError(f"{where}: {what}({rule.parameter!r}) names no parameter of {name}")
        if isinstance(rule, Ensures | Requires | Raises):
            extra = rule.wants - names - {"result", "target"}
            if (extra and what != "raises") or (what == "raises" and extra - {"exception"}):
                raise ContractDefinitionError(
                    f"{where}: the {what}() predicate asks for {sorted(extra)!r}; it may ask for parameters, 'target'"
                    + (" and 'exception'" if what == "raises" else " and 'result'")
                )
        if isinstance(rule, ReportsFailure) and role == "constructor":
            raise ContractDefinitionError(f"{where}: a constructor cannot report failure in a return value")
        clauses.append(clause)
    return member, clauses


def _domain(annotation: Any, where: str, strategies: dict[Any, Any], *, returning: bool = False) -> Domain:
    try:
        domain = read_domain(annotation, where)
    except ValueError as exc:
        raise ContractDefinitionError(str(exc)) from None
    if not returning:
        _check_drawable(domain.base, where, strategies)
    return domain


def _check_drawable(tp: Any, where: str, strategies: dict[Any, Any]) -> None:
    if tp in strategies or tp in _SCALARS:
        return
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        _check_drawable(typing.get_args(tp)[0], where, strategies)
        return
    if origin is typing.Literal:
        return
    if origin is not None:
        for arg in typing.get_args(tp):
            if arg is not Ellipsis:
                _check_drawable(read_domain(arg, where).base, where, strategies)
        return
    if isinstance(tp, type):
        if getattr(tp, "_is_protocol", False) or issubclass(tp, enum.Enum):
            return
        if tp in (list, dict, set, frozenset, tuple):
            return
        from hypothesis import strategies as st

        try:
            st.from_type(tp).validate()
            return
        except Exception:
            pass
    raise ContractDefinitionError(
        f"{where}: the checker cannot draw values of {tp!r}; name a strategy for it: "
        f"@interlock.contract(strategies={{{getattr(tp, '__name__', tp)}: st.builds(...)}})"
    )
