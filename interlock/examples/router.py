"""A reference ``MessageRouter`` and drifting variants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["LastWinsRouter", "LeakyRouter", "ReferenceRouter", "SwallowingRouter", "TrustingRouter"]


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")
    return value


class ReferenceRouter:
    """Handlers in the order added; the first whose can_handle is true gets the message."""

    def __init__(self) -> None:
        self._handlers: list[Any] = []

    def add_handler(self, handler: Any) -> None:
        if handler is None:
            raise TypeError("handler must not be None")
        if not any(h is handler for h in self._handlers):
            self._handlers.append(handler)

    def remove_handler(self, handler: Any) -> bool:
        if handler is None:
            raise TypeError("handler must not be None")
        for i, h in enumerate(self._handlers):
            if h is handler:
                del self._handlers[i]
                return True
        return False

    async def route_message(self, user_id: str, websocket: Any, raw_message: Mapping[str, Any]) -> bool:
        _text(user_id, "user_id")
        if websocket is None:
            raise TypeError("websocket must not be None")
        if not isinstance(raw_message, Mapping):
            raise TypeError("raw_message must be a mapping")
        kind = raw_message.get("type")
        if not isinstance(kind, str) or not kind.strip():
            return False
        for handler in list(self._handlers):
            try:
                if handler.can_handle(kind):
                    return bool(await handler.handle_message(user_id, websocket, raw_message))
            except Exception:
                return False
        return False


class LastWinsRouter(ReferenceRouter):
    """ordering / differential: asks the most recently added handler first."""

    async def route_message(self, user_id: str, websocket: Any, raw_message: Mapping[str, Any]) -> bool:
        self._handlers.reverse()
        try:
            return await super().route_message(user_id, websocket, raw_message)
        finally:
            self._handlers.reverse()


class SwallowingRouter(ReferenceRouter):
    """cascade: a failing handler's exception escapes route_message."""

    async def route_message(self, user_id: str, websocket: Any, raw_message: Mapping[str, Any]) -> bool:
        _text(user_id, "user_id")
        if websocket is None:
            raise TypeError("websocket must not be None")
        if not isinstance(raw_message, Mapping):
            raise TypeError("raw_message must be a mapping")
        kind = raw_message.get("type")
        if not isinstance(kind, str) or not kind.strip():
            return False
        for handler in list(self._handlers):
            if handler.can_handle(kind):
                return bool(await handler.handle_message(user_id, websocket, raw_message))
        return False


class LeakyRouter(ReferenceRouter):
    """leak: remove_handler only marks the handler as removed and keeps it."""

    def __init__(self) -> None:
        super().__init__()
        self._removed: list[Any] = []

    def remove_handler(self, handler: Any) -> bool:
        found = super().remove_handler(handler)
        if found:
            self._removed.append(handler)
        return found


class TrustingRouter(ReferenceRouter):
    """none-propagation: route_message takes a None websocket and user and passes them on."""

    async def route_message(self, user_id: str, websocket: Any, raw_message: Mapping[str, Any]) -> bool:
        kind = raw_message.get("type") if isinstance(raw_message, Mapping) else None
        if not isinstance(kind, str) or not kind.strip():
            return False
        for handler in list(self._handlers):
            try:
                if handler.can_handle(kind):
                    return bool(await handler.handle_message(user_id, websocket, raw_message))
            except Exception:
                return False
        return False
