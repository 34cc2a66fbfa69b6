"""Missing members: a method or a data member the contract declares and the class lacks."""

from typing import Protocol

import interlock


@interlock.contract
class Cache(Protocol):
    capacity: int

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...


@interlock.implements(Cache)
class HalfCache:  # E: Cache.capacity: HalfCache has no attribute "capacity" (contract: capacity: int)  [interlock-missing] # E: Cache.put: HalfCache has no method "put" (contract: def put(self, key: str, value: bytes) -> None)  [interlock-missing]
    def get(self, key: str) -> bytes | None:
        return None


@interlock.implements(Cache)
class SubclassedCache(Cache):  # E: Cache.get: SubclassedCache has no method "get" (contract: def get(self, key: str) -> bytes | None)  [interlock-missing]
    """Subclassing the protocol inherits its declarations, not implementations."""

    capacity = 10

    def put(self, key: str, value: bytes) -> None:
        pass
