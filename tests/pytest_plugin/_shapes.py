"""Contracts and implementations the pytester projects use; copied into each project as ``shapes.py``.

Each drifting implementation has exactly one defect, so each one fails exactly one generated test.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import interlock
from interlock import NonEmpty


@interlock.contract
class Notifier(Protocol):
    """Sends a message to a user and returns a receipt."""

    def __init__(self, sender: NonEmpty[str]) -> None: ...

    @interlock.ensures(lambda user_id, result: user_id in result, id="receipt-names-the-user", text="The receipt names the user.")
    def notify(self, user_id: NonEmpty[str], message: NonEmpty[str]) -> str: ...


def _text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")


class GoodNotifier:
    """Conforms."""

    def __init__(self, sender: str) -> None:
        _text("sender", sender)
        self.sender = sender

    def notify(self, user_id: str, message: str) -> str:
        _text("user_id", user_id)
        _text("message", message)
        return f"{self.sender}->{user_id}:{len(message)}"


class RenamedNotifier(GoodNotifier):
    """Drifts: ``user_id`` is called ``user`` (param-name-drift)."""

    def notify(self, user: str, message: str) -> str:  # type: ignore[override]
        return super().notify(user, message)


class LaxNotifier(GoodNotifier):
    """Drifts: accepts ``None`` (and blank text) for ``user_id``."""

    def notify(self, user_id: str, message: str) -> str:
        _text("message", message)
        return f"{self.sender}->{user_id}:{len(message)}"


class ForgetfulNotifier(GoodNotifier):
    """Drifts: the receipt does not name the user (breaks receipt-names-the-user)."""

    def notify(self, user_id: str, message: str) -> str:
        _text("user_id", user_id)
        _text("message", message)
        return f"{self.sender}:{len(message)}"


class AsyncNotifier(GoodNotifier):
    """Drifts: ``notify`` is async (async-mismatch); what it returns, awaited, is still judged."""

    async def notify(self, user_id: str, message: str) -> str:  # type: ignore[override]
        return super().notify(user_id, message)


class ChannelNotifier(GoodNotifier):
    """Drifts: notify requires a ``channel`` the contract does not have, so no caller of the contract can reach it."""

    def notify(self, user_id: str, message: str, channel: str) -> str:  # type: ignore[override]
        return super().notify(user_id, message)


@interlock.contract
class Mailer(Protocol):
    """An async contract: sends mail and returns the number of recipients."""

    @interlock.ensures(lambda result: result == 1, id="one-recipient", text="A mail to one address reaches one recipient.")
    async def send(self, to: NonEmpty[str], body: str) -> int: ...


class AsyncMailer:
    """Conforms, awaiting as it goes."""

    async def send(self, to: str, body: str) -> int:
        _text("to", to)
        if not isinstance(body, str):
            raise TypeError("body must be str")
        await asyncio.sleep(0)
        return 1


class BlockingMailer:
    """Drifts: a plain def where the contract's member is async."""

    def send(self, to: str, body: str) -> int:
        _text("to", to)
        if not isinstance(body, str):
            raise TypeError("body must be str")
        return 1


@interlock.contract
class Pricer(Protocol):
    """Prices: an unknown SKU may raise KeyError; totals must agree between implementations."""

    @interlock.raises(KeyError, id="unknown-sku-may-raise", text="An unknown SKU may raise KeyError.")
    def price(self, sku: NonEmpty[str]) -> int: ...

    @interlock.comparable(id="totals-agree", text="Implementations add up the same total.")
    def total(self, count: int) -> int: ...


class ListPricer:
    """Conforms: knows no SKU, three per item."""

    def price(self, sku: str) -> int:
        _text("sku", sku)
        raise KeyError(sku)

    def total(self, count: int) -> int:
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError("count must be an int")
        return 3 * count


class ZeroPricer(ListPricer):
    """Conforms alone; beside ListPricer, it prices unknown SKUs at 0 instead of raising (differential)."""

    def price(self, sku: str) -> int:
        _text("sku", sku)
        return 0


class DiscountPricer(ListPricer):
    """Conforms alone; beside ListPricer, its totals differ from 6 items on (breaks totals-agree)."""

    def total(self, count: int) -> int:
        return super().total(count) - (1 if count > 5 else 0)
