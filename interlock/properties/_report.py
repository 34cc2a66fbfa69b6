"""The report: violations, per-target results, and the whole run, with their JSON and text forms."""

from __future__ import annotations

import json
from typing import Any

import attrs

from interlock._version import __version__
from interlock.contracts._model import KINDS, Kind
from interlock.errors import DriftError
from interlock.properties._internal import InternalError
from interlock.properties._render import render_text
from interlock.properties._values import printable

__all__ = ["NotChecked", "Report", "TargetReport", "Violation"]


@attrs.frozen
class Violation:
    """One drift of one target: what kind, where, what it means, and Python that reproduces it."""

    target: str
    kind: Kind
    member: str | None
    parameter: str | None
    message: str = attrs.field(converter=printable)
    """One line for people; lone surrogates and control characters of a target's own text are escaped."""
    example: str
    location: str | None
    clause: str | None = None
    cause: str | None = attrs.field(default=None, eq=False, repr=False)
    """Where the target raised, for a violation that is an exception (``KeyError at router.py:176``): not in the
    JSON; it tells the checker that a sweep's exception and a clause's are one defect."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "member": self.member,
            "parameter": self.parameter,
            "message": self.message,
            "example": self.example,
            "location": self.location,
            "clause": self.clause,
        }


@attrs.frozen
class NotChecked:
    """A member or clause the checker could not check on a target, and why."""

    member: str | None
    clause: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"member": self.member, "clause": self.clause, "reason": self.reason}


@attrs.frozen
class TargetReport:
    """The result for one target."""

    target: str
    violations: list[Violation]
    not_checked: list[NotChecked] = attrs.field(factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "conforms": self.conforms,
            "violations": [v.to_json() for v in self.violations],
            "not_checked": [n.to_json() for n in self.not_checked],
        }


@attrs.frozen
class Report:
    """The result of checking targets against a contract."""

    contract: str
    seed: int
    targets: list[TargetReport]
    examples: int
    seconds: float
    members: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    internal_errors: list[InternalError] = attrs.field(factory=list)
    reference: str | None = None
    """The reference the targets were compared with (its label), if any."""
    interrupted: str | None = None
    """Why the run stopped before every check ran (a call that could not be stopped, Ctrl-C), if it did."""

    @property
    def stop_signal(self) -> str | None:
        """``"SIGINT"`` or ``"SIGTERM"`` when the user stopped the run (``interrupted`` names it first), else None."""
        first = (self.interrupted or "").split(" ", 1)[0]
        return first if first in ("SIGINT", "SIGTERM") else None

    @property
    def conforms(self) -> bool:
        """No violation on any target."""
        return all(t.conforms for t in self.targets)

    @property
    def violations(self) -> list[Violation]:
        """Every violation, flat: by target, then member, kind and parameter."""
        return [v for t in self.targets for v in t.violations]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document, as a dict."""
        return {
            "interlock": __version__,
            "contract": self.contract,
            "seed": self.seed,
            "reference": self.reference,
            "targets": [t.to_json() for t in self.targets],
            "internal_errors": [e.to_json() for e in self.internal_errors],
            "interrupted": self.interrupted,
            "summary": {
                "targets": len(self.targets),
                "conforming": sum(1 for t in self.targets if t.conforms),
                "violations": len(self.violations),
                "examples": self.examples,
                "seconds": round(self.seconds, 3),
            },
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)

    def text(self, *, colour: bool = False) -> str:
        """The report for people: grouped by target, each violation with its message and reproducer."""
        return render_text(self, colour=colour)

    def assert_conforms(self) -> None:
        """Raise ``interlock.DriftError`` with the whole text report if any target drifts, or the check itself failed."""
        if not self.conforms or self.internal_errors:
            raise DriftError(self.text())

    def __str__(self) -> str:
        return self.text()


def kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)
