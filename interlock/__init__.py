"""interlock: contract tests for component interfaces.

Declare an interface once as a ``typing.Protocol`` contract, register every
implementation, and check each one for drift with Hypothesis.

Every name loads on first use: the declaration API (``interlock.contract``) with
its small modules, the checker (Hypothesis, typeguard) with the first check. So
``import interlock`` costs next to nothing, and the command takes the stop
signals (``interlock.cli.entry``) before anything heavy is imported: a Ctrl-C
in its first instant is one line, not a traceback.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from interlock._version import __version__

if TYPE_CHECKING:
    from interlock.contracts._answers import answering
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
    from interlock.contracts._harness import Harness
    from interlock.contracts._markers import Finite, NonEmpty, Strict
    from interlock.errors import ContractDefinitionError, DriftError, InterlockError, UsageError
    from interlock.properties._api import check
    from interlock.properties._assertions import assert_agrees, assert_clause, assert_returns, assert_signature
    from interlock.properties._doubles import double
    from interlock.properties._internal import InternalError
    from interlock.properties._report import NotChecked, Report, TargetReport, Violation

__all__ = [
    "ContractDefinitionError",
    "DriftError",
    "Finite",
    "Harness",
    "InterlockError",
    "InternalError",
    "NonEmpty",
    "NotChecked",
    "Report",
    "Strict",
    "TargetReport",
    "UsageError",
    "Violation",
    "__version__",
    "answering",
    "assert_agrees",
    "assert_clause",
    "assert_returns",
    "assert_signature",
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

_DECLARE = "interlock.contracts._declare"
_LAZY = {
    "answering": "interlock.contracts._answers",
    **dict.fromkeys(
        (
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
        ),
        _DECLARE,
    ),
    "Harness": "interlock.contracts._harness",
    "Finite": "interlock.contracts._markers",
    "NonEmpty": "interlock.contracts._markers",
    "Strict": "interlock.contracts._markers",
    "ContractDefinitionError": "interlock.errors",
    "DriftError": "interlock.errors",
    "InterlockError": "interlock.errors",
    "UsageError": "interlock.errors",
    "check": "interlock.properties._api",
    "assert_agrees": "interlock.properties._assertions",
    "assert_clause": "interlock.properties._assertions",
    "assert_returns": "interlock.properties._assertions",
    "assert_signature": "interlock.properties._assertions",
    "InternalError": "interlock.properties._internal",
    "double": "interlock.properties._doubles",
    "NotChecked": "interlock.properties._report",
    "Report": "interlock.properties._report",
    "TargetReport": "interlock.properties._report",
    "Violation": "interlock.properties._report",
    "pytest": "",
}


def __getattr__(name: str) -> object:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'interlock' has no attribute {name!r}")
    if name == "pytest":  # imports pytest, so only when asked for
        return importlib.import_module("interlock.pytest")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
