"""Which check a violation belongs to: one rule for JUnit's test cases, the pytest plugin's tests and the demo.

A target has these checks (cli.md, "JUnit"; pytest.md, "The generated tests"):

- ``signature``: the target's signatures;
- ``member:NAME``: one per contract member (``__init__`` for the constructor),
  every input-domain and behaviour check of that member that no clause names;
- ``clause:ID``: one per clause, by its id;
- ``differential``: the targets against one another (two or more targets), or against
  the reference when there is one.

Every violation belongs to exactly one of them, by the first rule that applies:

1. a signature kind (``missing-member``, ``param-name-drift``, ``signature-mismatch``,
   ``async-mismatch``): ``signature``;
2. a clause id of the contract: ``clause:ID`` (a ``differential`` violation of a
   ``@comparable`` clause too);
3. ``differential`` on a member no clause compares: ``differential``;
4. a member of the contract: ``member:NAME``; a member of a factory's product
   (reported as ``create().send``) is the factory member's (``member:create``);
5. anything else (a ``crash`` whose member is not known): ``signature``, the
   check of the target as a whole.

JUnit names its test cases with these names, the pytest plugin's tests are
``test_signature[TARGET]``, ``test_member[TARGET-NAME]``,
``test_clause[TARGET-ID]`` and ``test_differential``, and ``interlock demo``
lists them after each kind.

Imports nothing at run time: the report, the pytest plugin and the command all use it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from interlock.contracts._model import Kind
    from interlock.properties._report import Violation

__all__ = ["DIFFERENTIAL", "SIGNATURE", "SIGNATURE_KINDS", "base_member", "check_name", "check_names", "clause_check", "member_check"]

SIGNATURE: Final = "signature"
DIFFERENTIAL: Final = "differential"

SIGNATURE_KINDS: Final[frozenset[Kind]] = frozenset({"missing-member", "param-name-drift", "signature-mismatch", "async-mismatch"})
"""The kinds computed from signatures: the ``signature`` check's."""


def member_check(member: str) -> str:
    """The name of a member's check: ``member:NAME``."""
    return f"member:{member}"


def clause_check(clause: str) -> str:
    """The name of a clause's check: ``clause:ID``."""
    return f"clause:{clause}"


def base_member(member: str | None) -> str | None:
    """The contract member a reported member belongs to: a factory product's ``create().send`` is ``create``'s."""
    if member is None:
        return None
    return member.split("().")[0] if "()." in member else member


def check_names(members: Collection[str], clauses: Collection[str], *, targets: int, reference: bool = False) -> list[str]:
    """Every check of one target, in order: signature, each member, each clause, differential (two or more
    targets, or a reference to compare with)."""
    names = [SIGNATURE, *(member_check(m) for m in members), *(clause_check(c) for c in clauses)]
    if targets > 1 or reference:
        names.append(DIFFERENTIAL)
    return names


def check_name(violation: Violation, *, members: Collection[str], clauses: Collection[str]) -> str:
    """The check ``violation`` belongs to (see the module docstring), given the contract's member names and clause ids."""
    if violation.kind in SIGNATURE_KINDS:
        return SIGNATURE
    if violation.clause is not None and violation.clause in clauses:
        return clause_check(violation.clause)
    if violation.kind == "differential":
        return DIFFERENTIAL
    base = base_member(violation.member)
    if base is not None and base in members:
        return member_check(base)
    return SIGNATURE
