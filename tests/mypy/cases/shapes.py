"""Members in other shapes: clause decorators, generics, dataclasses, static and class methods, properties."""

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import interlock

T = TypeVar("T")


def _non_empty(result: str) -> bool:
    return result != ""


@interlock.contract
class Named(Protocol):
    name: str

    @interlock.ensures(_non_empty)
    @interlock.raises(ValueError)
    def render(self, template: interlock.NonEmpty[str], width: interlock.Strict[int] = 80) -> str: ...


@interlock.contract
class Box(Protocol[T]):
    def get(self) -> T: ...

    def put(self, item: T) -> None: ...

    def pick(self, default: T, *, key: str) -> T: ...


@interlock.implements(Named)
@dataclass
class Record:
    name: str

    def render(self, template: str, width: int = 80) -> str:
        return template


@interlock.implements(Named)
@dataclass
class Drifted:
    name: str

    @staticmethod
    def render(text: str, width: int = 80) -> str:  # E: Named.render: parameter "template" is named "text" in Drifted.render (contract: def render(self, template: str, width: int = ...) -> str; implementation: def render(text: str, width: int = ...) -> str)  [interlock-drift]
        return text


@interlock.implements(Box)
class IntBox:
    def get(self) -> int:
        return 0

    def put(self, item: int) -> None:
        pass

    def pick(self, default: int, *, key: str) -> int:
        return default


@interlock.implements(Box)
class GenericBox(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item = item

    def get(self) -> T:
        return self.item

    def put(self, item: T) -> None:
        self.item = item

    def pick(self, default: T, *, name: str) -> T:  # E: Box.pick: parameter "key" is named "name" in GenericBox.pick (contract: def pick(self, default: Any, *, key: str) -> Any; implementation: def pick(self, default: Any, *, name: str) -> Any)  [interlock-drift]
        return default
