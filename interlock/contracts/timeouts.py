"""``interlock.contracts.timeouts``: time limits per customer tier."""

from __future__ import annotations

import math
from typing import Any, Protocol

from interlock.contracts._declare import contract, draws, ensures
from interlock.contracts._markers import NonEmpty

__all__ = ["TIERS", "TimeoutPolicy"]

TIERS = ("free", "early", "mid", "enterprise")
"""The tiers a policy knows; any other non-blank text is an unknown tier."""


def _positive_and_outlives(tier: str, result: Any, target: Any) -> bool:
    """Both limits are finite and above 0, and the WebSocket receive timeout is above the agent execution timeout."""
    agent = target.agent_execution_timeout(tier)
    for value, name in ((result, "websocket_recv_timeout"), (agent, "agent_execution_timeout")):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise AssertionError(f"{name}({tier!r}) is {value!r}; it must be finite and above 0")
    if not result > agent:
        raise AssertionError(
            f"websocket_recv_timeout({tier!r}) is {result!r}, not above agent_execution_timeout({tier!r}) = {agent!r}: "
            "the socket must outlive the work it waits for"
        )
    return True


def _agent_positive(result: Any) -> bool:
    return not isinstance(result, bool) and isinstance(result, int | float) and math.isfinite(result) and result > 0


_TIER_TEXT = (
    "In-domain tiers are free, early, mid and enterprise; the contract narrows generation to them. "
    "Any other non-blank text is an unknown tier, rejected with ValueError."
)


@contract
class TimeoutPolicy(Protocol):
    """How long a socket waits and how long an agent may run, per tier."""

    @draws("tier", values=TIERS, outside=ValueError, id="unknown-tier-rejected", text=_TIER_TEXT)
    @ensures(
        _positive_and_outlives,
        id="socket-outlives-agent",
        text="For every tier both timeouts are finite and above 0, and the WebSocket receive timeout is above the agent execution timeout.",
    )
    def websocket_recv_timeout(self, tier: NonEmpty[str]) -> float: ...

    @draws("tier", values=TIERS, outside=ValueError, id="unknown-tier-rejected-by-agent-timeout", text=_TIER_TEXT)
    @ensures(_agent_positive, id="agent-timeout-positive", text="For every tier the agent execution timeout is finite and above 0.")
    def agent_execution_timeout(self, tier: NonEmpty[str]) -> float: ...
