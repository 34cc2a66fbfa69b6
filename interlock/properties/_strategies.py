"""Values for a parameter: strategies for its domain, and the enumerated values outside it."""

from __future__ import annotations

import collections.abc as cabc
import enum
import math
import types
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from interlock.contracts._domain import Domain, read_domain
from interlock.contracts._model import Contract
from interlock.properties._doubles import double, simple_value

__all__ = ["DOUBLE", "Outside", "json_values", "mappings", "outside_values", "strategy_for"]

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


def _bound(domain: Domain, name: str) -> Any:
    for b in domain.bounds:
        value = getattr(b, name, None)
        if value is not None:
            return value
    return None


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
        lo = _bound(domain, "min_length") or 0
        hi = _bound(domain, "max_length")
        return _nonblank_text(lo, hi) if domain.nonempty else st.text(min_size=lo, max_size=hi)
    if tp is bool:
        return st.booleans()
    if tp is int:
        lo, hi = _INT_MIN, _INT_MAX
        if (v := _bound(domain, "ge")) is not None:
            lo = max(lo, math.ceil(v))
        if (v := _bound(domain, "gt")) is not None:
            lo = max(lo, math.floor(v) + 1)
        if (v := _bound(domain, "le")) is not None:
            hi = min(hi, math.floor(v))
        if (v := _bound(domain, "lt")) is not None:
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
            if (v := _bound(domain, name)) is not None:
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


@attrs.frozen
class Outside:
    """One value outside a domain, the violation kind accepting it earns, and how to name it."""

    value: Any
    kind: str
    label: str


def outside_values(domain: Domain, base_value: Any, *, has_base: bool) -> list[Outside]:
    """The enumerated out-of-domain values of contracts.md's Inputs table for a domain.

    ``base_value`` is an in-domain value the target accepted: look-alikes are made
    from it (its bytes, its text), so a member that coerces is caught.
    """
    out: list[Outside] = []
    tp = domain.base
    if not domain.optional:
        out.append(Outside(None, "none-propagation", "None"))
    if tp is str:
        out += [Outside(b"x", "type-coercion", "bytes"), Outside(1, "type-coercion", "an int")]
        if has_base and isinstance(base_value, str) and base_value.encode() != b"x":
            out.append(Outside(base_value.encode(), "type-coercion", "the bytes of a valid text"))
        if domain.nonempty:
            out += [
                Outside("", "empty-string", "empty text"),
                Outside(" ", "empty-string", "blank text"),
                Outside("\t\n", "empty-string", "blank text"),
            ]
    elif tp is int:
        out += [Outside("1", "type-coercion", "text"), Outside(1.0, "type-coercion", "a float"), Outside(1.5, "type-coercion", "a float")]
        if has_base and isinstance(base_value, int) and not isinstance(base_value, bool) and base_value != 1:
            out.append(Outside(str(base_value), "type-coercion", "the text of a valid int"))
        if domain.strict:
            out += [Outside(True, "type-coercion", "a bool"), Outside(False, "type-coercion", "a bool")]
        out += _bound_breakers(domain, is_int=True)
    elif tp is float:
        out.append(Outside("1.0", "type-coercion", "text"))
        if has_base and isinstance(base_value, int | float) and not isinstance(base_value, bool) and str(base_value) != "1.0":
            out.append(Outside(str(base_value), "type-coercion", "the text of a valid number"))
        if domain.strict:
            out += [Outside(True, "type-coercion", "a bool"), Outside(False, "type-coercion", "a bool")]
        if domain.finite:
            out += [
                Outside(math.nan, "type-coercion", "nan"),
                Outside(math.inf, "type-coercion", "inf"),
                Outside(-math.inf, "type-coercion", "-inf"),
            ]
        out += _bound_breakers(domain, is_int=False)
    elif tp is bytes:
        out.append(Outside("x", "type-coercion", "text"))
        if has_base and isinstance(base_value, bytes) and base_value != b"x":
            try:
                text = base_value.decode()
            except UnicodeDecodeError:
                pass
            else:
                out.append(Outside(text, "type-coercion", "the text of valid bytes"))
    elif _is_mapping(tp):
        pairs = list(base_value.items()) if has_base and isinstance(base_value, cabc.Mapping) else []
        if not pairs:  # an empty mapping's pairs are an empty list: make one valid pair, so only the shape is wrong
            key_type, value_type = (*typing.get_args(tp), Any, Any)[:2]
            key = "x" if key_type in (str, Any) else simple_value(key_type)
            pairs = [(key, simple_value(value_type))]
        out.append(Outside(pairs, "type-coercion", "a list of its pairs"))
    elif tp is bool:
        out += [
            Outside(0, "type-coercion", "an int"),
            Outside(1, "type-coercion", "an int"),
            Outside("false", "type-coercion", "text"),
            Outside("true", "type-coercion", "text"),
        ]
    return out


def _is_mapping(tp: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and issubclass(origin, cabc.Mapping)


def _bound_breakers(domain: Domain, *, is_int: bool) -> list[Outside]:
    out = []
    step = 1 if is_int else 1.0
    shifts = {"ge": -step, "gt": 0, "le": step, "lt": 0}
    for name, shift in shifts.items():
        v = _bound(domain, name)
        if v is not None:
            bad = v + shift
            out.append(Outside(int(bad) if is_int else float(bad), "type-coercion", "a number out of bounds"))
    return out
