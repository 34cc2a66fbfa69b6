"""Strategies the built-in contracts share: ids, messages, failures real clients raise."""

from __future__ import annotations

from typing import Any, Literal

from hypothesis import strategies as st

from interlock.contracts._answers import answering

__all__ = ["BLANKS", "FAILURES", "answering", "blank_kind", "failures", "ids", "messages"]

ids: st.SearchStrategy[str] = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F), min_size=1, max_size=8).filter(
    lambda s: s.strip() != ""
)
"""Ids for scenarios: non-blank text, white space inside and around included, short."""

_scalars: st.SearchStrategy[Any] = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=6)
messages: st.SearchStrategy[dict[str, Any]] = st.dictionaries(
    st.sampled_from(("text", "data", "id", "seq", "meta")),
    _scalars | st.lists(_scalars, max_size=2) | st.dictionaries(st.sampled_from(("a", "b")), _scalars, max_size=2),
    max_size=3,
)
"""Plain dicts with text keys and JSON-compatible values, for scenarios that only pass messages on."""

FAILURES: tuple[type[Exception], ...] = (ConnectionError, TimeoutError, OSError, RuntimeError)
"""What a double told to fail raises: what real sockets and clients raise."""

failures: st.SearchStrategy[Exception] = st.sampled_from(FAILURES).map(lambda t: t("interlock: injected failure"))

BLANKS: tuple[Any, ...] = (None, "", " ", "\t\n")
"""Values a non-empty field must not take."""


def blank_kind(value: Any) -> Literal["none-propagation", "empty-string"]:
    """The violation kind of accepting a blank value: ``None`` is none-propagation, the rest empty-string."""
    return "none-propagation" if value is None else "empty-string"
