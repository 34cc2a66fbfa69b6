"""The demo: a ``Greeter`` contract, one implementation that conforms and four that drift.

``interlock demo`` checks them all; each drifting one shows one kind of drift.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import interlock
from interlock import NonEmpty


@interlock.contract
class Greeter(Protocol):
    """Greets people by name."""

    def __init__(self, prefix: NonEmpty[str]) -> None: ...

    @interlock.ensures(
        lambda name, result: name in result, id="greeting-names-the-person", text="The greeting contains the name it was given."
    )
    def greet(self, name: NonEmpty[str], times: int = 1) -> str: ...

    async def greet_later(self, name: NonEmpty[str]) -> str: ...


class PoliteGreeter:
    """Conforms: rejects bad input at once, names the person, async where the contract is."""

    def __init__(self, prefix: str) -> None:
        if not isinstance(prefix, str) or not prefix.strip():
            raise ValueError("prefix must be non-empty text")
        self.prefix = prefix

    def greet(self, name: str, times: int = 1) -> str:
        _require_name(name)
        if not isinstance(times, int):
            raise TypeError("times must be an int")
        return " ".join([f"{self.prefix} {name}"] * min(max(times, 1), 3))

    async def greet_later(self, name: str) -> str:
        _require_name(name)
        await asyncio.sleep(0)
        return f"{self.prefix} {name}"


def _require_name(name: object) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name must be str, got {type(name).__name__}")
    if not name.strip():
        raise ValueError("name must not be blank")


class LegacyGreeter(PoliteGreeter):
    """Drifts: the parameter is called ``who`` (callers passing ``name=`` break)."""

    def greet(self, who: str, times: int = 1) -> str:
        return super().greet(who, times)


class TrustingGreeter(PoliteGreeter):
    """Drifts: greets ``None`` and blank names instead of rejecting them."""

    def greet(self, name: str, times: int = 1) -> str:
        return f"{self.prefix} {name}" * min(max(times, 1), 3)


class CoercingGreeter(PoliteGreeter):
    """Drifts: turns ``times="3"`` into 3 instead of rejecting text where an int belongs."""

    def greet(self, name: str, times: int = 1) -> str:
        _require_name(name)
        return " ".join([f"{self.prefix} {name}"] * min(max(int(times), 1), 3))


class BlockingGreeter(PoliteGreeter):
    """Drifts: ``greet_later`` is a plain def, and greetings forget the name."""

    def greet(self, name: str, times: int = 1) -> str:
        _require_name(name)
        return f"{self.prefix}!"

    def greet_later(self, name: str) -> str:  # type: ignore[override]
        _require_name(name)
        return f"{self.prefix} {name}"


TARGETS = (PoliteGreeter, LegacyGreeter, TrustingGreeter, CoercingGreeter, BlockingGreeter)
