"""Name drift: a parameter renamed, or made positional-only, breaks callers that pass it by name."""

from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str, times: int = 1) -> str: ...

    def farewell(self, name: str, *, loud: bool = False) -> str: ...


@interlock.implements(Greeter)
class LegacyGreeter:
    def greet(self, nam: str, times: int = 1) -> str:  # E: Greeter.greet: parameter "name" is named "nam" in LegacyGreeter.greet (contract: def greet(self, name: str, times: int = ...) -> str; implementation: def greet(self, nam: str, times: int = ...) -> str)  [interlock-drift]
        return nam * times

    def farewell(self, name: str, *, shout: bool = False) -> str:  # E: Greeter.farewell: parameter "loud" is named "shout" in LegacyGreeter.farewell (contract: def farewell(self, name: str, *, loud: bool = ...) -> str; implementation: def farewell(self, name: str, *, shout: bool = ...) -> str)  [interlock-drift]
        return name


@interlock.implements(Greeter)
class PositionalGreeter:
    def greet(self, name: str, /, times: int = 1) -> str:  # E: Greeter.greet: parameter "name" is positional-only in PositionalGreeter.greet (contract: def greet(self, name: str, times: int = ...) -> str; implementation: def greet(self, str, /, times: int = ...) -> str)  [interlock-drift]
        return name * times

    def farewell(self, name: str, *, loud: bool = False) -> str:
        return name
