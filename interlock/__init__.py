"""interlock: contract tests for component interfaces.

Declare an interface once as a ``typing.Protocol`` contract, register every
implementation, and check each one for drift with Hypothesis.
"""

from interlock._version import __version__
from interlock.contracts._declare import (
    comparable,
    contract,
    draws,
    ensures,
    get_contract,
    implementations,
    implements,
    is_contract,
    raises,
    register,
    relax,
    reports_failure,
    requires,
    scenario,
)
from interlock.contracts._markers import Finite, NonEmpty, Strict
from interlock.errors import ContractDefinitionError, DriftError, InterlockError, UsageError
from interlock.properties._api import check
from interlock.properties._doubles import double
from interlock.properties._report import NotChecked, Report, TargetReport, Violation
from interlock.properties._scenario import Harness

__all__ = [
    "ContractDefinitionError",
    "DriftError",
    "Finite",
    "Harness",
    "InterlockError",
    "NonEmpty",
    "NotChecked",
    "Report",
    "Strict",
    "TargetReport",
    "UsageError",
    "Violation",
    "__version__",
    "check",
    "comparable",
    "contract",
    "double",
    "draws",
    "ensures",
    "get_contract",
    "implementations",
    "implements",
    "is_contract",
    "raises",
    "register",
    "relax",
    "reports_failure",
    "requires",
    "scenario",
]


def __getattr__(name: str) -> object:
    # ``interlock.pytest`` imports pytest, so it is loaded only when asked for.
    if name == "pytest":
        import importlib

        return importlib.import_module("interlock.pytest")
    raise AttributeError(f"module 'interlock' has no attribute {name!r}")
