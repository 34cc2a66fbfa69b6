"""What the back end's session stores and rate limiters promise, written down after the fact."""

from typing import Annotated, Protocol

from annotated_types import Ge

import interlock
from interlock import NonEmpty, Strict


def get_returns_what_put_stored(target: "SessionStore", session_id: str, user_id: str) -> bool:
    """After put(session_id, user_id), get(session_id) is that user."""
    return target.get(session_id) == user_id


@interlock.contract
class SessionStore(Protocol):
    """Which user a session belongs to."""

    @interlock.ensures(get_returns_what_put_stored)
    def put(self, session_id: NonEmpty[str], user_id: NonEmpty[str]) -> None: ...

    def get(self, session_id: NonEmpty[str]) -> str | None: ...

    def delete(self, session_id: NonEmpty[str]) -> bool: ...


@interlock.contract
class RateLimiter(Protocol):
    """How many requests a user may still make."""

    def allow(self, user_id: NonEmpty[str], cost: Annotated[Strict[int], Ge(1)] = 1) -> bool: ...

    def remaining(self, user_id: NonEmpty[str]) -> int: ...
