"""The errors interlock raises: one root, and misuse errors that also subclass a built-in."""

from __future__ import annotations

__all__ = [
    "ContractDefinitionError",
    "DriftError",
    "InterlockError",
    "UsageError",
]


class InterlockError(Exception):
    """The root of every error interlock raises on purpose."""


class ContractDefinitionError(InterlockError, TypeError):
    """A contract is malformed: raised when it is declared, naming the member at fault."""


class UsageError(InterlockError, ValueError):
    """interlock was called wrongly: a bad import path, a name that is not a contract, a bad option."""


class DriftError(InterlockError, AssertionError):
    """Raised by ``Report.assert_conforms()``: at least one target drifts; the message is the whole report."""
