"""A contract in a module of its own, implemented and used from ``cross_module``."""

from typing import Protocol

import interlock


@interlock.contract
class Notifier(Protocol):
    async def notify(self, user_id: str, message: str) -> int: ...
