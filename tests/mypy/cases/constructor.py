"""The constructor clause: a contract's ``__init__`` against a class's constructor or a factory's parameters."""

from typing import Protocol

import interlock


@interlock.contract
class Client(Protocol):
    def __init__(self, base_url: str, timeout: float = 5.0) -> None: ...

    def get(self, path: str) -> bytes: ...


@interlock.implements(Client)
class RenamedClient:
    def __init__(self, url: str, timeout: float = 5.0) -> None:  # E: Client.__init__: parameter "base_url" is named "url" in RenamedClient.__init__ (contract: def __init__(self, base_url: str, timeout: float = ...) -> None; implementation: def __init__(self, url: str, timeout: float = ...) -> None)  [interlock-drift]
        self.url = url

    def get(self, path: str) -> bytes:
        return b""


class Base:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url


@interlock.implements(Client)
class InheritedClient(Base):  # E: Client.__init__: parameter "timeout" is required in InheritedClient.__init__ but optional in the contract (contract: def __init__(self, base_url: str, timeout: float = ...) -> None; implementation: def __init__(self, base_url: str, timeout: float) -> None)  [interlock-signature]
    """A constructor inherited from a base class is reported on the class line."""

    def get(self, path: str) -> bytes:
        return b""


@interlock.implements(Client)
class GoodClient:
    def __init__(self, base_url: str, timeout: float = 10.0, retries: int = 3) -> None:
        self.base_url = base_url

    def get(self, path: str) -> bytes:
        return b""


@interlock.implements(Client)
class NoConstructor:  # E: Client.__init__: parameter "base_url" is missing from NoConstructor.__init__ (contract: def __init__(self, base_url: str, timeout: float = ...) -> None; implementation: def __init__(self) -> None)  [interlock-signature]
    def get(self, path: str) -> bytes:
        return b""


def make_client(base: str) -> GoodClient:
    return GoodClient(base)


def make_default_client() -> GoodClient:
    """A factory without parameters builds with dependencies of its own: no constructor clause to compare."""
    return GoodClient("https://example.org")


interlock.register(Client, make_client)  # E: Client.__init__: parameter "base_url" is named "base" in make_client (contract: def __init__(self, base_url: str, timeout: float = ...) -> None; implementation: def make_client(base: str) -> GoodClient)  [interlock-drift]
interlock.register(Client, make_default_client)
