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

__all__ = [
    "ContractDefinitionError",
    "DriftError",
    "Finite",
    "InterlockError",
    "NonEmpty",
    "Strict",
    "UsageError",
    "__version__",
    "comparable",
    "contract",
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
