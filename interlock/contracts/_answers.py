"""Answers for doubles that carry their own source, so reproducers can print them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["answering"]


def answering(source: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A double's answer that carries the Python recreating it in a reproducer (``lambda *a, **k: 1``).

    ``double.answer("send", interlock.answering("lambda *a, **k: 0", lambda *a, **k: 0))``
    shows as ``double.answer('send', lambda *a, **k: 0)`` in the reproducer.
    """

    def answer(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    answer.interlock_source = source  # type: ignore[attr-defined]
    return answer
