"""The ``Notifier`` contract and the two notifiers this project ships.

``EmailNotifier`` keeps the contract. ``SmsNotifier`` was written against an
older draft: its first parameter is called ``recipient``, and it sends whatever
message it is given, ``None`` included.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import interlock
from interlock import NonEmpty


@interlock.contract
class Notifier(Protocol):
    """Delivers a message to one user and returns a receipt."""

    def __init__(self, sender: NonEmpty[str]) -> None: ...

    @interlock.ensures(
        lambda user_id, result: user_id in result,
        id="receipt-names-the-user",
        text="The receipt names the user the message went to.",
    )
    async def notify(self, user_id: NonEmpty[str], message: NonEmpty[str]) -> str: ...

    def sent(self) -> int: ...


def _require_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")


class EmailNotifier:
    """Sends e-mail; rejects bad input before sending anything."""

    def __init__(self, sender: str) -> None:
        _require_text("sender", sender)
        self.sender = sender
        self.outbox: list[tuple[str, str]] = []

    async def notify(self, user_id: str, message: str) -> str:
        _require_text("user_id", user_id)
        _require_text("message", message)
        await asyncio.sleep(0)
        self.outbox.append((user_id, message))
        return f"email from {self.sender} to {user_id} #{len(self.outbox)}"

    def sent(self) -> int:
        return len(self.outbox)


class SmsNotifier:
    """Sends text messages. Drifts: ``user_id`` is called ``recipient``, and the message is not checked."""

    def __init__(self, sender: str) -> None:
        _require_text("sender", sender)
        self.sender = sender
        self.log: list[str] = []

    async def notify(self, recipient: str, message: str) -> str:
        _require_text("recipient", recipient)
        await asyncio.sleep(0)
        self.log.append(f"{recipient}: {message}")
        return f"sms from {self.sender} to {recipient} #{len(self.log)}"

    def sent(self) -> int:
        return len(self.log)
