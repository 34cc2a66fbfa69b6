"""Values outside a domain: contracts.md's Inputs table, one row per type, as a lookup table, and foreign values.

Each type's row is a function from the domain (and an in-domain value the target
accepted, to make look-alikes from) to the values it must refuse. ``None`` comes
first for every type that is not ``Optional``. The table is looked up by exact
type first (``bool`` is not ``int`` here), then by the abstract base of a
generic's origin (any ``Mapping``), as typeguard's checker table is.

After the row come the **foreign values**, the same few for every type they lie
outside of: a tuple, a plain ``object()``, and a ``BadEqHash()`` whose ``==`` and
``hash()`` raise (as CPython's ``test.mapping_tests`` passes them). A store that
hands a key to its database or its serializer unchecked raises that library's own
error on them (``sqlite3.ProgrammingError``, ``pickle.PicklingError``), where the
contract demands ``ValueError`` or ``TypeError``.
"""

from __future__ import annotations

import collections.abc as cabc
import math
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs

from interlock.contracts._domain import Domain
from interlock.contracts._model import Kind
from interlock.properties._doubles import simple_value
from interlock.properties._types import type_problem

__all__ = ["BAD_EQ_HASH_SOURCE", "BadEqHash", "Outside", "foreign_definitions", "outside_values"]


class BadEqHash:
    """A value of no type a contract names that cannot be hashed or compared: == and hash() raise TypeError."""

    def __eq__(self, other: object) -> bool:
        raise TypeError("BadEqHash() cannot be compared")

    def __hash__(self) -> int:
        raise TypeError("BadEqHash() cannot be hashed")

    def __repr__(self) -> str:
        return "BadEqHash()"


BAD_EQ_HASH_SOURCE: Final = """\
class BadEqHash:  # a value that cannot be hashed or compared: == and hash() raise TypeError
    def __eq__(self, other): raise TypeError("BadEqHash() cannot be compared")
    def __hash__(self): raise TypeError("BadEqHash() cannot be hashed")
    def __repr__(self): return "BadEqHash()"
"""
"""``BadEqHash`` as a reproducer defines it, so the script needs none of interlock's private modules (a test keeps
the two alike)."""


def foreign_definitions(values: cabc.Iterable[Any]) -> list[str]:
    """The lines a reproducer needs before it can write these values: the class of a ``BadEqHash()`` among them."""
    if any(type(v) is BadEqHash for v in values):
        return [*BAD_EQ_HASH_SOURCE.splitlines(), ""]
    return []


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
    if domain.base in (Any, object):
        return []  # everything is inside: there is nothing to refuse
    out = [] if domain.optional else [Outside(None, "none-propagation", "None")]
    row = row_for(domain.base)
    if row is not None:
        out += row(domain, base_value, has_base)
    return out + foreign_values(domain.base)


_FOREIGN: Final = (
    Outside((1, 2), "type-coercion", "a tuple"),
    Outside(object(), "type-coercion", "a plain object"),
    Outside(BadEqHash(), "type-coercion", "an object whose == and hash() raise"),
)
"""Values of no type a contract names. Accepting one, or raising anything but ``ValueError`` or ``TypeError`` on it,
is what accepting a value of another type is: ``type-coercion`` (report.md, rule 4)."""

_FOREIGN_FOR: dict[Any, list[Outside]] = {}


def foreign_values(tp: Any) -> list[Outside]:
    """The foreign values outside a type, as typeguard judges it; none for a ``Protocol`` (a dependency is a double,
    and a caller may hand any object of the right shape)."""
    try:
        found = _FOREIGN_FOR.get(tp)
    except TypeError:  # an unhashable annotation: worked out on every call
        return _foreign_values(tp)
    if found is None:
        found = _FOREIGN_FOR[tp] = _foreign_values(tp)
    return found


def _foreign_values(tp: Any) -> list[Outside]:
    if tp in (Any, object) or (isinstance(tp, type) and getattr(tp, "_is_protocol", False)):
        return []
    return [o for o in _FOREIGN if _outside(o.value, tp)]


def _outside(value: Any, tp: Any) -> bool:
    try:
        return type_problem(value, tp) is not None
    except Exception:  # an annotation typeguard cannot read: offer nothing it might hold
        return False


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
        whole = _float(base)
        if whole is not None:
            out.append(Outside(whole, "type-coercion", "the float of a valid int"))
    if domain.strict:
        out += _bools()
    return out + _bound_breakers(domain, is_int=True)


def _float(n: int) -> float | None:
    """``n`` as a float, where the float is exactly ``n`` (a look-alike, not a near miss)."""
    try:
        f = float(n)
    except OverflowError:
        return None
    return f if f == n else None


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
