"""A reference ``TimeoutPolicy`` and drifting variants."""

from __future__ import annotations

__all__ = ["DefaultingPolicy", "ReferencePolicy", "ShortSocketPolicy"]

_AGENT = {"free": 30.0, "early": 60.0, "mid": 120.0, "enterprise": 300.0}


def _tier(tier: object) -> str:
    if not isinstance(tier, str):
        raise TypeError(f"tier must be str, got {type(tier).__name__}")
    if not tier.strip():
        raise ValueError("tier must not be blank")
    if tier not in _AGENT:
        raise ValueError(f"unknown tier {tier!r}")
    return tier


class ReferencePolicy:
    """The socket waits the agent's limit plus a margin."""

    def websocket_recv_timeout(self, tier: str) -> float:
        return _AGENT[_tier(tier)] + 15.0

    def agent_execution_timeout(self, tier: str) -> float:
        return _AGENT[_tier(tier)]


class ShortSocketPolicy(ReferencePolicy):
    """postcondition: a fixed 60 s socket timeout, shorter than what mid and enterprise agents may run."""

    def websocket_recv_timeout(self, tier: str) -> float:
        _tier(tier)
        return 60.0


class DefaultingPolicy(ReferencePolicy):
    """unexpected-exception [unknown-tier-rejected]: an unknown tier silently gets the free tier's limits."""

    def websocket_recv_timeout(self, tier: str) -> float:
        return self.agent_execution_timeout(tier) + 15.0

    def agent_execution_timeout(self, tier: str) -> float:
        if not isinstance(tier, str):
            raise TypeError("tier must be str")
        if not tier.strip():
            raise ValueError("tier must not be blank")
        return _AGENT.get(tier, _AGENT["free"])
