"""Targeted silencing: ``# type: ignore[<code>]`` silences one member's error and nothing else.

``interlock-signature`` is a sub-code of ``interlock-drift``: ignoring ``interlock-drift``
silences it too, and mypy's ``warn_unused_ignores`` then asks for the narrower code.
"""

from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str) -> str: ...

    def wave(self, times: int = 1) -> str: ...

    async def nod(self) -> None: ...


@interlock.implements(Greeter)
class Silenced:
    def greet(self, nam: str) -> str:  # type: ignore[interlock-drift]
        return nam

    def wave(self, times: int) -> str:  # type: ignore[interlock-signature]
        return ""

    def nod(self) -> None:  # type: ignore[interlock-async]
        pass


@interlock.implements(Greeter)
class ParentCode:
    def greet(self, name: str) -> str:
        return name

    def wave(self, times: int) -> str:  # type: ignore[interlock-drift]  # E: Unused "type: ignore" comment, use narrower [interlock-signature] instead of [interlock-drift] code  [unused-ignore]
        return ""

    async def nod(self) -> None:
        pass


@interlock.implements(Greeter)
class WrongCode:
    def greet(self, nam: str) -> str:  # type: ignore[interlock-missing]  # E: Greeter.greet: parameter "name" is named "nam" in WrongCode.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift] # N: Error code "interlock-drift" not covered by "type: ignore[interlock-missing]" comment # E: Unused "type: ignore" comment  [unused-ignore]
        return nam

    def wave(self, times: int = 1) -> str:
        return ""

    async def nod(self) -> None:
        pass
