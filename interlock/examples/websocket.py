"""Reference implementations of the WebSocket contracts, and realistic drifting variants.

The references conform with zero violations: read them as the correct answer.
Each drifting variant carries one defect of the kinds real back ends show,
named in its docstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "EagerBridge",
    "LegacyBridge",
    "LingeringManager",
    "ReferenceBridge",
    "ReferenceManager",
    "StopOnErrorManager",
]


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")
    return value


class ReferenceManager:
    """Keeps each user's connections by id; sends to every socket of a user, skipping failing ones."""

    def __init__(self) -> None:
        self._connections: dict[str, Any] = {}
        self._by_user: dict[str, set[str]] = {}

    async def add_connection(self, connection: Any) -> None:
        if connection is None:
            raise TypeError("connection must not be None")
        connection_id = _text(getattr(connection, "connection_id", None), "connection.connection_id")
        user_id = _text(getattr(connection, "user_id", None), "connection.user_id")
        self._connections[connection_id] = connection
        self._by_user.setdefault(user_id, set()).add(connection_id)

    async def remove_connection(self, connection_id: str) -> None:
        _text(connection_id, "connection_id")
        connection = self._connections.pop(connection_id, None)
        if connection is None:
            return
        ids = self._by_user.get(connection.user_id, set())
        ids.discard(connection_id)
        if not ids:
            self._by_user.pop(connection.user_id, None)

    def get_user_connections(self, user_id: str) -> set[str]:
        return set(self._by_user.get(_text(user_id, "user_id"), ()))

    def is_connection_active(self, user_id: str) -> bool:
        return bool(self._by_user.get(_text(user_id, "user_id")))

    async def send_to_user(self, user_id: str, message: Mapping[str, Any]) -> int:
        _text(user_id, "user_id")
        if not isinstance(message, Mapping):
            raise TypeError("message must be a mapping")
        reached = 0
        for connection_id in sorted(self._by_user.get(user_id, ())):
            try:
                await self._connections[connection_id].websocket.send_json(message)
            except Exception:  # whatever a dead socket raises: Starlette's WebSocketDisconnect is none of the built-ins
                continue
            reached += 1
        return reached


class StopOnErrorManager(ReferenceManager):
    """cascade: one failing socket stops delivery to the rest and the error escapes."""

    async def send_to_user(self, user_id: str, message: Mapping[str, Any]) -> int:
        _text(user_id, "user_id")
        if not isinstance(message, Mapping):
            raise TypeError("message must be a mapping")
        reached = 0
        for connection_id in sorted(self._by_user.get(user_id, ())):
            await self._connections[connection_id].websocket.send_json(message)
            reached += 1
        return reached


class LingeringManager(ReferenceManager):
    """leak: removed connections stay in a history list."""

    def __init__(self) -> None:
        super().__init__()
        self._history: list[Any] = []

    async def add_connection(self, connection: Any) -> None:
        await super().add_connection(connection)
        self._history.append(connection)


def _strict_count(value: object, name: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")
    if value < 0:
        raise ValueError(f"{name} must be 0 or more")


def _strict_ms(value: object, name: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be finite and 0 or more")


def _mapping(value: object, name: str) -> None:
    if value is not None and not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping or None")


class ReferenceBridge:
    """Sends one message per event to the context's user; reports delivery, never raises on a failing manager."""

    def __init__(self, websocket_manager: Any, user_context: Any) -> None:
        if websocket_manager is None:
            raise TypeError("websocket_manager must not be None")
        if user_context is None:
            raise TypeError("user_context must not be None")
        self._manager = websocket_manager
        self._context = user_context

    async def _send(self, message: dict[str, Any]) -> bool:
        try:
            reached = await self._manager.send_to_user(self._context.user_id, message)
        except (ConnectionError, TimeoutError, OSError, RuntimeError):
            return False
        return isinstance(reached, int) and reached >= 1

    async def notify_agent_started(self, run_id: str, agent_name: str, context: Mapping[str, Any] | None = None) -> bool:
        _text(run_id, "run_id")
        _text(agent_name, "agent_name")
        _mapping(context, "context")
        return await self._send({"type": "agent_started", "run_id": run_id, "agent_name": agent_name, "context": dict(context or {})})

    async def notify_agent_thinking(self, run_id: str, agent_name: str, reasoning: str, step_number: int | None = None) -> bool:
        _text(run_id, "run_id")
        _text(agent_name, "agent_name")
        if not isinstance(reasoning, str):
            raise TypeError("reasoning must be str")
        _strict_count(step_number, "step_number")
        return await self._send(
            {"type": "agent_thinking", "run_id": run_id, "agent_name": agent_name, "reasoning": reasoning, "step_number": step_number}
        )

    async def notify_tool_executing(self, run_id: str, tool_name: str, parameters: Mapping[str, Any] | None = None) -> bool:
        _text(run_id, "run_id")
        _text(tool_name, "tool_name")
        _mapping(parameters, "parameters")
        return await self._send({"type": "tool_executing", "run_id": run_id, "tool_name": tool_name, "parameters": dict(parameters or {})})

    async def notify_tool_completed(
        self, run_id: str, tool_name: str, result: Mapping[str, Any] | None = None, execution_time_ms: float | None = None
    ) -> bool:
        _text(run_id, "run_id")
        _text(tool_name, "tool_name")
        _mapping(result, "result")
        _strict_ms(execution_time_ms, "execution_time_ms")
        return await self._send(
            {
                "type": "tool_completed",
                "run_id": run_id,
                "tool_name": tool_name,
                "result": dict(result or {}),
                "execution_time_ms": execution_time_ms,
            }
        )

    async def notify_agent_completed(
        self, run_id: str, agent_name: str, result: Mapping[str, Any] | None = None, execution_time_ms: float | None = None
    ) -> bool:
        _text(run_id, "run_id")
        _text(agent_name, "agent_name")
        _mapping(result, "result")
        _strict_ms(execution_time_ms, "execution_time_ms")
        return await self._send(
            {
                "type": "agent_completed",
                "run_id": run_id,
                "agent_name": agent_name,
                "result": dict(result or {}),
                "execution_time_ms": execution_time_ms,
            }
        )


class LegacyBridge(ReferenceBridge):
    """param-name-drift: the constructor takes ``manager=`` where the contract says ``websocket_manager=``."""

    def __init__(self, manager: Any, user_context: Any) -> None:
        super().__init__(manager, user_context)


class EagerBridge(ReferenceBridge):
    """cascade: a ConnectionError from the manager escapes instead of returning False."""

    async def _send(self, message: dict[str, Any]) -> bool:
        reached = await self._manager.send_to_user(self._context.user_id, message)
        return isinstance(reached, int) and reached >= 1
