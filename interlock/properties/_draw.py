"""Drawing a call's values: a member's arguments in their domains, and what the doubles of one example answer."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from interlock.contracts._domain import read_domain
from interlock.contracts._model import Contract, Draws, Member, Requires
from interlock.properties._doubles import DoubleReturns, double
from interlock.properties._strategies import DOUBLE, strategy_for
from interlock.properties._subject import double_strategy

__all__ = ["DrawnReturns", "draw_values", "parameter_strategy", "values_strategy"]


class DrawnReturns(DoubleReturns):
    """Double return values drawn from their annotations, the same for every target in an example."""

    def __init__(self, data: Any, contract: Contract) -> None:
        self.data = data
        self.contract = contract
        self.memo: dict[tuple[str, str, int], Any] = {}

    def value(self, label: str, method: str, annotation: Any, index: int) -> Any:
        key = (label, method, index)
        if key not in self.memo:
            try:
                domain = _return_domain(annotation)
            except TypeError:  # an unhashable annotation
                domain = read_domain(annotation, "a double's return value")
            strat = strategy_for(domain, self.contract)
            if strat is DOUBLE:
                self.memo[key] = double(domain.base)
            else:
                self.memo[key] = self.data.draw(strat)
        return self.memo[key]


_OMIT = object()
_VALUES: dict[tuple[int, str, bool], tuple[Contract, Any]] = {}


def values_strategy(contract: Contract, member: Member, all_optional: bool = False) -> Any:
    """One strategy for all of a member's arguments: drawing once costs far less than a draw per parameter."""
    key = (id(contract), member.name, all_optional)
    found = _VALUES.get(key)
    if found is not None and found[0] is contract:
        return found[1]
    narrowed = {c.rule.parameter: c.rule.strategy for c in contract.rules(member.name, Draws) if isinstance(c.rule, Draws)}
    parts: dict[str, Any] = {}
    for p in member.parameters:
        strat = narrowed.get(p.name)
        if strat is None:
            strat = strategy_for(p.domain, contract)
            if strat is DOUBLE:
                strat = double_strategy(p.domain.base, p.name)
                if p.domain.optional:
                    strat = st.none() | strat
        if not p.required and not all_optional:
            strat = st.just(_OMIT) | strat
        parts[p.name] = strat
    built = st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not _OMIT})
    _VALUES[key] = (contract, built)
    return built


def parameter_strategy(contract: Contract, member: Member, name: str) -> Any:
    """How the checker draws one parameter (a ``draws`` clause's strategy first), or None for a double."""
    for c in contract.rules(member.name, Draws):
        if isinstance(c.rule, Draws) and c.rule.parameter == name:
            return c.rule.strategy
    strat = strategy_for(member.parameter(name).domain, contract)
    return None if strat is DOUBLE else strat


@functools.lru_cache(maxsize=512)
def _return_domain(annotation: Any) -> Any:
    return read_domain(annotation, "a double's return value")


def draw_values(data: Any, contract: Contract, member: Member, *, all_optional: bool = False) -> dict[str, Any]:
    """Draw in-domain arguments for a member, by contract name; optional ones are sometimes left out."""
    values: dict[str, Any] = data.draw(values_strategy(contract, member, all_optional))
    for c in contract.rules(member.name, Requires):
        rule = c.rule
        assert isinstance(rule, Requires)
        wanted = {k: v for k, v in values.items() if k in rule.wants}
        try:
            ok = rule.predicate(**wanted)
        except Exception:
            ok = False
        assume(bool(ok))
    return values
