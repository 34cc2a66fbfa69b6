"""Contracts: the model, the declaration API, and the built-in catalog (imported by module path)."""

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
    registrations,
    relax,
    reports_failure,
    requires,
    scenario,
)
from interlock.contracts._harness import Harness
from interlock.contracts._markers import Finite, NonEmpty, Strict

__all__ = [
    "Finite",
    "Harness",
    "NonEmpty",
    "Strict",
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
    "registrations",
    "relax",
    "reports_failure",
    "requires",
    "scenario",
]
