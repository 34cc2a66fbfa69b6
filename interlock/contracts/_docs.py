"""Documentation pages for contracts, generated from their own declarations.

The docs site builds one page per built-in contract module with this, so the
pages and the contracts cannot disagree; ``contract_page`` works for users'
contract modules too.
"""

from __future__ import annotations

import inspect
import types
import typing

from interlock.contracts._declare import get_contract, is_contract
from interlock.contracts._domain import format_annotation
from interlock.contracts._model import Clause, Contract, Scenario

__all__ = ["CATALOG", "contract_page"]

CATALOG = ("context", "websocket", "factory", "router", "auth", "timeouts")
"""The built-in contract modules, under ``interlock.contracts``."""


def _value_protocol(name: str, cls: type) -> list[str]:
    lines = [f"### `{name}`", ""]
    doc = inspect.getdoc(cls)
    if doc:
        lines += [doc, ""]
    lines.append("```python")
    lines.append(f"class {name}(Protocol):")
    body = False
    hints = typing.get_type_hints(cls, include_extras=True)
    for field, ann in hints.items():
        if not field.startswith("_"):
            lines.append(f"    {field}: {format_annotation(ann)}")
            body = True
    for attr, value in vars(cls).items():
        if inspect.isfunction(value) and not attr.startswith("_"):
            sig = inspect.signature(value)
            prefix = "async def" if inspect.iscoroutinefunction(value) else "def"
            hints_fn = typing.get_type_hints(value, include_extras=True)
            params = ["self"] + [f"{p}: {format_annotation(hints_fn.get(p))}" for p in list(sig.parameters)[1:]]
            lines.append(f"    {prefix} {attr}({', '.join(params)}) -> {format_annotation(hints_fn.get('return'))}: ...")
            body = True
    if not body:
        lines.append("    ...")
    lines += ["```", ""]
    return lines


def _contract_section(model: Contract) -> list[str]:
    cls = model.protocol
    lines = [f"## `{cls.__name__}`", "", f"Import path: `{model.name}`", ""]
    doc = inspect.getdoc(cls)
    if doc:
        lines += [doc, ""]
    lines.append("```python")
    lines.append(f"class {cls.__name__}(Protocol):")
    for m in model.members:
        lines.append(f"    {m.signature_text()}" + ("" if m.role == "attribute" else ": ..."))
    lines += ["```", "", "### Clauses", ""]
    if not model.clauses:
        lines += ["Only the checks every contract has: signatures, return types, and the input domain of every parameter.", ""]
    lines += ["| id | member | kinds | what it says |", "| --- | --- | --- | --- |"]
    for c in model.clauses:
        text = " ".join(c.text.split()).replace("|", "\\|")
        lines.append(f"| `{c.id}` | {_member_cell(model, c)} | {', '.join(c.kinds)} | {text} |")
    lines += [
        "",
        "Every parameter is also a boundary: values outside its declared type are rejected "
        "(`None`, empty and blank text for `NonEmpty[str]`, look-alikes of another type); "
        "those checks report `clause: null`.",
        "",
    ]
    return lines


def _member_cell(model: Contract, clause: Clause) -> str:
    """The table's member column: the clause's member; for a scenario, the members its code calls (a violation
    of it names the one at fault among them), so that the table and the report name the same member."""
    if clause.member is not None:
        return f"`{clause.member}`"
    if not isinstance(clause.rule, Scenario):
        return "the whole target"
    called = _names_used(clause.rule.function)
    members = [m.name for m in model.members if m.role != "constructor" and m.name in called]
    if not members:
        return "the whole target (scenario)"
    return ", ".join(f"`{name}`" for name in members) + " (scenario)"


def _names_used(function: object) -> set[str]:
    """The names and text constants the function's code uses, and those of the functions of its own module it
    calls, transitively: a scenario reaches a member as ``target.name(...)`` or ``h.call(target, "name", ...)``,
    often through a helper."""
    seen: set[int] = set()
    found: set[str] = set()
    pending = [function]
    while pending:
        fn = pending.pop()
        code = getattr(fn, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        module = getattr(fn, "__module__", None)
        scope = getattr(fn, "__globals__", {})
        codes = [code]
        while codes:
            c = codes.pop()
            found.update(c.co_names)
            found.update(k for k in c.co_consts if isinstance(k, str))
            codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
            for name in c.co_names:
                helper = scope.get(name)
                if inspect.isfunction(helper) and helper.__module__ == module:
                    pending.append(helper)
    return found


def contract_page(module: types.ModuleType, title: str | None = None) -> str:
    """A Markdown page for every contract and value Protocol a module defines, in definition order."""
    lines = [f"# {title or module.__name__}", ""]
    doc = inspect.getdoc(module)
    if doc:
        lines += [doc, ""]
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    values: list[tuple[str, type]] = []
    contracts: list[Contract] = []
    for name in names:
        obj = getattr(module, name, None)
        if not isinstance(obj, type) or getattr(obj, "__module__", None) != module.__name__:
            continue
        if is_contract(obj):
            contracts.append(get_contract(obj))
        elif getattr(obj, "_is_protocol", False):
            values.append((name, obj))
    if values:
        lines += ["## Value types", "", "What a target may rely on; the checker builds recording doubles of them.", ""]
        for name, cls in values:
            lines += _value_protocol(name, cls)
    for model in contracts:
        lines += _contract_section(model)
    return "\n".join(lines).rstrip() + "\n"
