"""Values for a parameter: the strategy that draws in its domain."""

from __future__ import annotations

import collections.abc as cabc
import enum
import math
import types
import typing
from typing import Any

from hypothesis import strategies as st

from interlock.contracts._domain import Domain, read_domain
from interlock.contracts._model import Contract
from interlock.properties._doubles import double

__all__ = ["DOUBLE", "json_values", "mappings", "strategy_for"]

DOUBLE = object()
"""Returned by ``strategy_for`` for a Protocol type: the caller builds a checker double instead."""

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)


def _nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _json_scalars | st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)


# A mapping and what it holds nest at most three deep (contracts.md): built level by level, not with st.recursive.
json_values: st.SearchStrategy[Any] = _nest(_json_scalars | st.lists(_json_scalars, max_size=3))
"""JSON-compatible values: text, finite numbers, bools, None, and lists and dicts of those."""

mappings: st.SearchStrategy[dict[str, Any]] = st.dictionaries(st.text(max_size=10), json_values, max_size=4)
"""Plain dicts with text keys and JSON-compatible values, as ``Mapping[str, Any]`` is drawn."""


def _nonblank_text(min_size: int, max_size: int | None) -> st.SearchStrategy[str]:
    return st.text(min_size=max(1, min_size), max_size=max_size).filter(lambda s: s.strip() != "")


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


_CACHE: dict[tuple[Any, int], tuple[Any, Any]] = {}


def strategy_for(domain: Domain, contract: Contract | None = None) -> Any:
    """The strategy that draws in the domain, or ``DOUBLE`` where a checker double stands in.

    Strategies are built once per domain and contract: building and validating
    them costs more than drawing from them.
    """
    try:
        key = (domain, id(contract))
        found = _CACHE.get(key)
    except TypeError:  # an unhashable annotation: build it afresh
        return _strategy_for(domain, contract)
    if found is None:
        # the entry keeps the contract alive, so its id cannot be reused by another one
        found = _CACHE[key] = (contract, _strategy_for(domain, contract))
    return found[1]


def _strategy_for(domain: Domain, contract: Contract | None) -> Any:
    base = _base_strategy(domain, contract)
    if domain.optional:
        if base is DOUBLE:
            return DOUBLE
        return st.none() | base
    return base


def _base_strategy(domain: Domain, contract: Contract | None) -> Any:
    tp = domain.base
    if contract is not None and tp in contract.strategies:
        return contract.strategies[tp]
    if tp is str:
        lo = domain.bound("min_length") or 0
        hi = domain.bound("max_length")
        return _nonblank_text(lo, hi) if domain.nonempty else st.text(min_size=lo, max_size=hi)
    if tp is bool:
        return st.booleans()
    if tp is int:
        lo, hi = _INT_MIN, _INT_MAX
        if (v := domain.bound("ge")) is not None:
            lo = max(lo, math.ceil(v))
        if (v := domain.bound("gt")) is not None:
            lo = max(lo, math.floor(v) + 1)
        if (v := domain.bound("le")) is not None:
            hi = min(hi, math.floor(v))
        if (v := domain.bound("lt")) is not None:
            hi = min(hi, math.ceil(v) - 1)
        return st.integers(min_value=lo, max_value=hi)
    if tp is float:
        kwargs: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
        for name, key, excl in (
            ("ge", "min_value", None),
            ("gt", "min_value", "exclude_min"),
            ("le", "max_value", None),
            ("lt", "max_value", "exclude_max"),
        ):
            if (v := domain.bound(name)) is not None:
                kwargs[key] = v
                if excl:
                    kwargs[excl] = True
        return st.floats(**kwargs)
    if tp is bytes:
        return st.binary(max_size=20)
    if tp is type(None):
        return st.none()
    if tp in (Any, object):
        return json_values
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and getattr(tp, "_is_protocol", False):
        return DOUBLE
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if _is_union(tp):
        return st.one_of([_sub(a, contract) for a in args])
    if origin is not None:
        return _generic(origin, args, contract)
    if tp in (dict, cabc.Mapping, cabc.MutableMapping):
        return mappings
    if tp in (list, cabc.Sequence):
        return st.lists(json_values, max_size=4)
    return st.from_type(tp)


def _sub(annotation: Any, contract: Contract | None) -> Any:
    strat = strategy_for(read_domain(annotation, "nested"), contract)
    if strat is DOUBLE:
        proto = read_domain(annotation, "nested").base
        return st.builds(lambda: double(proto))
    return strat


def _generic(origin: Any, args: tuple[Any, ...], contract: Contract | None) -> Any:
    if origin in (dict, cabc.Mapping, cabc.MutableMapping):
        key, value = ((*args, Any, Any))[:2]
        if key is str and value in (Any, object):
            return mappings
        return st.dictionaries(_sub(key, contract), _sub(value, contract), max_size=4)
    if origin in (list, cabc.Sequence, cabc.MutableSequence, cabc.Iterable, cabc.Collection):
        return st.lists(_sub(args[0] if args else Any, contract), max_size=4)
    if origin in (set, cabc.Set, cabc.MutableSet):
        return st.sets(_sub(args[0], contract), max_size=4)
    if origin is frozenset:
        return st.frozensets(_sub(args[0], contract), max_size=4)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_sub(args[0], contract), max_size=4).map(tuple)
        return st.tuples(*[_sub(a, contract) for a in args])
    return st.from_type(origin[args] if args else origin)
