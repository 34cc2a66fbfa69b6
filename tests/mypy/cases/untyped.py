"""Unannotated implementations (checked without --strict here): names and kinds are compared, types are not."""
# mypy: allow-untyped-defs

from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str, times: int = 1) -> str: ...

    async def poll(self) -> bool: ...


@interlock.implements(Greeter)
class Untyped:
    def greet(self, nam, times=1):  # E: Greeter.greet: parameter "name" is named "nam" in Untyped.greet (contract: def greet(self, name: str, times: int = ...) -> str; implementation: def greet(self, nam, times=...) -> Any)  [interlock-drift]
        return nam

    def poll(self):  # an unannotated def may return anything, an awaitable included: not reported
        return True


@interlock.implements(Greeter)
class UntypedAsync:
    def greet(self, name, times=1):
        return name

    async def poll(self):
        return True
