"""A class used as a contract type without being declared: where the plugin looks, and where it cannot.

Covered: an argument whose parameter has a contract type (any expression, for a function, method or
constructor mypy can name), and a call ``X(...)`` wherever mypy expects a contract type from the
context (an annotated assignment, an argument, an item of a list or dict display).
Not covered (see docs/mypy.md): ``return X()``, a union-typed assignment, and a variable assigned or
returned; mypy's own protocol check still runs there.
"""

from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class Undeclared:
    def greet(self, nam: str) -> str:
        return nam


@interlock.implements(Greeter)
class Declared:
    def greet(self, nam: str) -> str:  # E: Greeter.greet: parameter "name" is named "nam" in Declared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
        return nam


class Plain(Protocol):
    def greet(self, name: str) -> str: ...


def welcome(greeter: Greeter, plain: Plain) -> None: ...


def maybe(greeter: Greeter | None = None) -> None: ...


class Service:
    greeter: Greeter

    def __init__(self, greeter: Greeter) -> None:
        self.greeter = greeter

    def swap(self, greeter: Greeter) -> None:
        self.greeter = greeter

    @staticmethod
    def default(greeter: Greeter) -> None: ...

    def reset(self) -> None:
        self.greeter = Undeclared()  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]


u = Undeclared()
welcome(u, u)  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
welcome(plain=u, greeter=u)  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
maybe(u)  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
service = Service(u)  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
service.swap(Undeclared())  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
Service.default(u)  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
g: Greeter = Undeclared()  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
gs: list[Greeter] = [Undeclared()]  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
by_name: dict[str, Greeter] = {"a": Undeclared()}  # E: Greeter.greet: parameter "name" is named "nam" in Undeclared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
welcome(Declared(), Declared())  # declared: reported once, where it is declared


def build() -> Greeter:
    return Undeclared()  # not covered: mypy retries a return value without its context after any error


optional: Greeter | None = Undeclared()  # not covered: the same retry, for a union-typed assignment
g = u  # not covered: no plugin hook sees an assignment, only calls
