"""A contract imported from another module: declarations and uses are checked the same way."""

from shared_contracts import Notifier

import interlock


@interlock.implements(Notifier)
class EmailNotifier:
    async def notify(self, user: str, message: str) -> int:  # E: Notifier.notify: parameter "user_id" is named "user" in EmailNotifier.notify (contract: async def notify(self, user_id: str, message: str) -> int; implementation: async def notify(self, user: str, message: str) -> int)  [interlock-drift]
        return 0


class SmsNotifier:
    async def notify(self, user_id: str, message: str, /) -> int:
        return 0


def send(notifier: Notifier) -> None: ...


send(SmsNotifier())  # E: Notifier.notify: parameter "user_id" is positional-only in SmsNotifier.notify (contract: async def notify(self, user_id: str, message: str) -> int; implementation: async def notify(self, str, str, /) -> int)  [interlock-drift]
