"""Comparing a target with a contract, member by member: one finding per drifting member.

The kinds follow the runtime checker's signature kinds (report.md, "Which kind,
which target", rule 1): a renamed or positional-only parameter is name drift;
every other change of kind, order, count or required-ness is a signature
mismatch; ``async def`` against ``def`` is an async mismatch. Types, which the
runtime checks by calling, are compared here with mypy's own subtype check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mypy.errorcodes import ErrorCode
from mypy.messages import format_type
from mypy.nodes import ARG_STAR, ARG_STAR2, FuncDef, SymbolNode, TypeInfo
from mypy.options import Options
from mypy.subtypes import find_member, is_subtype
from mypy.types import AnyType, CallableType, Instance, Type, get_proper_type

from interlock.adapters._mypy_members import (
    Param,
    Signature,
    bound_init,
    callable_of,
    contract_members,
    function_of,
    instance_of,
    is_method,
    member_node,
    signature,
)

__all__ = ["ASYNC", "DRIFT", "MISSING", "SIGNATURE", "TYPE", "Finding", "compare", "constructor_name"]

_CATEGORY: Final = "interlock"
DRIFT: Final = ErrorCode(
    "interlock-drift",
    "An implementation's signature drifts from its interlock contract (a parameter renamed)",
    _CATEGORY,
)
SIGNATURE: Final = ErrorCode(
    "interlock-signature",
    "An implementation's parameters differ in kind, order, count or required-ness from its contract",
    _CATEGORY,
    sub_code_of=DRIFT,
)
ASYNC: Final = ErrorCode("interlock-async", "An implementation is async where its contract is not, or the reverse", _CATEGORY)
MISSING: Final = ErrorCode("interlock-missing", "An implementation lacks a member its contract declares", _CATEGORY)
TYPE: Final = ErrorCode("interlock-type", "An implementation's parameter, return or attribute type does not fit its contract", _CATEGORY)
# Which finding a member reports when it has several: the order of report.md's rule 1, then types.
_RANK: Final = {DRIFT.code: 0, SIGNATURE.code: 1, ASYNC.code: 2, TYPE.code: 3}


@dataclass(frozen=True)
class Finding:
    """One drifting member: the error code, the contract member's name and the whole message."""

    code: ErrorCode
    member: str
    message: str


def compare(
    contract: TypeInfo,
    target: Instance,
    options: Options,
    *,
    constructor: CallableType | None = None,
    ctor_label: str = "",
) -> list[Finding]:
    """Compare ``target`` with every member of ``contract``; ``constructor`` is compared with its ``__init__``.

    ``constructor`` is the class's constructor or the factory's signature; None where none applies
    (a value already built, or a factory without parameters, which builds with dependencies of its own).
    """
    c_inst = instance_of(contract)
    found: list[Finding] = []
    for name, node in contract_members(contract).items():
        if name == "__init__":
            if constructor is not None:
                c_init = bound_init(contract)
                if c_init is not None:
                    c_sig = signature(c_init, f"{contract.name}.__init__", "__init__", constructor=True)
                    t_sig = signature(constructor, ctor_label, constructor_name(constructor), constructor=True)
                    _add(found, name, c_sig, t_sig, _params(c_sig, t_sig, options), options)
            continue
        finding = _member(contract, c_inst, target, name, node, options)
        if finding is not None:
            found.append(finding)
    return found


def constructor_name(tp: CallableType) -> str:
    """The name a constructor or factory is shown with: ``__init__``, or the factory's own name."""
    if isinstance(tp.definition, FuncDef):
        return tp.definition.name
    return (tp.name or "factory").split(" of ")[0]


def _member(contract: TypeInfo, c_inst: Instance, target: Instance, name: str, node: SymbolNode, options: Options) -> Finding | None:
    c_label, t_label = f"{contract.name}.{name}", f"{target.type.name}.{name}"
    c_type = find_member(name, c_inst, c_inst)
    t_type = find_member(name, target, target)
    if c_type is None:
        return None
    c_call = callable_of(c_type) if is_method(node) else None
    if t_type is None or _unimplemented(target.type, name):
        shown = _shown(c_call, c_type, name, c_label, options, node)
        what = "method" if c_call is not None else "attribute"
        return Finding(MISSING, name, f'{c_label}: {target.type.name} has no {what} "{name}" (contract: {shown})')
    if isinstance(get_proper_type(t_type), AnyType):
        return None
    t_call = callable_of(t_type)
    if c_call is not None and t_call is not None:
        c_sig = signature(c_call, c_label, name, func=function_of(node))
        t_sig = signature(t_call, t_label, name, func=function_of(member_node(target.type, name)))
        problems = _params(c_sig, t_sig, options)
        if c_sig.is_async is not None and t_sig.is_async is not None and c_sig.is_async != t_sig.is_async:
            problems.append((ASYNC, f"{t_label} is {_sync(t_sig)} where the contract's is {_sync(c_sig)}"))
        elif not is_subtype(t_sig.ret, c_sig.ret):
            problems.append(
                (
                    TYPE,
                    f"{t_label} returns {_fmt(t_sig.ret, options)}, outside the contract's {_fmt(c_sig.ret, options)}",
                )
            )
        out: list[Finding] = []
        _add(out, name, c_sig, t_sig, problems, options)
        return out[0] if out else None
    if is_subtype(t_type, c_type):
        return None
    c_shown = _shown(c_call, c_type, name, c_label, options, node)
    t_shown = _shown(t_call, t_type, name, t_label, options, member_node(target.type, name))
    what = "is" if c_call is not None else "has type"
    text = f"{t_label} {what} {_fmt(t_type, options)}, which does not fit the contract's {_fmt(c_type, options)}"
    return Finding(TYPE, name, f"{c_label}: {text} (contract: {c_shown}; implementation: {t_shown})")


