"""Signature conformance, computed from signatures alone: every drift kind and every legal variation."""

from __future__ import annotations

import inspect
from typing import Any, Protocol

import pytest

import interlock
from interlock.properties._signature import compare_signature


@interlock.contract
class Sender(Protocol):
    def send(self, user_id: str, websocket_manager: int, retries: int = 3, *, urgent: bool = False) -> bool: ...


MEMBER = interlock.get_contract(Sender).member("send")


def _drifts(fn: Any) -> set[tuple[str, str | None]]:
    drifts, _plan = compare_signature(MEMBER, inspect.signature(fn))
    return {(d.kind, d.parameter) for d in drifts}


def same(user_id: str, websocket_manager: int, retries: int = 3, *, urgent: bool = False) -> bool: ...
def extra_optional(
    user_id: str, websocket_manager: int, retries: int = 3, timeout: float = 1.0, *, urgent: bool = False, trace: bool = False
) -> bool: ...
def looser(user_id: object, websocket_manager: object, retries: object = 3, *, urgent: object = False) -> object: ...
def required_made_optional(user_id: str = "", websocket_manager: int = 0, retries: int = 3, *, urgent: bool = False) -> bool: ...
def urgent_positional(user_id: str, websocket_manager: int, retries: int = 3, urgent: bool = False) -> bool: ...
def forwarding(*args: Any, **kwargs: Any) -> bool: ...
def rest_through_kwargs(user_id: str, websocket_manager: int, retries: int = 3, **kwargs: Any) -> bool: ...


@pytest.mark.parametrize("fn", [same, extra_optional, looser, required_made_optional, urgent_positional, forwarding, rest_through_kwargs])
def test_legal_variations_conform(fn: Any) -> None:
    """Extra optional parameters, wider types, optional where required, keyword-only made positional-or-keyword,
    and (*args, **kwargs) all conform."""
    assert _drifts(fn) == set()


def renamed(user_id: str, manager: int, retries: int = 3, *, urgent: bool = False) -> bool: ...
def positional_only(user_id: str, websocket_manager: int, /, retries: int = 3, *, urgent: bool = False) -> bool: ...
def keyword_only(user_id: str, *, websocket_manager: int, retries: int = 3, urgent: bool = False) -> bool: ...
def swapped(websocket_manager: int, user_id: str, retries: int = 3, *, urgent: bool = False) -> bool: ...
def missing(user_id: str, retries: int = 3, *, urgent: bool = False) -> bool: ...
def required_retries(user_id: str, websocket_manager: int, retries: int, *, urgent: bool = False) -> bool: ...
def other_default(user_id: str, websocket_manager: int, retries: int = 5, *, urgent: bool = False) -> bool: ...
def extra_required(user_id: str, websocket_manager: int, retries: int = 3, *, urgent: bool = False, token: str) -> bool: ...
def renamed_keyword(user_id: str, websocket_manager: int, retries: int = 3, *, important: bool = False) -> bool: ...
def no_urgent(user_id: str, websocket_manager: int, retries: int = 3) -> bool: ...


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (renamed, {("param-name-drift", "websocket_manager")}),
        (positional_only, {("param-name-drift", "user_id"), ("param-name-drift", "websocket_manager")}),
        (keyword_only, {("signature-mismatch", "websocket_manager"), ("signature-mismatch", "retries")}),
        (swapped, {("signature-mismatch", "user_id"), ("signature-mismatch", "websocket_manager")}),
        (missing, {("signature-mismatch", "websocket_manager"), ("signature-mismatch", "retries")}),
        (required_retries, {("signature-mismatch", "retries")}),
        (other_default, {("signature-mismatch", "retries")}),
        (extra_required, {("signature-mismatch", None)}),
        (renamed_keyword, {("param-name-drift", "urgent")}),
        (no_urgent, {("signature-mismatch", "urgent")}),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_drifts_are_named(fn: Any, expected: set[tuple[str, str | None]]) -> None:
    """Each drift is reported with its kind and the contract parameter it concerns."""
    assert _drifts(fn) == expected


def test_renamed_parameter_is_still_called_by_position() -> None:
    """The call plan passes the renamed parameter, and those before it, by position."""
    _, plan = compare_signature(MEMBER, inspect.signature(renamed))
    assert plan is not None
    args, kwargs = plan.split(MEMBER, {"user_id": "u", "websocket_manager": 1, "retries": 2, "urgent": True})
    assert args == ["u", 1]
    assert kwargs == {"retries": 2, "urgent": True}
    inspect.signature(renamed).bind(*args, **kwargs)


def test_missing_required_parameter_leaves_no_plan() -> None:
    """When no call written against the contract can reach the member, there is no plan."""
    _, plan = compare_signature(MEMBER, inspect.signature(missing))
    assert plan is None


def test_missing_optional_parameter_is_omitted_from_calls() -> None:
    """An optional parameter the target lacks is left out of the checker's calls."""
    _, plan = compare_signature(MEMBER, inspect.signature(no_urgent))
    assert plan is not None
    assert plan.omit == frozenset({"urgent"})
