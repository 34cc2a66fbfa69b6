"""The mypy plugin: every implementation checked against its contract's signatures while mypy runs.

mypy matches a class against a ``Protocol`` without looking at parameter names,
and only where the class is used as that protocol. This plugin compares, member
by member, every class declared with ``@interlock.implements(C)`` or
``interlock.register(C, X)``, and every value of a class used where a contract
type is expected (see docs/mypy.md for exactly where). Enable it with
``plugins = ["interlock.mypy"]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import Final

from mypy.erasetype import erase_typevars
from mypy.nodes import (
    CallExpr,
    ClassDef,
    Context,
    Decorator,
    FuncDef,
    OverloadedFuncDef,
    RefExpr,
    SymbolNode,
    TypeInfo,
    Var,
)
from mypy.plugin import (
    CheckerPluginInterface,
    ClassDefContext,
    FunctionContext,
    MethodContext,
    Plugin,
)
from mypy.subtypes import is_subtype
from mypy.types import (
    CallableType,
    Instance,
    Overloaded,
    Type,
    TypeType,
    UnionType,
    get_proper_type,
)

from interlock.adapters._mypy_compare import (
    ASYNC,
    DRIFT,
    MISSING,
    SIGNATURE,
    TYPE,
    compare,
    constructor_name,
)
from interlock.adapters._mypy_members import callable_of, instance_of

__all__ = ["ASYNC", "DRIFT", "MISSING", "SIGNATURE", "TYPE", "InterlockPlugin", "plugin"]

CONTRACT_DECORATORS: Final = frozenset({"interlock.contracts._declare.contract"})
IMPLEMENTS_DECORATORS: Final = frozenset({"interlock.contracts._declare.implements"})
REGISTER_FUNCTIONS: Final = frozenset({"interlock.contracts._declare.register"})
# ``implements(C)`` returns a decorator; the plugin names it after C so that mypy calls the
# plugin back when the decorator is applied. The parenthesis keeps it apart from any real name.
_APPLY: Final = "interlock.contracts._declare.implements("
METADATA_KEY: Final = "interlock"
# Constructors of these modules are never implementations, and mypy's default plugin hooks some.
_SKIPPED_MODULES: Final = frozenset(sys.stdlib_module_names) | {"builtins", "_typeshed", "typing_extensions"}

_Hook = Callable[[FunctionContext | MethodContext], Type]


class InterlockPlugin(Plugin):
    """Reports drift between interlock contracts and their implementations (codes ``interlock-*``)."""

    def get_class_decorator_hook_2(self, fullname: str) -> Callable[[ClassDefContext], bool] | None:
        if fullname in CONTRACT_DECORATORS:
            return _mark_contract
        if fullname in IMPLEMENTS_DECORATORS:
            return _mark_implementation
        return None

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if fullname in IMPLEMENTS_DECORATORS:
            return _name_decorator
        if fullname.startswith(_APPLY):
            return partial(self._check_declared, fullname[len(_APPLY) : -1])
        if fullname in REGISTER_FUNCTIONS:
            return self._check_registered
        return self._use_site(fullname)

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return self._use_site(fullname)

    # ---- declarations: @implements(C) and register(C, X) -------------------------------------

    def _check_declared(self, contract: str, ctx: FunctionContext) -> Type:
        """``implements(C)`` applied to a class or a factory: ``ctx.arg_types`` holds the target."""
        sym = self.lookup_fully_qualified(contract)
        if sym is not None and isinstance(sym.node, TypeInfo) and ctx.arg_types and ctx.arg_types[0]:
            here = ctx.context if isinstance(ctx.context, ClassDef) else None
            _check_target(ctx.api, sym.node, ctx.arg_types[0][0], ctx.context, here)
        return ctx.default_return_type

    def _check_registered(self, ctx: FunctionContext) -> Type:
        if len(ctx.arg_types) >= 2 and ctx.arg_types[0] and ctx.arg_types[1]:
            contract = _class_of(ctx.arg_types[0][0])
            target = _class_of(ctx.arg_types[1][0])
            if contract is not None and (target is None or contract.fullname not in _declared(target)):
                _check_target(ctx.api, contract, ctx.arg_types[1][0], ctx.context, None)
        return ctx.default_return_type

    # ---- uses: a value passed, assigned or returned where a contract type is expected ---------

    def _use_site(self, fullname: str) -> _Hook | None:
        if fullname.partition(".")[0] in _SKIPPED_MODULES:  # most calls, and never a contract's user
            return None
        sym = self.lookup_fully_qualified(fullname)
        node = sym.node if sym is not None else None
        if isinstance(node, TypeInfo):
            if node.is_protocol:
                return None
            init = node.get("__init__")
            return partial(_check_construction, _formals(init.node if init is not None else None))
        formals = _formals(node)
        if any(_contracts_in(t) for t in formals):
            return partial(_check_arguments, formals)
        return None


def plugin(version: str) -> type[Plugin]:
    """The entry point mypy calls with its version string; the same plugin serves every version."""
    return InterlockPlugin


# ---- semantic analysis: remember what is a contract and what implements one ----------------------


def _mark_contract(ctx: ClassDefContext) -> bool:
    ctx.cls.info.metadata.setdefault(METADATA_KEY, {})["contract"] = True
    return True


def _mark_implementation(ctx: ClassDefContext) -> bool:
    reason = ctx.reason
    if isinstance(reason, CallExpr) and reason.args and isinstance(reason.args[0], RefExpr):
        node = reason.args[0].node
        if isinstance(node, TypeInfo):
            declared = ctx.cls.info.metadata.setdefault(METADATA_KEY, {}).setdefault("implements", [])
            if node.fullname not in declared:
                declared.append(node.fullname)
    return True


def _declared(info: TypeInfo) -> list[str]:
    found: list[str] = info.metadata.get(METADATA_KEY, {}).get("implements", [])
    return found


def _contracts_in(typ: Type | None) -> list[Instance]:
    """The contract types ``typ`` names: itself, or the members of a union (``Greeter | None``)."""
    p = get_proper_type(typ)
    items = [get_proper_type(t) for t in p.items] if isinstance(p, UnionType) else [p]
    return [t for t in items if isinstance(t, Instance) and t.type.metadata.get(METADATA_KEY, {}).get("contract")]


# ---- type checking ------------------------------------------------------------------------------


def _name_decorator(ctx: FunctionContext) -> Type:
    ret = get_proper_type(ctx.default_return_type)
    contract = _class_of(ctx.arg_types[0][0]) if ctx.arg_types and ctx.arg_types[0] else None
    if isinstance(ret, CallableType) and contract is not None:
        return ret.copy_modified(name=f"{_APPLY}{contract.fullname})")
    return ctx.default_return_type


def _class_of(typ: Type) -> TypeInfo | None:
    """The class a class object stands for (``Greeter`` as a value), or None."""
    p = get_proper_type(typ)
    if isinstance(p, CallableType | Overloaded) and p.is_type_obj():
        return p.type_object()
    if isinstance(p, TypeType) and isinstance(p.item, Instance):
        return p.item.type
    return None


def _check_target(api: CheckerPluginInterface, contract: TypeInfo, typ: Type, context: Context, here: ClassDef | None) -> None:
    """Compare a class (built through its constructor) or a factory (through its result) with ``contract``."""
    if not contract.is_protocol:
        return
    p = get_proper_type(typ)
    cls = _class_of(p)
    if cls is not None:
        product = instance_of(cls)
        ctor = callable_of(p) if isinstance(p, CallableType) else None
        label = f"{cls.name}.{constructor_name(p)}" if isinstance(p, CallableType) else ""
    elif isinstance(p, CallableType) and isinstance(ret := get_proper_type(erase_typevars(p.ret_type)), Instance):
        # A factory without parameters builds with dependencies of its own: no constructor clause applies.
        product, ctor, label = ret, callable_of(p) if p.arg_types else None, constructor_name(p)
    else:
        return
    for finding in compare(contract, product, api.options, constructor=ctor, ctor_label=label):
        where = _member_context(cls, finding.member, here) or context
        api.fail(finding.message, where, code=finding.code)


def _member_context(cls: TypeInfo | None, member: str, here: ClassDef | None) -> Context | None:
    """The member's own line, when the class being declared defines it there."""
    if here is None or cls is None or member not in cls.names:
        return None
    node = cls.names[member].node
    if isinstance(node, Decorator):
        return node.func
    if isinstance(node, FuncDef | OverloadedFuncDef | Var) and node.line > 0:
        return node
    return None


