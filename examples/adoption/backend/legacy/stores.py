"""The first session store, still imported by the admin views. Nobody registered it."""


class MemorySessionStore:
    def __init__(self) -> None:
        self._users: dict[str, str] = {}

    def put(self, sid: str, user_id: str) -> None:
        self._users[sid] = user_id

    def get(self, sid: str) -> str | None:
        return self._users.get(sid)

    def delete(self, sid: str) -> bool:
        return self._users.pop(sid, None) is not None
