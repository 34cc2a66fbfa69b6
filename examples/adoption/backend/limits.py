"""Rate limiters: two named in the configuration, and one that a team wrote on the side."""

from backend._checks import require_cost, require_text

LIMIT = 10


class TokenBucketLimiter:
    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def allow(self, user_id: str, cost: int = 1) -> bool:
        require_text("user_id", user_id)
        require_cost(cost)
        if self._used.get(user_id, 0) + cost > LIMIT:
            return False
        self._used[user_id] = self._used.get(user_id, 0) + cost
        return True

    def remaining(self, user_id: str) -> int:
        return LIMIT - self._used.get(require_text("user_id", user_id), 0)


class FixedWindowLimiter:
    """Reads its cost from query strings, so it takes "3" for 3, and True for 1."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def allow(self, user_id: str, cost: int = 1) -> bool:
        require_text("user_id", user_id)
        cost = int(cost)
        if cost < 1:
            raise ValueError("cost must be 1 or more")
        if self._used.get(user_id, 0) + cost > LIMIT:
            return False
        self._used[user_id] = self._used.get(user_id, 0) + cost
        return True

    def remaining(self, user_id: str) -> int:
        return LIMIT - self._used.get(require_text("user_id", user_id), 0)


class SlidingWindowLimiter:
    """Written for the websocket gateway; never registered, never configured."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def allow(self, user: str, cost: int = 1) -> bool:
        require_text("user", user)
        require_cost(cost)
        if self._used.get(user, 0) + cost > LIMIT:
            return False
        self._used[user] = self._used.get(user, 0) + cost
        return True

    def remaining(self, user: str) -> int:
        return LIMIT - self._used.get(require_text("user", user), 0)