def _formals(node: SymbolNode | None) -> list[Type]:
    """The parameter types of a function, a method or a constructor (``self`` included).

    For a decorated function, the decorated type mypy inferred; none while it is not inferred yet.
    """
    typ = node.var.type if isinstance(node, Decorator) else node.type if isinstance(node, FuncDef) else None
    return list(typ.arg_types) if isinstance(typ, CallableType) else []


def _constructs(expr: object) -> bool:
    """A call of a class: checked with its type context instead (see ``_check_construction``)."""
    return isinstance(expr, CallExpr) and isinstance(expr.callee, RefExpr) and isinstance(expr.callee.node, TypeInfo)


def _check_arguments(formals: list[Type], ctx: FunctionContext | MethodContext) -> Type:
    """Each argument whose parameter has a contract type; ``formals`` may still hold ``self``."""
    n = len(ctx.arg_types)
    if n <= len(formals):
        for formal, exprs, actuals in zip(formals[len(formals) - n :], ctx.args, ctx.arg_types, strict=True):
            contracts = _contracts_in(formal)
            for expr, actual in zip(exprs, actuals, strict=False):
                if contracts and not _constructs(expr):
                    _check_use(ctx.api, actual, contracts, expr)
    return ctx.default_return_type


def _check_construction(formals: list[Type], ctx: FunctionContext | MethodContext) -> Type:
    """``X(...)`` where mypy expects a contract from the context (an annotated assignment, an argument, an item).

    Not a ``return``: mypy checks a returned expression again without its context when the
    first check reports an error, and keeps that result (see docs/mypy.md).
    """
    _check_arguments(formals, ctx)
    stack = ctx.api.type_context
    contracts = _contracts_in(stack[-1]) if stack and stack[-1] is not None else []
    if contracts:
        _check_use(ctx.api, ctx.default_return_type, contracts, ctx.context)
    return ctx.default_return_type


def _check_use(api: CheckerPluginInterface, actual: Type, contracts: list[Instance], context: Context) -> None:
    p = get_proper_type(actual)
    if not isinstance(p, Instance) or p.type.is_protocol:
        return
    for contract in contracts:
        # A declared implementation was compared where it was declared; a value that mypy already
        # rejects gets mypy's own error.
        if contract.type.fullname in _declared(p.type) or not is_subtype(p, contract):
            continue
        for finding in compare(contract.type, p, api.options):
            api.fail(finding.message, context, code=finding.code)
