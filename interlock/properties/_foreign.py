"""Values outside a domain: contracts.md's Inputs table, one row per type, as a lookup table.

Each type's row is a function from the domain (and an in-domain value the target
accepted, to make look-alikes from) to the values it must refuse. ``None`` comes
first for every type that is not ``Optional``. The table is looked up by exact
type first (``bool`` is not ``int`` here), then by the abstract base of a
generic's origin (any ``Mapping``), as typeguard's checker table is.
"""

from __future__ import annotations

import collections.abc as cabc
import math
import typing
from collections.abc import Callable
from typing import Any

import attrs

from interlock.contracts._domain import Domain
from interlock.contracts._model import Kind
from interlock.properties._doubles import simple_value

__all__ = ["Outside", "outside_values"]


@attrs.frozen
class Outside:
    """One value outside a domain, the violation kind accepting it earns, and how to name it."""

    value: Any
    kind: Kind
    label: str


Row = Callable[[Domain, Any, bool], list[Outside]]
"""One type's row: ``(domain, base_value, has_base)`` to the values outside it."""


def outside_values(domain: Domain, base_value: Any, *, has_base: bool) -> list[Outside]:
    """The enumerated out-of-domain values of contracts.md's Inputs table for a domain.

    ``base_value`` is an in-domain value the target accepted: look-alikes are made
    from it (its bytes, its text), so a member that coerces is caught.
    """
    out = [] if domain.optional else [Outside(None, "none-propagation", "None")]
    row = row_for(domain.base)
    if row is not None:
        out += row(domain, base_value, has_base)
    return out


def row_for(tp: Any) -> Row | None:
    """The table's row for a type: by the type itself, else by an abstract base of its origin."""
    row = _BY_TYPE.get(tp) if isinstance(tp, type) else None
    if row is not None:
        return row
    origin = typing.get_origin(tp) or tp
    if isinstance(origin, type):
        for base, found in _BY_BASE:
            if issubclass(origin, base):
                return found
    return None


def _text(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    out = [Outside(b"x", "type-coercion", "bytes"), Outside(1, "type-coercion", "an int")]
    encoded = _utf8(base) if has_base and isinstance(base, str) else None
    if encoded is not None and encoded != b"x":
        out.append(Outside(encoded, "type-coercion", "the bytes of a valid text"))
    if domain.nonempty:
        out += [
            Outside("", "empty-string", "empty text"),
            Outside(" ", "empty-string", "blank text"),
            Outside("\t\n", "empty-string", "blank text"),
        ]
    return out


def _utf8(text: str) -> bytes | None:
    """A text's UTF-8 bytes, or None for text that has none (a lone surrogate)."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return None


def _integer(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    out = [Outside("1", "type-coercion", "text"), Outside(1.0, "type-coercion", "a float"), Outside(1.5, "type-coercion", "a float")]
    if has_base and isinstance(base, int) and not isinstance(base, bool) and base != 1:
        out.append(Outside(str(base), "type-coercion", "the text of a valid int"))
    if domain.strict:
        out += _bools()
    return out + _bound_breakers(domain, is_int=True)


def _real(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    out = [Outside("1.0", "type-coercion", "text")]
    if has_base and isinstance(base, int | float) and not isinstance(base, bool) and str(base) != "1.0":
        out.append(Outside(str(base), "type-coercion", "the text of a valid number"))
    if domain.strict:
        out += _bools()
    if domain.finite:
        out += [
            Outside(math.nan, "type-coercion", "nan"),
            Outside(math.inf, "type-coercion", "inf"),
            Outside(-math.inf, "type-coercion", "-inf"),
        ]
    return out + _bound_breakers(domain, is_int=False)


def _binary(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    out = [Outside("x", "type-coercion", "text")]
    if has_base and isinstance(base, bytes) and base != b"x":
        try:
            text = base.decode()
        except UnicodeDecodeError:
            pass
        else:
            out.append(Outside(text, "type-coercion", "the text of valid bytes"))
    return out


def _truth(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    return [
        Outside(0, "type-coercion", "an int"),
        Outside(1, "type-coercion", "an int"),
        Outside("false", "type-coercion", "text"),
        Outside("true", "type-coercion", "text"),
    ]


def _mapping(domain: Domain, base: Any, has_base: bool) -> list[Outside]:
    pairs = list(base.items()) if has_base and isinstance(base, cabc.Mapping) else []
    if not pairs:  # an empty mapping's pairs are an empty list: make one valid pair, so only the shape is wrong
        key_type, value_type = (*typing.get_args(domain.base), Any, Any)[:2]
        key = "x" if key_type in (str, Any) else simple_value(key_type)
        pairs = [(key, simple_value(value_type))]
    return [Outside(pairs, "type-coercion", "a list of its pairs")]


def _bools() -> list[Outside]:
    return [Outside(True, "type-coercion", "a bool"), Outside(False, "type-coercion", "a bool")]


def _bound_breakers(domain: Domain, *, is_int: bool) -> list[Outside]:
    out = []
    step = 1 if is_int else 1.0
    shifts = {"ge": -step, "gt": 0, "le": step, "lt": 0}
    for name, shift in shifts.items():
        v = domain.bound(name)
        if v is not None:
            bad = v + shift
            out.append(Outside(int(bad) if is_int else float(bad), "type-coercion", "a number out of bounds"))
    return out


_BY_TYPE: dict[type, Row] = {str: _text, int: _integer, float: _real, bytes: _binary, bool: _truth}
_BY_BASE: tuple[tuple[type, Row], ...] = ((cabc.Mapping, _mapping),)
