"""Conforming implementations: nothing is reported for any change a caller of the contract cannot notice."""

from collections.abc import Sequence
from typing import Any, Protocol

import interlock


@interlock.contract
class Repository(Protocol):
    name: str

    def find(self, key: str, limit: int = 10) -> Sequence[str]: ...

    def save(self, key: str, value: bytes) -> None: ...

    def count(self, key: str, *, exact: bool = False) -> int: ...

    def tag(self, key: str, label: str) -> None: ...

    async def refresh(self, key: str) -> bool: ...


@interlock.implements(Repository)
class Permissive:
    def __init__(self) -> None:
        self.name = "permissive"  # an attribute set in __init__ is a data member

    def find(self, key: object, limit: int = 20, *, verbose: bool = False) -> list[str]:  # wider parameter, narrower result
        return []

    def save(self, key: str, value: bytes, **options: Any) -> None:
        pass

    def count(self, key: str, exact: bool = False) -> int:  # keyword-only in the contract, either way here
        return 0

    def tag(self, key: str, label: str = "") -> None:  # required in the contract, optional here
        pass

    async def refresh(self, key: str, *args: Any, **kwargs: Any) -> bool:
        return True


@interlock.implements(Repository)
class Delegating:
    """A target whose members take ``(*args, **kwargs)`` accepts every call."""

    @property
    def name(self) -> str:
        return "delegating"

    def find(self, *args: Any, **kwargs: Any) -> Sequence[str]:
        return []

    def save(self, *args: Any, **kwargs: Any) -> None:
        pass

    def count(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def tag(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def refresh(self, *args: Any, **kwargs: Any) -> bool:
        return False


class BaseRepository:
    name = "base"

    def find(self, key: str, limit: int = 10) -> Sequence[str]:
        return []

    def save(self, key: str, value: bytes) -> None:
        pass


@interlock.implements(Repository)
class Inheriting(BaseRepository):
    """Members inherited from an ordinary base class count; static and class methods bind like the contract's."""

    @staticmethod
    def count(key: str, *, exact: bool = False) -> int:
        return 0

    @classmethod
    def tag(cls, key: str, label: str) -> None:
        pass

    async def refresh(self, key: str) -> bool:
        return True


interlock.register(Repository, Permissive)
interlock.register(Repository, Delegating)
