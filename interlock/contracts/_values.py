"""Strategies the built-in contracts share: ids, messages, failures real clients raise."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["BLANKS", "FAILURES", "failures", "ids", "messages"]

ids: st.SearchStrategy[str] = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")
"""Non-blank text, as a ``NonEmpty[str]`` id is drawn."""

_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
messages: st.SearchStrategy[dict[str, Any]] = st.dictionaries(st.text(max_size=8), _json, max_size=4)
"""Plain dicts with text keys and JSON-compatible values."""

FAILURES: tuple[type[Exception], ...] = (ConnectionError, TimeoutError, OSError, RuntimeError)
"""What a double told to fail raises: what real sockets and clients raise."""

failures: st.SearchStrategy[Exception] = st.sampled_from(FAILURES).map(lambda t: t("interlock: injected failure"))

BLANKS: tuple[Any, ...] = (None, "", " ", "\t\n")
"""Values a non-empty field must not take."""


def blank_kind(value: Any) -> str:
    """The violation kind of accepting a blank value: ``None`` is none-propagation, the rest empty-string."""
    return "none-propagation" if value is None else "empty-string"
