"""Values as Python source: reproducers print arguments so that pasting them rebuilds them."""

from __future__ import annotations

import math
import os
import re
import unicodedata
from typing import Any

from interlock.properties._runner import TEXT_LIMIT, Signal, limited

__all__ = ["a_or_an", "clip", "describe_error", "member_once", "printable", "py_repr", "raise_site", "replayable", "shorten_values"]

_RUN = 16
"""The shortest run of one character inside a long value that its source writes as ``'x' * n``."""

_LONG = 64
"""Text and bytes shorter than this are written as ``repr`` writes them; a longer value that repeats a piece of up to
8 items is written as ``'ab' * 600 + 'a'``."""


def py_repr(value: Any) -> str:
    """Python source that evaluates to ``value`` (``float('nan')`` for nan, doubles by their builder).

    A target's object whose ``__repr__`` raises is shown by its type, never a failed run.
    """
    if type(value) in _PLAIN:
        return _py_repr(value)
    endless = f"<{_type_name(value)} whose __repr__ did not return within {TEXT_LIMIT:g}s>"
    if _hangs(value):
        return endless
    try:
        done, text = limited(lambda: _py_repr(value))
    except Signal:  # interlock's own (a stop, a time limit): never the value's
        raise
    except BaseException as exc:  # a KeyboardInterrupt or SystemExit the target's __repr__ raised is the target's
        return f"<{_type_name(value)} whose __repr__ raised {_type_name(exc)}>"
    if not done:
        _HANGS.add(id(type(value)))
        return endless
    return str(text)


_HANGS: set[int] = set()
"""The types (by id) whose ``__repr__`` or ``__str__`` once did not return in time: not asked again in the run, so
a target whose every result hangs when shown costs the limit once, not once per example."""


def _hangs(value: Any) -> bool:
    return id(type(value)) in _HANGS


_PLAIN = frozenset({int, str, float, bytes, bool, type(None)})
"""Values the checker draws itself: their ``repr`` is Python's own and cannot hang."""


def describe_error(exc: BaseException, limit: int = 160) -> str:
    """``Type: message`` of an exception, clipped; an exception whose ``__str__`` raises is named by its type."""
    try:
        done, shown = limited(lambda: str(exc)) if not _hangs(exc) else (False, None)
        if not done:
            _HANGS.add(id(type(exc)))
        text = str(shown) if done else f"<its __str__ did not return within {TEXT_LIMIT:g}s>"
    except Signal:
        raise
    except BaseException as inner:
        text = f"<its __str__ raised {_type_name(inner)}>"
    text = printable(clip(text, limit))
    return f"{_type_name(exc)}: {text}" if text else _type_name(exc)


def printable(text: str) -> str:
    """``text`` with lone surrogates and control characters (tab and line ends aside) escaped as ``repr`` does.

    A target's exception message may hold the value it was given: a lone surrogate cannot be written as UTF-8,
    and NUL cannot appear in XML, so neither reaches the report as it is.
    """
    if text.isprintable():
        return text
    return "".join(c if c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cs") else repr(c)[1:-1] for c in text)


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)
    except Exception:
        return "object"


def replayable(value: Any) -> bool:
    """Whether ``py_repr(value)`` evaluates to an equal value: plain data in lists, tuples, sets and dicts, and
    exceptions of the built-in types made from plain data."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind in (list, tuple, set, frozenset):
        return all(replayable(v) for v in value)
    if kind is dict:
        return all(replayable(k) and replayable(v) for k, v in value.items())
    if isinstance(value, BaseException):
        return kind.__module__ == "builtins" and all(replayable(a) for a in value.args)
    return False


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
    if type(value) in (str, bytes) and len(value) >= _LONG:
        return _long_repr(value)
    if type(value) is str:
        return _text_repr(value)
    if type(value) is object:
        return "object()"
    return repr(value)


def _text_repr(text: str) -> str:
    """``repr``, with combining marks escaped: ``'e\\u0301'`` and ``'é'`` look alike as ``repr`` writes them."""
    shown = repr(text)
    if text.isascii():
        return shown
    for c in {c for c in text if unicodedata.combining(c)}:
        shown = shown.replace(c, f"\\u{ord(c):04x}")
    return shown


def _long_repr(value: str | bytes) -> str:
    """A long text or bytes value as an expression: ``'0' * 1001``, ``'ab' * 600 + 'a'``, ``'x' + '0' * 900``."""
    n = len(value)
    for period in range(1, 9):
        reps, rest = divmod(n, period)
        if value[period:] == value[:-period]:  # the value repeats its first ``period`` items
            return f"{_short_repr(value[:period])} * {reps}" + (f" + {_short_repr(value[:rest])}" if rest else "")
    pieces: list[str] = []
    start = i = 0
    if not any(value[k] == value[k + 1] for k in range(0, n - 1, _RUN - 1)):
        return _short_repr(value)  # no run of _RUN: any such run holds one of these positions and the next
    while i < n:
        j = i + 1
        while j < n and value[j] == value[i]:
            j += 1
        if j - i >= _RUN:
            if start < i:
                pieces.append(_short_repr(value[start:i]))
            pieces.append(f"{_short_repr(value[i : i + 1])} * {j - i}")
            start = j
        i = j
    if start == 0:
        return _short_repr(value)
    if start < n:
        pieces.append(_short_repr(value[start:]))
    return " + ".join(pieces)


def _short_repr(value: str | bytes) -> str:
    return _text_repr(value) if isinstance(value, str) else repr(value)


def clip(text: str, n: int = 120) -> str:
    """``text``, cut to ``n`` characters with an ellipsis in the middle (as pytest's ``saferepr`` does): the
    start and the end of a long path or value both stay readable."""
    if len(text) <= n:
        return text
    head = max(0, (n - 3) // 2)
    tail = max(0, n - 3 - head)
    return text[:head] + "..." + (text[-tail:] if tail else "")


VALUE_WIDTH = 120
"""The longest run of text without a space that a violation's message shows whole (a value, a path); a longer
one is cut in the middle. The reproducer keeps every value whole."""


def shorten_values(message: str, width: int = VALUE_WIDTH) -> str:
    """``message`` with every run of more than ``width`` characters without white space cut in the middle."""
    if len(message) <= width:
        return message
    return re.sub(rf"\S{{{width + 1},}}", lambda m: clip(m.group(0), width), message)


def member_once(member: str | None, text: str) -> str:
    """A message about ``member``, which names it once, first: ``"get: raised KeyError"``, whether ``text``
    named it (``"get raised KeyError"``) or not (``"raised KeyError"``)."""
    if not member:
        return text
    if text.startswith(f"{member}: "):
        return text
    if text.startswith(f"{member} "):
        return f"{member}: {text[len(member) + 1 :]}"
    if re.match(rf"{re.escape(member)}\b", text):  # "get's result ...": it reads right as it is
        return text
    return f"{member}: {text}"


def a_or_an(word: str) -> str:
    """The indefinite article of ``word`` as it is read: "an int", "an alg-none token", "a UUID", "a str"."""
    lowered = word.lower()
    if lowered[:1] in ("a", "e", "i", "o") or (lowered[:1] == "u" and not lowered.startswith(("uni", "use", "usu", "uu", "ut"))):
        return f"an {word}"
    return f"a {word}"


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
