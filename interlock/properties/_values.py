"""Values as Python source: reproducers print arguments so that pasting them rebuilds them."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["py_repr"]


def py_repr(value: Any) -> str:
    """Python source that evaluates to ``value`` (``float('nan')`` for nan, doubles by their builder)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "float('-inf')"
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_repr(k)}: {py_repr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py_repr(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(py_repr(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, set | frozenset):
        if not value:
            return "set()" if isinstance(value, set) else "frozenset()"
        inner = "{" + ", ".join(py_repr(v) for v in sorted(value, key=repr)) + "}"
        return inner if isinstance(value, set) else f"frozenset({inner})"
    return repr(value)
