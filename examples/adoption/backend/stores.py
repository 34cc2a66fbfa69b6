"""The session stores in use today."""

import interlock
from backend._checks import require_text
from backend.contracts import SessionStore


@interlock.implements(SessionStore)
class MemorySessionStore:
    def __init__(self) -> None:
        self._users: dict[str, str] = {}

    def put(self, session_id: str, user_id: str) -> None:
        self._users[require_text("session_id", session_id)] = require_text("user_id", user_id)

    def get(self, session_id: str) -> str | None:
        return self._users.get(require_text("session_id", session_id))

    def delete(self, session_id: str) -> bool:
        return self._users.pop(require_text("session_id", session_id), None) is not None


@interlock.implements(SessionStore)
class RedisSessionStore:
    """Written against a Redis client; here a dict stands in for it. It trusts its callers."""

    def __init__(self) -> None:
        self._redis: dict[str, str] = {}

    def put(self, session_id: str, user_id: str) -> None:
        self._redis[f"session:{session_id}"] = str(user_id)

    def get(self, session_id: str) -> str | None:
        return self._redis.get(f"session:{session_id}")

    def delete(self, session_id: str) -> bool:
        return self._redis.pop(f"session:{session_id}", None) is not None
