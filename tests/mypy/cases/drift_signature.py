"""Signature mismatch: kind, order, count and required-ness drift (one error per drifting member)."""

from typing import Any, Protocol

import interlock


@interlock.contract
class Store(Protocol):
    def put(self, key: str, value: int) -> None: ...

    def get(self, key: str, default: int = 0) -> int: ...

    def delete(self, key: str) -> bool: ...

    def scan(self, prefix: str, limit: int) -> list[str]: ...

    def size(self) -> int: ...

    def close(self, force: bool = False) -> None: ...


@interlock.implements(Store)
class Drifted:
    def put(self, value: int, key: str) -> None:  # E: Store.put: parameter "key" is in position 2 in Drifted.put, 1 in the contract (contract: def put(self, key: str, value: int) -> None; implementation: def put(self, value: int, key: str) -> None)  [interlock-signature]
        pass

    def get(self, key: str, default: int) -> int:  # E: Store.get: parameter "default" is required in Drifted.get but optional in the contract (contract: def get(self, key: str, default: int = ...) -> int; implementation: def get(self, key: str, default: int) -> int)  [interlock-signature]
        return default

    def delete(self, *, key: str) -> bool:  # E: Store.delete: parameter "key" is keyword-only in Drifted.delete (contract: def delete(self, key: str) -> bool; implementation: def delete(self, *, key: str) -> bool)  [interlock-signature]
        return True

    def scan(self, prefix: str) -> list[str]:  # E: Store.scan: parameter "limit" is missing from Drifted.scan (contract: def scan(self, prefix: str, limit: int) -> list[str]; implementation: def scan(self, prefix: str) -> list[str])  [interlock-signature]
        return []

    def size(self, exact: bool) -> int:  # E: Store.size: Drifted.size requires parameter "exact", which the contract does not have (contract: def size(self) -> int; implementation: def size(self, exact: bool) -> int)  [interlock-signature]
        return 0

    def close(self, *args: Any) -> None:  # E: Store.close: parameter "force" can only be passed by position to Drifted.close (it takes *args) (contract: def close(self, force: bool = ...) -> None; implementation: def close(self, *args: Any) -> None)  [interlock-signature]
        pass


@interlock.implements(Store)
class KeywordsOnly:
    def put(self, **kwargs: Any) -> None:  # E: Store.put: parameter "key" can only be passed by name to KeywordsOnly.put (it takes **kwargs) (contract: def put(self, key: str, value: int) -> None; implementation: def put(self, **kwargs: Any) -> None)  [interlock-signature]
        pass

    def get(self, key: str, default: int = 0) -> int:
        return default

    def delete(self, key: str) -> bool:
        return True

    def scan(self, prefix: str, limit: int) -> list[str]:
        return []

    def size(self) -> int:
        return 0

    def close(self, force: bool = False) -> None:
        pass
