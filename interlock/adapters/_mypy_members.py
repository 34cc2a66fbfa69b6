"""Reading members of a contract and of a target into signatures, from mypy's nodes and types only.

Nothing here imports interlock's runtime: mypy loads the plugin in its own
process, and the plugin must work from what mypy already knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mypy.erasetype import erase_typevars
from mypy.maptype import map_instance_to_supertype
from mypy.messages import format_type_bare
from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    ArgKind,
    Decorator,
    FuncDef,
    OverloadedFuncDef,
    SymbolNode,
    TypeInfo,
    Var,
)
from mypy.options import Options
from mypy.subtypes import find_member
from mypy.typeops import bind_self
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    ProperType,
    TupleType,
    Type,
    TypeOfAny,
    get_proper_type,
)
from mypy.typevars import fill_typevars_with_any

__all__ = [
    "Param",
    "Signature",
    "bound_init",
    "callable_of",
    "contract_members",
    "function_of",
    "instance_of",
    "is_method",
    "member_node",
    "signature",
]

# Dunder names a contract may declare; the runtime reads no other (see contracts/_declare.py).
KEPT_DUNDERS: Final = frozenset({"__init__", "__call__"})
_AWAITABLE: Final = "typing.Awaitable"


@dataclass(frozen=True)
class Param:
    """One parameter as a caller meets it.

    A positional-only parameter has no ``name``: its name is no part of the interface, and
    mypy does not keep it for a function read back from its cache.
    """

    name: str | None
    kind: ArgKind
    type: Type
    position: int

    @property
    def pos_only(self) -> bool:
        return self.name is None and self.kind.is_positional()

    @property
    def label(self) -> str:
        return f'parameter "{self.name}"' if self.name else f"positional parameter {self.position}"


@dataclass(frozen=True)
class Signature:
    """A member bound to its instance: parameters without ``self``, the awaited return type when async."""

    label: str
    params: tuple[Param, ...]
    ret: Type
    is_async: bool | None  # None: mypy cannot tell (an unannotated return)
    name: str
    first: str | None  # ``self`` or ``cls`` as the definition spells it, for display
    coroutine: bool  # an ``async def``, shown as one
    shown_ret: Type

    def text(self, options: Options) -> str:
        """The ``def`` line a reader recognises; rendered only for a message."""
        return _render("async def" if self.coroutine else "def", self.name, self.first, self.params, self.shown_ret, options)


def instance_of(info: TypeInfo) -> Instance:
    """An instance of ``info`` with ``Any`` for its type arguments."""
    inst = fill_typevars_with_any(info)
    return inst.partial_fallback if isinstance(inst, TupleType) else inst


def contract_members(info: TypeInfo) -> dict[str, SymbolNode]:
    """The members a contract declares, base protocols first, in declaration order, as the runtime reads them."""
    found: dict[str, SymbolNode] = {}
    for base in reversed(info.mro):
        if not base.is_protocol:
            continue
        for name, sym in base.names.items():
            node = sym.node
            if name.startswith("__") and name not in KEPT_DUNDERS:
                continue
            if isinstance(node, Var) and node.is_classvar:
                continue
            if isinstance(node, FuncDef | Decorator | OverloadedFuncDef | Var):
                found.pop(name, None)
                found[name] = node
    return found


def is_method(node: SymbolNode) -> bool:
    """Whether a contract member is a method (called) rather than a data member (read)."""
    if isinstance(node, Decorator):
        return not node.func.is_property
    if isinstance(node, OverloadedFuncDef):
        return not node.is_property
    return isinstance(node, FuncDef)


def member_node(info: TypeInfo, name: str) -> SymbolNode | None:
    """The node that defines ``name`` for instances of ``info`` (looked up along the MRO)."""
    sym = info.get(name)
    return sym.node if sym is not None else None


def callable_of(typ: Type) -> CallableType | None:
    """The signature a call meets, type variables read as ``Any``; None if it is not one callable.

    Type variables become ``Any`` so that a generic member is compared by shape, not by the
    identity of its type variables (mypy's own protocol check still unifies them).
    """
    p = get_proper_type(typ)
    if isinstance(p, CallableType):
        erased = erase_typevars(p)
        return erased if isinstance(erased, CallableType) else p
    if isinstance(p, Instance) and p.type.get("__call__") is not None:
        return callable_of(find_member("__call__", p, p) or AnyType(TypeOfAny.special_form))
    return None


def bound_init(info: TypeInfo) -> CallableType | None:
    """The ``__init__`` a class declares, ``self`` bound (mypy gives ``Any`` for ``__init__`` on an instance)."""
    func = function_of(member_node(info, "__init__"))
    if func is not None and isinstance(func.type, CallableType):
        init = erase_typevars(bind_self(func.type, instance_of(info)))
        return init if isinstance(init, CallableType) else None
    return None


def _awaited(typ: ProperType) -> Type | None:
    if isinstance(typ, Instance):
        for base in typ.type.mro:
            if base.fullname == _AWAITABLE:
                args = map_instance_to_supertype(typ, base).args
                return args[0] if args else AnyType(TypeOfAny.special_form)
    return None


def function_of(node: SymbolNode | None) -> FuncDef | None:
    """The function a member node defines, through its decorators; None for other members."""
    if isinstance(node, Decorator):
        return node.func
    return node if isinstance(node, FuncDef) else None


def signature(tp: CallableType, label: str, name: str, *, func: FuncDef | None = None, constructor: bool = False) -> Signature:
    """Read a bound callable (``self`` already dropped) into a ``Signature`` rendered as its ``def`` line.

    ``func`` is the member's own function, when known: a decorator's result type may have lost it.
    """
    defn = func if func is not None else tp.definition if isinstance(tp.definition, FuncDef) else None
    first = defn.original_first_arg if defn is not None and len(defn.arg_kinds) == len(tp.arg_kinds) + 1 else None
    params = tuple(Param(n, k, t, i + 1) for i, (n, k, t) in enumerate(zip(tp.arg_names, tp.arg_kinds, tp.arg_types, strict=True)))
    ret = get_proper_type(tp.ret_type)
    coroutine = defn is not None and defn.is_coroutine
    awaited = None if constructor else _awaited(ret)
    is_async: bool | None = awaited is not None or coroutine
    if constructor:
        is_async = None
        if defn is not None and defn.name == "__init__" and isinstance(defn.type, CallableType):
            ret = get_proper_type(defn.type.ret_type)
    elif isinstance(ret, AnyType) and not coroutine:
        is_async = None
    ret_t = awaited if awaited is not None else ret
    return Signature(label, params, ret_t, is_async, name, first, coroutine, ret_t if coroutine else ret)


def _render(keyword: str, name: str, first: str | None, params: tuple[Param, ...], ret: Type, options: Options) -> str:
    parts: list[str] = [first] if first else []
    starred = False
    for i, p in enumerate(params):
        if p.kind.is_named() and not starred:
            parts.append("*")
            starred = True
        prefix = "*" if p.kind == ARG_STAR else "**" if p.kind == ARG_STAR2 else ""
        starred = starred or p.kind == ARG_STAR
        typ = get_proper_type(p.type)
        untyped = isinstance(typ, AnyType) and typ.type_of_any == TypeOfAny.unannotated
        shown = format_type_bare(p.type, options)
        text = f"{prefix}{p.name}" if p.name else shown
        if p.name and not untyped:
            text += f": {shown}"
        if p.kind.is_optional():
            text += "=..." if untyped else " = ..."
        parts.append(text)
        if p.pos_only and (i + 1 == len(params) or not params[i + 1].pos_only):
            parts.append("/")
    return f"{keyword} {name}({', '.join(parts)}) -> {format_type_bare(ret, options)}"
