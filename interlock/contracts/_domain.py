"""A parameter's domain, read from its annotation: the plain type, the markers and the bounds."""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import annotated_types as at
import attrs

from interlock.contracts._markers import FINITE, NONEMPTY, STRICT, Marker

__all__ = ["Domain", "format_annotation", "read_domain"]

_BOUND_TYPES = (at.Gt, at.Ge, at.Lt, at.Le, at.MinLen, at.MaxLen, at.Interval, at.Len)


@attrs.frozen
class Domain:
    """What a parameter accepts: ``base`` is the annotation stripped of markers and ``None``."""

    base: Any
    optional: bool = False
    nonempty: bool = False
    strict: bool = False
    finite: bool = False
    bounds: tuple[Any, ...] = ()
    annotation: Any = None

    def bound(self, name: str) -> Any:
        """The first ``annotated_types`` bound's ``name`` (``ge``, ``max_length``, ...), or None."""
        for b in self.bounds:
            value = getattr(b, name, None)
            if value is not None:
                return value
        return None

    def contains_bounds(self, value: Any) -> bool:
        """Whether a number or sized value lies within every bound of this domain."""
        return all(_within(bound, value) for bound in self.bounds)

    def describe(self) -> str:
        """The domain in the words of contracts.md, for messages."""
        name = _type_name(self.base)
        for flag, marker in ((self.nonempty, "NonEmpty"), (self.finite, "Finite"), (self.strict, "Strict")):
            if flag:
                name = f"{marker}[{name}]"
        if self.bounds:
            name += " " + " ".join(_bound_text(b) for b in self.bounds)
        if self.optional:
            name += " | None"
        return name


def _type_name(tp: Any) -> str:
    if isinstance(tp, type) and not typing.get_args(tp):
        return tp.__qualname__
    return repr(tp).replace("typing.", "")


def _bound_text(bound: Any) -> str:
    parts = []
    for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="), ("min_length", "len>="), ("max_length", "len<=")):
        value = getattr(bound, attr, None)
        if value is not None:
            parts.append(f"{sym} {value!r}")
    return ", ".join(parts) or repr(bound)


def _within(bound: Any, value: Any) -> bool:
    checks: list[tuple[str, Callable[[Any, Any], bool]]] = [
        ("gt", lambda v, b: v > b),
        ("ge", lambda v, b: v >= b),
        ("lt", lambda v, b: v < b),
        ("le", lambda v, b: v <= b),
        ("min_length", lambda v, b: len(v) >= b),
        ("max_length", lambda v, b: len(v) <= b),
    ]
    for attr, ok in checks:
        limit = getattr(bound, attr, None)
        if limit is not None:
            try:
                if not ok(value, limit):
                    return False
            except TypeError:
                return False
    return True


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def read_domain(annotation: Any, where: str) -> Domain:
    """Read an annotation into a Domain; a marker on a type it does not fit raises ``ValueError``."""
    markers: list[Marker] = []
    bounds: list[Any] = []
    optional = False
    tp = annotation
    # Peel Annotated and Optional layers in any order: NonEmpty[str] | None, Annotated[int | None, Ge(0)].
    for _ in range(8):
        if typing.get_origin(tp) is typing.Annotated:
            args = typing.get_args(tp)
            tp = args[0]
            for meta in args[1:]:
                if isinstance(meta, Marker):
                    markers.append(meta)
                elif isinstance(meta, _BOUND_TYPES):
                    bounds.extend(_flatten_bound(meta))
            continue
        if _is_union(tp):
            members = typing.get_args(tp)
            rest = tuple(m for m in members if m is not type(None))
            if len(rest) < len(members):
                optional = True
                if len(rest) == 1:
                    tp = rest[0]
                    continue
                tp = functools.reduce(operator.or_, rest)
            break
        break
    for marker in markers:
        if not (isinstance(tp, type) and issubclass(tp, marker.applies_to)):
            allowed = " or ".join(t.__name__ for t in marker.applies_to)
            raise ValueError(
                f"{where}: {marker!r} applies to {allowed}, not to {_type_name(tp)} (write {marker.name}[{marker.applies_to[0].__name__}])"
            )
    return Domain(
        base=tp,
        optional=optional,
        nonempty=NONEMPTY in markers,
        strict=STRICT in markers,
        finite=FINITE in markers,
        bounds=tuple(bounds),
        annotation=annotation,
    )


def _flatten_bound(meta: Any) -> list[Any]:
    if isinstance(meta, at.Interval | at.Len):
        return list(meta)  # GroupedMetadata yields its parts
    return [meta]


def format_annotation(annotation: Any) -> str:
    """An annotation as a contract author writes it: ``NonEmpty[str] | None``, ``Mapping[str, Any]``."""
    if annotation is None or annotation is type(None):
        return "None"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        text = format_annotation(args[0])
        for meta in args[1:]:
            text = f"{meta.name}[{text}]" if isinstance(meta, Marker) else f"Annotated[{text}, {meta!r}]"
        return text
    if _is_union(annotation):
        return " | ".join(format_annotation(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None and args:
        name = getattr(origin, "__qualname__", None) or repr(origin)
        if annotation.__module__ == "typing" and hasattr(annotation, "_name") and annotation._name:
            name = annotation._name
        return f"{name}[{', '.join('...' if a is Ellipsis else format_annotation(a) for a in args)}]"
    if isinstance(annotation, type):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "").replace("collections.abc.", "")
