"""Values as Python source: reproducers print arguments so that pasting them rebuilds them."""

from __future__ import annotations

import math
import os
from typing import Any

__all__ = ["clip", "describe_error", "py_repr", "raise_site"]


def py_repr(value: Any) -> str:
    """Python source that evaluates to ``value`` (``float('nan')`` for nan, doubles by their builder).

    A target's object whose ``__repr__`` raises is shown by its type, never a failed run.
    """
    try:
        return _py_repr(value)
    except Exception as exc:
        return f"<{_type_name(value)} whose __repr__ raised {_type_name(exc)}>"


def describe_error(exc: BaseException, limit: int = 160) -> str:
    """``Type: message`` of an exception, clipped; an exception whose ``__str__`` raises is named by its type."""
    try:
        text = str(exc)
    except Exception as inner:
        text = f"<its __str__ raised {_type_name(inner)}>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{_type_name(exc)}: {text}" if text else _type_name(exc)


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)
    except Exception:
        return "object"


def _py_repr(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "float('-inf')"
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py_repr(k)}: {_py_repr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py_repr(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_py_repr(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, set | frozenset):
        if not value:
            return "set()" if isinstance(value, set) else "frozenset()"
        inner = "{" + ", ".join(_py_repr(v) for v in sorted(value, key=repr)) + "}"
        return inner if isinstance(value, set) else f"frozenset({inner})"
    return repr(value)


def clip(text: str, n: int = 120) -> str:
    """``text``, cut to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 3] + "..."


def raise_site(exc: BaseException | None) -> str | None:
    """Where an exception was raised: its type and the frames it passed through from where the checker last called
    into the target (innermost first), or None without a traceback. Two defects raised through one shared helper
    differ in their callers; a sweep's call and a scenario's ``h.call`` reaching the same line are the same."""
    if exc is None:
        return None
    tb = exc.__traceback__
    if tb is None:
        return None
    frames: list[str] = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(part in filename for part in _NOT_THE_TARGETS):
            frames = []  # the target's part of the chain starts where the checker last called into it
        else:
            frames.append(f"{filename}:{tb.tb_lineno}")
        tb = tb.tb_next
    return f"{type(exc).__qualname__} at {' < '.join(reversed(frames))}" if frames else type(exc).__qualname__


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NOT_THE_TARGETS = (
    *(os.path.join(_PACKAGE, part) + os.sep for part in ("properties", "contracts", "adapters")),
    f"{os.sep}hypothesis{os.sep}",
    f"{os.sep}asyncio{os.sep}",
)
"""Frames that are the checker's or its machinery's, not the target's."""
