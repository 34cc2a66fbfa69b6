"""Bundled examples: reference implementations of the built-in contracts with drifting variants, and a Greeter.

``interlock demo`` checks them: the conformance matrix of targets by contract.
"""

from __future__ import annotations

CATALOG_DEMO: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "interlock.contracts.websocket:WebSocketManager",
        (
            "interlock.examples.websocket:ReferenceManager",
            "interlock.examples.websocket:StopOnErrorManager",
            "interlock.examples.websocket:LingeringManager",
        ),
    ),
    (
        "interlock.contracts.websocket:WebSocketBridge",
        (
            "interlock.examples.websocket:ReferenceBridge",
            "interlock.examples.websocket:LegacyBridge",
            "interlock.examples.websocket:EagerBridge",
        ),
    ),
    (
        "interlock.contracts.factory:ExecutionEngineFactory",
        (
            "interlock.examples.factory:ReferenceFactory",
            "interlock.examples.factory:CachingFactory",
            "interlock.examples.factory:TrustingFactory",
            "interlock.examples.factory:SharedHistoryFactory",
            "interlock.examples.factory:SloppyEngineFactory",
        ),
    ),
    (
        "interlock.contracts.router:MessageRouter",
        (
            "interlock.examples.router:ReferenceRouter",
            "interlock.examples.router:LastWinsRouter",
            "interlock.examples.router:SwallowingRouter",
            "interlock.examples.router:LeakyRouter",
            "interlock.examples.router:TrustingRouter",
        ),
    ),
    (
        "interlock.contracts.auth:TokenValidator",
        (
            "interlock.examples.auth:ReferenceValidator",
            "interlock.examples.auth:RaisingValidator",
            "interlock.examples.auth:ExpiryBlindValidator",
            "interlock.examples.auth:CoercingValidator",
        ),
    ),
    (
        "interlock.contracts.auth:ServiceAuthClient",
        (
            "interlock.examples.auth:ReferenceServiceClient",
            "interlock.examples.auth:EscapingClient",
            "interlock.examples.auth:StickyClient",
        ),
    ),
    (
        "interlock.contracts.timeouts:TimeoutPolicy",
        (
            "interlock.examples.timeouts:ReferencePolicy",
            "interlock.examples.timeouts:ShortSocketPolicy",
            "interlock.examples.timeouts:DefaultingPolicy",
        ),
    ),
)
"""Each built-in contract with its reference implementation (first) and drifting variants."""

REFERENCES: tuple[tuple[str, str], ...] = tuple((contract, targets[0]) for contract, targets in CATALOG_DEMO)
"""Each built-in contract with its reference implementation, which conforms."""
