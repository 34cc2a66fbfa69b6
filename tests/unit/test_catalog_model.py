"""The built-in catalog as declared: names and signatures exactly as contracts.md ships them, docs from the declarations."""

from __future__ import annotations

import importlib

import pytest

import interlock
from interlock.contracts._docs import CATALOG, contract_page
from interlock.contracts._model import KINDS

SIGNATURES = {
    "interlock.contracts.websocket:WebSocketManager": [
        "def __init__(self) -> None",
        "async def add_connection(self, connection: Connection) -> None",
        "async def remove_connection(self, connection_id: NonEmpty[str]) -> None",
        "def get_user_connections(self, user_id: NonEmpty[str]) -> set[str]",
        "def is_connection_active(self, user_id: NonEmpty[str]) -> bool",
        "async def send_to_user(self, user_id: NonEmpty[str], message: Mapping[str, Any]) -> Annotated[int, Ge(ge=0)]",
    ],
    "interlock.contracts.factory:ExecutionEngineFactory": [
        "def __init__(self, websocket_manager: WebSocketManager) -> None",
        "async def create_for_user(self, context: UserContext) -> ExecutionEngine",
        "async def cleanup_user_context(self, user_id: NonEmpty[str]) -> bool",
        "def active_engine_count(self) -> int",
    ],
    "interlock.contracts.router:MessageRouter": [
        "def __init__(self) -> None",
        "def add_handler(self, handler: MessageHandler) -> None",
        "def remove_handler(self, handler: MessageHandler) -> bool",
        "async def route_message(self, user_id: NonEmpty[str], websocket: SocketLike, raw_message: Mapping[str, Any]) -> bool",
    ],
    "interlock.contracts.auth:TokenValidator": [
        "def __init__(self, secret: NonEmpty[str]) -> None",
        "async def validate_token(self, token: NonEmpty[str]) -> TokenValidation",
    ],
    "interlock.contracts.auth:ServiceAuthClient": [
        "def __init__(self, transport: AuthTransport) -> None",
        "async def validate_token(self, token: NonEmpty[str]) -> TokenValidation",
    ],
    "interlock.contracts.timeouts:TimeoutPolicy": [
        "def websocket_recv_timeout(self, tier: NonEmpty[str]) -> float",
        "def agent_execution_timeout(self, tier: NonEmpty[str]) -> float",
    ],
}


def _load(path: str) -> type:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", sorted(SIGNATURES))
def test_signatures_are_shipped_exactly(path: str) -> None:
    """Each built-in contract's members, parameter names, kinds and types are those of contracts.md."""
    model = interlock.get_contract(_load(path))
    assert [m.signature_text() for m in model.members] == SIGNATURES[path]


def test_bridge_parameters_and_their_domains() -> None:
    """The bridge takes websocket_manager= and user_context=; step_number and execution_time_ms are strict and bounded."""
    model = interlock.get_contract(_load("interlock.contracts.websocket:WebSocketBridge"))
    assert [p.name for p in model.member("__init__").parameters] == ["websocket_manager", "user_context"]
    step = model.member("notify_agent_thinking").parameter("step_number").domain
    assert (step.base, step.strict, step.optional, step.describe()) == (int, True, True, "Strict[int] >= 0 | None")
    ms = model.member("notify_tool_completed").parameter("execution_time_ms").domain
    assert (ms.base, ms.strict, ms.finite, ms.optional) == (float, True, True, True)


def test_value_protocols_are_runtime_checkable() -> None:
    """The value Protocols (context, connection, socket, handler, validation, transport) are runtime-checkable."""
    from interlock.contracts import auth, context, router, websocket

    for proto in (
        context.UserContext,
        websocket.Connection,
        websocket.SocketLike,
        router.MessageHandler,
        auth.TokenValidation,
        auth.AuthTransport,
    ):
        assert getattr(proto, "_is_runtime_protocol", False), proto


@pytest.mark.parametrize("name", CATALOG)
def test_docs_page_lists_every_clause(name: str) -> None:
    """The generated page of each module names every clause id, its kinds, and every member's signature."""
    module = importlib.import_module(f"interlock.contracts.{name}")
    page = contract_page(module)
    for obj in vars(module).values():
        if interlock.is_contract(obj) and obj.__module__ == module.__name__:
            model = interlock.get_contract(obj)
            for clause in model.clauses:
                assert f"`{clause.id}`" in page
                assert all(k in KINDS for k in clause.kinds)
            for m in model.members:
                assert m.signature_text() in page
