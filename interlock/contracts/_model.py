"""The contract model: a ``Protocol`` read once into members, parameters and clauses.

Everything here is frozen; checking reads it and never changes it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, get_args

import attrs

from interlock.contracts._domain import Domain, format_annotation

__all__ = [
    "KINDS",
    "Clause",
    "Comparable",
    "Contract",
    "Draws",
    "Ensures",
    "Kind",
    "Member",
    "Parameter",
    "Raises",
    "ReportsFailure",
    "Requires",
    "Scenario",
]

Kind = Literal[
    "missing-member",
    "param-name-drift",
    "signature-mismatch",
    "async-mismatch",
    "return-type",
    "none-propagation",
    "empty-string",
    "type-coercion",
    "unexpected-exception",
    "postcondition",
    "isolation",
    "ordering",
    "leak",
    "cascade",
    "differential",
    "timeout",
    "crash",
]
"""A violation kind, as report.md names it."""

KINDS: tuple[Kind, ...] = get_args(Kind)
"""Every violation kind, in the order of report.md's table (the report's sort order)."""

Role = Literal["constructor", "method", "attribute"]


@attrs.frozen
class Parameter:
    """One parameter of a member, as the contract declares it."""

    name: str
    kind: inspect._ParameterKind
    default: Any
    annotation: Any
    domain: Domain

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty

    @property
    def positional(self) -> bool:
        return self.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@attrs.frozen
class Member:
    """A method, the constructor (``__init__``) or a data attribute the contract declares."""

    name: str
    role: Role
    is_async: bool = False
    parameters: tuple[Parameter, ...] = ()
    returns: Any = None
    returns_domain: Domain | None = None
    relaxed: frozenset[str] = frozenset()
    line: int | None = None

    @property
    def is_dunder(self) -> bool:
        """A special method (``__len__``, ``__contains__``): operators call it, always by position."""
        return self.role == "method" and self.name.startswith("__") and self.name.endswith("__")

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        raise KeyError(name)

    def signature_text(self) -> str:
        """The member as the contract writes it: ``async def send(self, user_id: str) -> int``."""
        if self.role == "attribute":
            return f"{self.name}: {_ann(self.returns)}"
        parts = ["self"]
        star_done = False
        for p in self.parameters:
            if p.kind is inspect.Parameter.KEYWORD_ONLY and not star_done:
                parts.append("*")
                star_done = True
            text = f"{p.name}: {_ann(p.annotation)}"
            if not p.required:
                text += f" = {p.default!r}"
            parts.append(text)
        prefix = "async def" if self.is_async else "def"
        return f"{prefix} {self.name}({', '.join(parts)}) -> {_ann(self.returns)}"


def _ann(annotation: Any) -> str:
    return format_annotation(annotation)


# ---- clause rules: what a clause says, one class per shape -------------------------------


@attrs.frozen
class Ensures:
    """A postcondition: ``predicate`` over the arguments (by name), ``result`` and ``target``."""

    predicate: Callable[..., object]
    wants: frozenset[str]


@attrs.frozen
class Raises:
    """Exceptions a member may raise for an in-domain input; ``when`` narrows to some inputs."""

    exceptions: tuple[type[BaseException], ...]
    when: Callable[..., object] | None
    wants: frozenset[str]


@attrs.frozen
class ReportsFailure:
    """The member reports bad input in its return value; ``predicate(result)`` tells a failure value."""

    predicate: Callable[[Any], object]


@attrs.frozen
class Draws:
    """Generation draws ``parameter`` from ``strategy``; the rest of its domain raises ``outside``."""

    parameter: str
    strategy: Any
    contains: Callable[[Any], object] | None
    outside: tuple[type[BaseException], ...]


@attrs.frozen
class Requires:
    """A precondition: generated arguments are kept only where ``predicate`` holds."""

    predicate: Callable[..., object]
    wants: frozenset[str]


@attrs.frozen
class Comparable:
    """Results of two targets are compared for ``differential`` through ``projection``."""

    projection: Callable[[Any], object] | None


@attrs.frozen
class Scenario:
    """A scenario over whole targets: an ``async`` function driven with a harness and drawn data."""

    function: Callable[..., Awaitable[Any]]
    needs_doubles: bool = True
    examples: int | None = None
    compare: bool = False


Rule = Ensures | Raises | ReportsFailure | Draws | Requires | Comparable | Scenario


@attrs.frozen
class Clause:
    """One promise of a contract: a stable ``id``, its ``text``, the ``kinds`` that report it."""

    id: str
    text: str
    kinds: tuple[Kind, ...]
    member: str | None
    rule: Rule


@attrs.frozen
class Contract:
    """A contract: the Protocol, its members in declaration order, and its clauses."""

    protocol: type
    members: tuple[Member, ...]
    clauses: tuple[Clause, ...] = ()
    strict_inputs: bool = True
    strategies: Mapping[Any, Any] = attrs.field(factory=dict)
    reference: Any = None
    """The contract's default reference (``@contract(reference=...)``): an implementation or model, or its import
    path ``package.module:Name``, that targets are compared with; ``None``: none."""

    @property
    def name(self) -> str:
        return f"{self.protocol.__module__}:{self.protocol.__qualname__}"

    @property
    def constructor(self) -> Member | None:
        for m in self.members:
            if m.role == "constructor":
                return m
        return None

    def member(self, name: str) -> Member:
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(name)

    def rules(self, member: str, rule_type: type[Any]) -> list[Clause]:
        return [c for c in self.clauses if c.member == member and isinstance(c.rule, rule_type)]

    def clause(self, clause_id: str) -> Clause:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    def walk(self, clause: Clause) -> tuple[Clause, ...]:
        """The clauses one scenario function judges together (``scenario`` decorators stacked on it), in order;
        ``(clause,)`` for any other clause."""
        rule = clause.rule
        if not isinstance(rule, Scenario):
            return (clause,)
        return tuple(c for c in self.clauses if isinstance(c.rule, Scenario) and c.rule.function is rule.function) or (clause,)
