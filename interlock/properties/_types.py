"""Is a value of an annotation? typeguard decides, with every item of a collection looked at.

Two differences from typeguard's defaults, both what a caller of the contract relies on: ``bytes`` means
``bytes`` (typeguard, after PEP 484, lets ``bytearray`` and ``memoryview`` pass), and a product whose type is
itself a contract is checked against that contract member by member, not here.
"""

from __future__ import annotations

import contextvars
import functools
import types
import typing
from typing import Any

import typeguard
import typing_extensions
from typeguard import CollectionCheckStrategy, TypeCheckError, TypeCheckMemo, check_type

from interlock.contracts._declare import is_contract
from interlock.properties._doubles import Double
from interlock.properties._values import a_or_an, clip, describe_error, py_repr

__all__ = ["type_problem"]

_STRICT = contextvars.ContextVar("interlock_strict_bytes", default=False)

_BINARY_DUNDERS = frozenset(
    {
        "__eq__",
        "__ne__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__add__",
        "__sub__",
        "__mul__",
        "__truediv__",
        "__floordiv__",
        "__mod__",
        "__and__",
        "__or__",
        "__xor__",
        "__radd__",
        "__rsub__",
        "__rmul__",
    }
)
"""Special methods that may return ``NotImplemented`` to let the other operand decide (the data model's rule)."""


def _strict_bytes(value: Any, origin_type: Any, args: tuple[Any, ...], memo: TypeCheckMemo) -> None:
    if not isinstance(value, bytes):
        raise TypeCheckError("is not bytes (bytearray and memoryview are not bytes to a caller that hashes or stores it)")


def _lookup(origin_type: Any, args: tuple[Any, ...], extras: tuple[Any, ...]) -> Any:
    if origin_type is bytes and _STRICT.get():
        return _strict_bytes
    return None


if _lookup not in typeguard.checker_lookup_functions:
    # only while interlock checks a value (the context variable), so a user's own typeguard is left as it is
    typeguard.checker_lookup_functions.insert(0, _lookup)


_PLAIN: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), bool: (bool,), float: (float, int), bytes: (bytes,)}
"""Annotations a plain ``isinstance`` decides when it says yes (PEP 484: an ``int`` is a ``float``); a no goes to
typeguard for its message."""


def type_problem(value: Any, annotation: Any, member: str | None = None) -> str | None:
    """Why ``value`` is not of ``annotation``, or None when it is."""
    if is_contract(annotation):
        return None  # a product of a contract's type is checked against that contract, member by member
    if member in _BINARY_DUNDERS and value is NotImplemented:
        return None
    if annotation is None or annotation is type(None):
        return None if value is None else f"{clip(py_repr(value))} ({a_or_an(type(value).__name__)}), not None"
    plain = _plain(annotation)
    if plain is not None and issubclass(type(value), plain):  # type(): a value's own __class__ may raise
        return None  # the common case, without typeguard's machinery (a scenario checks every call it makes)
    if issubclass(type(value), Double) and getattr(type(value), "_interlock_protocol", None) is annotation:
        return None  # the checker's own double of that very Protocol (typeguard would read its hints on every call)
    if _has_plain_attributes(value, annotation):
        return None  # a result Protocol of plain attributes (TokenValidation): what typeguard would find, faster
    token = _STRICT.set(True)
    try:
        check_type(value, annotation, collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
    except TypeCheckError as exc:
        return f"{clip(py_repr(value))} ({exc})"
    except Exception as exc:  # the value's own dunders raised while it was looked at
        return f"{a_or_an(type(value).__name__)} that cannot be checked against its type: looking at it raised {describe_error(exc)}"
    finally:
        _STRICT.reset(token)
    return None


def _has_plain_attributes(value: Any, annotation: Any) -> bool:
    """Whether ``value`` (not a class) has every attribute of a Protocol made only of plain data attributes, each of
    its type: then typeguard, which reads the Protocol's hints again on every check, would find nothing either.
    False says nothing: typeguard decides, and words the message."""
    try:
        attributes = _plain_attributes(annotation)
    except TypeError:  # an unhashable annotation
        return False
    if attributes is None or isinstance(value, type):
        return False
    for name, plain in attributes:
        try:
            attribute = getattr(value, name)
        except Exception:  # missing, or a property that raises: typeguard words it
            return False
        if not issubclass(type(attribute), plain):
            return False
    return True


@functools.lru_cache(maxsize=256)
def _plain_attributes(annotation: Any) -> tuple[tuple[str, tuple[type, ...]], ...] | None:
    """A Protocol's attributes and the classes each must be of, where every member is a data attribute with a plain
    annotation (``bool``, ``str | None``); None for anything else."""
    if not (isinstance(annotation, type) and getattr(annotation, "_is_protocol", False)):
        return None
    try:
        members = typing_extensions.get_protocol_members(annotation)
        hints = typing.get_type_hints(annotation)
    except Exception:  # hints that do not resolve: typeguard says what it makes of them
        return None
    out: list[tuple[str, tuple[type, ...]]] = []
    for name in sorted(members):
        plain = _plain(hints[name]) if name in hints else None
        if plain is None:
            return None
        out.append((name, plain))
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _plain_union(annotation: Any) -> tuple[type, ...] | None:
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    out: list[type] = []
    for arg in typing.get_args(annotation):
        if arg is None or arg is type(None):
            out.append(type(None))
            continue
        found = _PLAIN.get(arg)
        if found is None:
            return None
        out += found
    return tuple(out)


def _plain(annotation: Any) -> tuple[type, ...] | None:
    """The classes a plain ``isinstance`` checks an annotation with: a plain type, or a union of plain types and None."""
    found = _PLAIN.get(annotation)
    if found is not None:
        return found
    try:
        return _plain_union(annotation)
    except TypeError:  # an unhashable annotation
        return None
