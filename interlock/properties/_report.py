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
from interlock.properties._values import printable, shorten_values

__all__ = ["BASELINE_STATES", "Fingerprint", "NotChecked", "Report", "TargetReport", "Violation"]

BASELINE_STATES = ("new", "known")
"""A violation against a baseline: ``new`` (not in it: it fails the run) or ``known`` (in it: counted, not failing)."""


@attrs.frozen(order=True)
class Fingerprint:
    """What a violation is, apart from how it was found: stable across seeds, example counts, wording and line numbers.

    Sorted as the baseline file lists them: by contract, target, kind, member, parameter, clause (``None`` first).
    """

    contract: str
    target: str
    kind: str
    member: str | None = attrs.field(order=lambda v: (v is not None, v or ""))
    parameter: str | None = attrs.field(order=lambda v: (v is not None, v or ""))
    clause: str | None = attrs.field(order=lambda v: (v is not None, v or ""))

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "target": self.target,
            "kind": self.kind,
            "member": self.member,
            "parameter": self.parameter,
            "clause": self.clause,
        }


def _message_text(text: str) -> str:
    return printable(shorten_values(text))


@attrs.frozen
class Violation:
    """One drift of one target: what kind, where, what it means, and Python that reproduces it."""

    target: str
    kind: Kind
    member: str | None
    parameter: str | None
    message: str = attrs.field(converter=_message_text)
    """One line for people; lone surrogates and control characters of a target's own text are escaped, and a long
    value or path is cut in the middle (the reproducer holds it whole)."""
    example: str
    location: str | None
    clause: str | None = None
    cause: str | None = attrs.field(default=None, eq=False, repr=False)
    """Where the target raised, for a violation that is an exception (``KeyError at router.py:176``): not in the
    JSON; it tells the checker that a sweep's exception and a clause's are one defect."""
    baseline: str = attrs.field(default="new", eq=False)
    """``known`` when the baseline the run was given lists it (it does not fail the run), else ``new``."""

    def fingerprint(self, contract: str) -> Fingerprint:
        """This violation's identity in a baseline: (contract, target, kind, member, parameter, clause)."""
        return Fingerprint(contract, self.target, self.kind, self.member, self.parameter, self.clause)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "member": self.member,
            "parameter": self.parameter,
            "message": self.message,
            "example": self.example,
            "location": self.location,
            "clause": self.clause,
            "baseline": self.baseline,
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

    baseline: str | None = None
    """The baseline file the violations were compared with, if any."""
    fixed: list[Fingerprint] = attrs.field(factory=list)
    """Baseline entries of this run's contract and targets that no violation matched: drift that was mended."""
    ignored: dict[str, int] = attrs.field(factory=dict)
    """Violations left out by ``select``/``ignore``, counted by kind: not reported, not failing."""
    notes: list[str] = attrs.field(factory=list)
    """What the run did not do that a reader might take it to have done (two targets, and no member whose results
    are compared): one sentence each, never a failure."""

    @property
    def conforms(self) -> bool:
        """No violation on any target."""
        return all(t.conforms for t in self.targets)

    @property
    def violations(self) -> list[Violation]:
        """Every violation, flat: by target, then member, kind and parameter."""
        return [v for t in self.targets for v in t.violations]

    @property
    def new_violations(self) -> list[Violation]:
        """The violations the baseline does not list (every violation, without a baseline): these fail a run."""
        return [v for v in self.violations if v.baseline != "known"]

    @property
    def known_violations(self) -> list[Violation]:
        """The violations the baseline lists: counted and shown, not failing."""
        return [v for v in self.violations if v.baseline == "known"]

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
            "baseline": self.baseline,
            "fixed": [f.to_json() for f in self.fixed],
            "notes": list(self.notes),
            "summary": {
                "targets": len(self.targets),
                "conforming": sum(1 for t in self.targets if t.conforms),
                "violations": len(self.violations),
                "examples": self.examples,
                "seconds": round(self.seconds, 3),
                "new": len(self.new_violations),
                "known": len(self.known_violations),
                "fixed": len(self.fixed),
                "ignored": sum(self.ignored.values()),
            },
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)

    def text(self, *, colour: bool = False) -> str:
        """The report for people: grouped by target, each violation with its message and reproducer."""
        return render_text(self, colour=colour)

    def assert_conforms(self) -> None:
        """Raise ``interlock.DriftError`` with the whole text report if any target drifts, or the check itself failed.

        With a baseline, only new violations count: known ones are in the report, but do not raise.
        """
        if self.new_violations or self.internal_errors:
            raise DriftError(self.text())

    def __str__(self) -> str:
        return self.text()


def kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)