def _unimplemented(info: TypeInfo, name: str) -> bool:
    """A method inherited, body-less, from a protocol the class subclasses: declared, never implemented."""
    owner = next((base for base in info.mro if name in base.names), None)
    func = function_of(owner.names[name].node) if owner is not None else None
    return owner is not None and owner.is_protocol and func is not None and func.is_trivial_body


def _shown(call: CallableType | None, typ: Type, name: str, label: str, options: Options, node: SymbolNode | None) -> str:
    if call is not None:
        return signature(call, label, name, func=function_of(node)).text(options)
    return f"{name}: {_fmt(typ, options, quoted=False)}"


def _sync(sig: Signature) -> str:
    return "async" if sig.is_async else "a plain def"


def _fmt(typ: Type, options: Options, *, quoted: bool = True) -> str:
    text = format_type(typ, options)
    return text if quoted else text[1:-1]


def _add(
    found: list[Finding],
    member: str,
    c: Signature,
    t: Signature,
    problems: list[tuple[ErrorCode, str]],
    options: Options,
) -> None:
    if problems:
        code, text = min(problems, key=lambda p: _RANK[p[0].code])
        shown = f"(contract: {c.text(options)}; implementation: {t.text(options)})"
        found.append(Finding(code, member, f"{c.label}: {text} {shown}"))


def _params(c: Signature, t: Signature, options: Options) -> list[tuple[ErrorCode, str]]:
    """Every parameter difference that breaks a caller written against ``c``, in the contract's order."""
    out: list[tuple[ErrorCode, str]] = []
    tl = t.label
    named = [p for p in t.params if not p.kind.is_star()]
    star = next((p for p in t.params if p.kind == ARG_STAR), None)
    star2 = next((p for p in t.params if p.kind == ARG_STAR2), None)
    wanted = [p for p in c.params if not p.kind.is_star()]

    def fits(cp: Param, tp: Param) -> None:
        if cp.kind.is_optional() and tp.kind.is_required() and not tp.kind.is_star():
            out.append((SIGNATURE, f"{cp.label} is required in {tl} but optional in the contract"))
        if not is_subtype(cp.type, tp.type):
            out.append(
                (
                    TYPE,
                    (
                        f"{cp.label} has type {_fmt(tp.type, options)} in {tl}, "
                        f"which does not accept the contract's {_fmt(cp.type, options)}"
                    ),
                )
            )

    if star is not None and star2 is not None and not any(p.kind.is_required() for p in named):
        for cp in wanted:  # (*args, **kwargs) takes every call; only the types are left to compare
            fits(cp, star if cp.kind.is_positional() else star2)
        return out
    by_name = {p.name: i for i, p in enumerate(named) if p.name is not None}
    t_pos = [i for i, p in enumerate(named) if p.kind.is_positional()]
    c_pos = [p for p in wanted if p.kind.is_positional()]
    c_names = {p.name for p in wanted}
    used: set[int] = set()
    for cp in wanted:
        where = cp.label
        index = c_pos.index(cp) if cp.kind.is_positional() else -1
        slot = t_pos[index] if 0 <= index < len(t_pos) else None
        ti = by_name.get(cp.name) if cp.name is not None else None
        if cp.pos_only:  # callers pass it by position only: its name does not matter
            if slot is not None:
                used.add(slot)
                fits(cp, named[slot])
            elif star is not None:
                fits(cp, star)
            else:
                out.append((SIGNATURE, f"{where} is missing from {tl}: it takes {len(t_pos)} positional parameters"))
            continue
        if ti is not None:
            used.add(ti)
            tp = named[ti]
            if cp.kind.is_positional() and tp.kind.is_named():
                out.append((SIGNATURE, f"{where} is keyword-only in {tl}"))
            elif cp.kind.is_positional() and t_pos.index(ti) != index:
                out.append((SIGNATURE, f"{where} is in position {t_pos.index(ti) + 1} in {tl}, {index + 1} in the contract"))
            fits(cp, tp)
            continue
        if slot is not None and named[slot].pos_only:
            used.add(slot)
            out.append((DRIFT, f"{where} is positional-only in {tl}"))
            continue
        if slot is not None and named[slot].name not in c_names:
            used.add(slot)
            out.append((DRIFT, f'{where} is named "{named[slot].name}" in {tl}'))
            continue
        if cp.kind.is_named():
            spare = [i for i, p in enumerate(named) if p.kind.is_named() and p.name not in c_names and i not in used]
            if len(spare) == 1 and star2 is None:
                used.add(spare[0])
                out.append((DRIFT, f'{where} is named "{named[spare[0]].name}" in {tl}'))
                continue
        if star2 is not None and (cp.kind.is_named() or star is not None or slot is not None):
            fits(cp, star2)
        elif star2 is not None:
            out.append((SIGNATURE, f"{where} can only be passed by name to {tl} (it takes **{star2.name})"))
        elif star is not None and cp.kind.is_positional():
            out.append((SIGNATURE, f"{where} can only be passed by position to {tl} (it takes *{star.name})"))
        else:
            out.append((SIGNATURE, f"{where} is missing from {tl}"))
    for i, p in enumerate(named):
        if i not in used and (p.name is None or p.name not in c_names) and p.kind.is_required():
            out.append((SIGNATURE, f"{tl} requires {p.label}, which the contract does not have"))
    return out
