"""A reference ``ExecutionEngineFactory`` and drifting variants."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

__all__ = [
    "CachingFactory",
    "ReferenceEngine",
    "ReferenceFactory",
    "SharedHistoryEngine",
    "SharedHistoryFactory",
    "SloppyEngine",
    "SloppyEngineFactory",
    "TrustingFactory",
]


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")
    return value


class ReferenceEngine:
    """Runs one agent for one user: agent_started first, agent_completed last, to that user only."""

    def __init__(self, websocket_manager: Any, user_context: Any) -> None:
        self._manager = websocket_manager
        self.user_context = user_context
        self._runs = 0

    async def _event(self, event: str, **fields: Any) -> None:
        message = {"type": event, "run_id": self.user_context.run_id, **fields}
        try:
            await self._manager.send_to_user(self.user_context.user_id, message)
        except (ConnectionError, TimeoutError, OSError, RuntimeError):
            pass

    async def execute_agent(self, agent_name: str, user_message: str) -> Mapping[str, Any]:
        _text(agent_name, "agent_name")
        if not isinstance(user_message, str):
            raise TypeError("user_message must be str")
        self._runs += 1
        await self._event("agent_started", agent_name=agent_name)
        await asyncio.sleep(0)
        await self._event("agent_thinking", agent_name=agent_name, reasoning=f"reading {len(user_message)} characters")
        await self._event("agent_completed", agent_name=agent_name, result={"echo": user_message})
        return {"agent_name": agent_name, "response": user_message, "run": self._runs}


class ReferenceFactory:
    """One new engine per request; counts engines per user; cleanup drops them all."""

    engine_class: type[ReferenceEngine] = ReferenceEngine

    def __init__(self, websocket_manager: Any) -> None:
        if websocket_manager is None:
            raise TypeError("websocket_manager must not be None")
        self._manager = websocket_manager
        self._engines: dict[str, list[ReferenceEngine]] = {}

    def _validate(self, context: Any) -> None:
        if context is None:
            raise TypeError("context must not be None")
        for field in ("user_id", "thread_id", "run_id"):
            _text(getattr(context, field, None), f"context.{field}")

    async def create_for_user(self, context: Any) -> ReferenceEngine:
        self._validate(context)
        engine = self.engine_class(self._manager, context)
        self._engines.setdefault(context.user_id, []).append(engine)
        return engine

    async def cleanup_user_context(self, user_id: str) -> bool:
        _text(user_id, "user_id")
        return bool(self._engines.pop(user_id, None))

    def active_engine_count(self) -> int:
        return sum(len(engines) for engines in self._engines.values())


class CachingFactory(ReferenceFactory):
    """isolation: one cached engine per user, handed out again on every call."""

    async def create_for_user(self, context: Any) -> ReferenceEngine:
        self._validate(context)
        cached = self._engines.get(context.user_id)
        if cached:
            return cached[0]
        return await super().create_for_user(context)


class TrustingFactory(ReferenceFactory):
    """none-propagation / empty-string: the context's fields are not checked; engines fail later."""

    def _validate(self, context: Any) -> None:
        if context is None:
            raise TypeError("context must not be None")


class SharedHistoryEngine(ReferenceEngine):
    """Keeps every run in a list on the class, which every engine of every user shares."""

    history: list[str] = []  # noqa: RUF012 - the defect on show: class-level mutable state

    async def execute_agent(self, agent_name: str, user_message: str) -> Mapping[str, Any]:
        result = await super().execute_agent(agent_name, user_message)
        self.history.append(user_message)
        return result


class SharedHistoryFactory(ReferenceFactory):
    """isolation: its engines share a history list, so one user's messages reach another's engine."""

    engine_class = SharedHistoryEngine


class SloppyEngine(ReferenceEngine):
    """Takes ``agent`` where the contract says ``agent_name``, and runs with a None name."""

    async def execute_agent(self, agent: str, user_message: str) -> Mapping[str, Any]:
        if not isinstance(user_message, str):
            raise TypeError("user_message must be str")
        await self._event("agent_started", agent_name=agent)
        await self._event("agent_completed", agent_name=agent, result={})
        return {"agent_name": agent}


class SloppyEngineFactory(ReferenceFactory):
    """param-name-drift and none-propagation in the engine it returns (create_for_user().execute_agent)."""

    engine_class = SloppyEngine
