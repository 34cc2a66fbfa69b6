"""``interlock.register(C, X)`` for classes and factories, ``implements`` on a factory and in call form.

Errors of a registered target are reported on the line of the ``register`` call.
"""

from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class Legacy:
    def greet(self, nam: str) -> str:
        return nam


class Fine:
    def greet(self, name: str) -> str:
        return name


def make_legacy() -> Legacy:
    return Legacy()


interlock.register(Greeter, Legacy)  # E: Greeter.greet: parameter "name" is named "nam" in Legacy.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
interlock.register(Greeter, Fine)
interlock.register(Greeter, make_legacy)  # E: Greeter.greet: parameter "name" is named "nam" in Legacy.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
interlock.register(Greeter, lambda: Fine())
interlock.implements(Greeter)(Legacy)  # E: Greeter.greet: parameter "name" is named "nam" in Legacy.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]


@interlock.implements(Greeter)  # E: Greeter.greet: parameter "name" is named "nam" in Legacy.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
def decorated_factory() -> Legacy:
    return Legacy()


@interlock.implements(Greeter)
class Declared:
    def greet(self, name: str, /) -> str:  # E: Greeter.greet: parameter "name" is positional-only in Declared.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, str, /) -> str)  [interlock-drift]
        return name


interlock.register(Greeter, Declared)  # already reported where it is declared: not again here


@interlock.contract(strict_inputs=False)
class Relaxed(Protocol):
    def greet(self, name: str) -> str: ...


interlock.register(Relaxed, Legacy)  # E: Relaxed.greet: parameter "name" is named "nam" in Legacy.greet (contract: def greet(self, name: str) -> str; implementation: def greet(self, nam: str) -> str)  [interlock-drift]
