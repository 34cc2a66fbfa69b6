"""Strategies the built-in contracts share: ids, messages, failures real clients raise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

__all__ = ["BLANKS", "FAILURES", "answering", "blank_kind", "failures", "ids", "messages"]

ids: st.SearchStrategy[str] = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x24F, exclude_characters="\x85\xa0"), min_size=1, max_size=8
)
"""Ids for scenarios: non-blank text (no white space at all), short, cheap to draw and to shrink."""

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


def blank_kind(value: Any) -> str:
    """The violation kind of accepting a blank value: ``None`` is none-propagation, the rest empty-string."""
    return "none-propagation" if value is None else "empty-string"


def answering(source: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A double's answer that carries the Python recreating it in a reproducer (``lambda *a, **k: 1``)."""

    def answer(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    answer.interlock_source = source  # type: ignore[attr-defined]
    return answer
