"""Types, with mypy's own subtype check: parameter types narrower, return types wider, data members."""

from typing import Protocol

import interlock


@interlock.contract
class Counter(Protocol):
    name: str

    @property
    def total(self) -> int: ...

    def add(self, amount: int) -> int: ...

    def label(self) -> str: ...


@interlock.implements(Counter)
class Narrow:
    name: bytes  # E: Counter.name: Narrow.name has type "bytes", which does not fit the contract's "str" (contract: name: str; implementation: name: bytes)  [interlock-type]

    @property
    def total(self) -> float:  # E: Counter.total: Narrow.total has type "float", which does not fit the contract's "int" (contract: total: int; implementation: total: float)  [interlock-type]
        return 0.0

    def add(self, amount: bool) -> int:  # E: Counter.add: parameter "amount" has type "bool" in Narrow.add, which does not accept the contract's "int" (contract: def add(self, amount: int) -> int; implementation: def add(self, amount: bool) -> int)  [interlock-type]
        return 0

    def label(self) -> str | None:  # E: Counter.label: Narrow.label returns "str | None", outside the contract's "str" (contract: def label(self) -> str; implementation: def label(self) -> str | None)  [interlock-type]
        return None
