"""``interlock.contracts.context``: the user context every per-user component carries."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from interlock.contracts._markers import NonEmpty

__all__ = ["UserContext"]


@runtime_checkable
class UserContext(Protocol):
    """Who a piece of work is for: the user, their thread and the run."""

    user_id: NonEmpty[str]
    thread_id: NonEmpty[str]
    run_id: NonEmpty[str]
