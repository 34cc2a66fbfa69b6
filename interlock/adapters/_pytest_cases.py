"""Generated contract tests: which tests a contract and its targets get, and each test's verdict.

One ``interlock.check`` runs per suite (a ``contract_tests`` class, or a contract
under ``--interlock``); every generated test reads its own slice of that report,
so pytest's results are the command's results, cut finer.

Every violation belongs to exactly one test: the check ``interlock.properties._checks.check_name``
gives it (the rule JUnit's test cases and ``interlock demo`` use too), on its target:

- ``signature``: ``test_signature[TARGET]`` (the signature kinds, and anything no other test takes);
- ``clause:ID``: ``test_clause[TARGET-ID]``;
- ``differential`` on a member no clause compares: ``test_differential``;
- ``member:NAME``: ``test_member[TARGET-NAME]`` (a factory product's member is the factory member's).

A test with no violation is skipped, with the reason, when the checker could
not check its subject (the report's ``not_checked``): the member, the clause,
the member the clause is on, or the whole target. A clause that only compares
targets is skipped when there is one target.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import pytest

from interlock._options import given
from interlock.contracts._declare import get_contract, implementations
from interlock.contracts._model import Contract
from interlock.errors import UsageError
from interlock.properties._checks import SIGNATURE_KINDS, check_name, clause_check, member_check
from interlock.properties._report import NotChecked, Report, TargetReport, Violation

__all__ = ["CHECKS", "SIGNATURE_KINDS", "Case", "Check", "Suite", "make_suite", "run_case"]

Check = Literal["signature", "member", "clause", "differential"]
CHECKS: tuple[Check, ...] = ("signature", "member", "clause", "differential")


@attrs.frozen
class Case:
    """One generated test: a check, on one target (by position), of one member or clause."""

    check: Check
    index: int | None = None
    target: str | None = None
    member: str | None = None
    clause: str | None = None

    @property
    def id(self) -> str | None:
        """The parametrize id: ``TARGET``, ``TARGET-MEMBER`` or ``TARGET-CLAUSE_ID``; none for the differential test."""
        if self.target is None:
            return None
        return "-".join(p for p in (self.target, self.member, self.clause) if p is not None)

    @property
    def check_name(self) -> str:
        """The check this test reports (``interlock.properties._checks``): ``member:route_message``, ``clause:ID``, ..."""
        if self.check == "member":
            return member_check(self.member or "")
        if self.check == "clause":
            return clause_check(self.clause or "")
        return self.check

    @property
    def name(self) -> str:
        """The test's name as pytest shows it: ``test_member[MyRouter-route_message]``."""
        return f"test_{self.check}" + (f"[{self.id}]" if self.id is not None else "")


@attrs.define
class Suite:
    """A contract, its targets and their cases: ``run`` checks every target, ``verdict`` judges one case on the report."""

    model: Contract
    targets: tuple[Any, ...]
    names: tuple[str, ...]
    own: dict[str, Any]
    cases: tuple[Case, ...]
    reference: tuple[str, Any, tuple[str, str] | None] | None = None
    """The reference the targets are compared with (``reference_entry``'s label, object, import path), if any."""

    @property
    def contract_name(self) -> str:
        return self.model.protocol.__name__

    def cases_for(self, check: Check) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.check == check)

    def run(self, options: dict[str, Any]) -> Report:
        """Check every target at once, as ``interlock check`` does."""
        from interlock.properties._api import check

        if self.reference is not None:
            options = {**options, "reference": self.reference[1]}
        elif self.model.reference is not None:  # the contract names one, and this suite was told to use none
            options = {**options, "reference": False}
        report = check(self.model, *self.targets, **options)
        if len(report.targets) != len(self.targets):  # pragma: no cover - a broken engine, not a user error
            raise RuntimeError(f"interlock.check reported {len(report.targets)} targets for {len(self.targets)} given")
        return report

    def verdict(self, case: Case, report: Report, *, replay: str) -> None:
        """Pass, or fail (``pytest.fail``), skip (``pytest.skip``) or, for drift the baseline knows, ``pytest.xfail``."""
        found = [(i, v) for i, v in self._violations(case, report) if self.assign(v) == case.check_name]
        new = [(i, v) for i, v in found if v.baseline != "known"]
        if new:
            pytest.fail(self._message(case, new, report.seed, replay), pytrace=False)
        if found:
            known = "; ".join(dict.fromkeys(f"{v.kind} {_where(v)}" for _, v in found))
            pytest.xfail(f"known drift, in the baseline {_shown(report.baseline)}: {known}")
        if case.index is not None:
            reason = self._not_checked(case, report.targets[case.index])
            if reason:
                # The item's location, not this module's, is what a skip summary should point at.
                raise pytest.skip.Exception(reason, _use_item_location=True)

    def _violations(self, case: Case, report: Report) -> list[tuple[int, Violation]]:
        """The violations a case looks at, each with its target's position: its target's, or every target's."""
        return [(i, v) for i, target in enumerate(report.targets) if case.index in (None, i) for v in target.violations]

    def assign(self, v: Violation) -> str:
        """The check a violation belongs to (``signature``, ``member:NAME``, ``clause:ID``, ``differential``)."""
        return check_name(v, members=[m.name for m in self.model.members], clauses=[c.id for c in self.model.clauses])

    def _not_checked(self, case: Case, target: TargetReport) -> str | None:
        """Why a test's whole subject was not checked on its target, or None when it was checked."""
        if case.check == "member":
            member = case.member
        elif case.check == "clause":
            clause = self.model.clause(case.clause or "")
            if len(self.targets) < 2 and self.reference is None and set(clause.kinds) == {"differential"}:
                return f"not checked: [{clause.id}] compares implementations, and there is only one target"
            member = clause.member
        else:
            return None

        def covers(nc: NotChecked) -> bool:
            if nc.clause is not None:
                return nc.clause == case.clause
            return nc.member in (None, member)

        reasons = [_reason(nc) for nc in target.not_checked if covers(nc)]
        return "; ".join(dict.fromkeys(reasons)) or None

    def _message(self, case: Case, found: list[tuple[int, Violation]], seed: int, replay: str) -> str:
        contract = self.contract_name
        where = ", ".join(dict.fromkeys(_where(v) for _, v in found))
        kinds = ", ".join(dict.fromkeys(v.kind for _, v in found))
        if case.check == "signature":
            title = f"{case.target} drifts from {contract}: {kinds} in {where}"
        elif case.check == "member":
            title = f"{case.target}.{case.member} breaks {contract}: {kinds} in {where}"
        elif case.check == "clause":
            clause = self.model.clause(case.clause or "")
            text = clause.text.strip().splitlines()[0] if clause.text.strip() else clause.id
            title = f"{case.target} breaks clause {clause.id!r} of {contract} ({text}): {kinds} in {where}"
        else:
            who = ", ".join(dict.fromkeys(self.names[i] for i, _ in found))
            title = f"implementations of {contract} disagree: {who} in {where}"
        lines = [title, ""]
        for i, v in found:
            lines.extend(_block(v, self.names[i] if case.check == "differential" else None))
        lines.append("")
        lines.append(f"seed {seed}; replay this run with {replay.format(seed=seed)}")
        return "\n".join(lines)


def _shown(path: str | None) -> str:
    """A baseline's path as the reason shows it: relative to the working folder when it lies below it."""
    if path is None:
        return "(none)"
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _reason(nc: NotChecked) -> str:
    what = nc.member or "(contract)"
    if nc.clause:
        what += f" [{nc.clause}]"
    return f"not checked: {what}: {nc.reason}"


def _where(v: Violation) -> str:
    where = v.member or "(contract)"
    return f"{where}({v.parameter})" if v.parameter else where


def _block(v: Violation, target: str | None) -> list[str]:
    head = f"{v.kind} {_where(v)}" + (f" [{v.clause}]" if v.clause else "") + f": {v.message}"
    lines = [f"{target}: {head}" if target else head]
    if v.location:
        lines.append(f"  at {v.location}")
    lines.append("  reproduce:")
    lines.extend(f"    {line}" for line in v.example.splitlines())
    return lines


# ---- building a suite ---------------------------------------------------------------------


def _short_names(targets: Sequence[Any]) -> tuple[str, ...]:
    """Stable, distinct ids for targets: the name, then the qualified name where names collide, then an index."""

    def name(t: Any) -> str:
        return str(getattr(t, "__name__", None) or type(t).__name__)

    def qualified(t: Any) -> str:
        return f"{getattr(t, '__module__', None) or '?'}.{getattr(t, '__qualname__', None) or name(t)}"

    names = [name(t) for t in targets]
    names = [qualified(t) if names.count(n) > 1 else n for t, n in zip(targets, names, strict=True)]
    seen: dict[str, int] = {}
    out: list[str] = []
    for n in names:
        if names.count(n) > 1:
            seen[n] = seen.get(n, -1) + 1
            out.append(f"{n}{seen[n]}")
        else:
            out.append(n)
    return tuple(out)


def make_suite(
    contract: Any,
    targets: Sequence[Any],
    *,
    max_examples: Any = None,
    seed: Any = None,
    timeout: Any = None,
    sequences: Any = None,
    steps: Any = None,
    reference: Any = None,
    sockets: Any = None,
    users: Any = None,
    socket_port: Any = None,
    example_db: Any = None,
) -> Suite:
    """A suite for ``contract`` and ``targets`` (the recorded implementations if none); misuse raises UsageError."""
    from interlock.properties._api import reference_entry

    model = get_contract(contract)
    judge = reference_entry(model, reference)
    own = given(
        max_examples=max_examples,
        seed=seed,
        timeout=timeout,
        sequences=sequences,
        steps=steps,
        sockets=sockets,
        users=users,
        socket_port=socket_port,
        example_db=example_db,
    )
    chosen = tuple(targets) or tuple(implementations(model.protocol))
    if not chosen:
        raise UsageError(f"no targets for {model.name}: pass implementations, or record them with @interlock.implements")
    for i, t in enumerate(chosen):
        if not callable(t):
            raise UsageError(f"target {t!r} is not a class or a factory; pass the class itself, or a function returning an instance")
        if any(t is u for u in chosen[:i]):
            raise UsageError(f"target {t!r} is given twice; give each implementation once")
    names = _short_names(chosen)
    cases: list[Case] = []
    for i, n in enumerate(names):
        cases.append(Case("signature", i, n))
    for i, n in enumerate(names):
        cases.extend(Case("member", i, n, member=m.name) for m in model.members)
    for i, n in enumerate(names):
        cases.extend(Case("clause", i, n, clause=c.id) for c in model.clauses)
    if len(chosen) > 1 or judge is not None:
        cases.append(Case("differential"))
    return Suite(model=model, targets=chosen, names=names, own=own, cases=tuple(cases), reference=judge)


# ---- running a case -----------------------------------------------------------------------

_CACHE = "_interlock_outcome"


def run_case(suite: Suite, case: Case, holder: Any, item: pytest.Item, *, replay: str) -> None:
    """Give ``item`` its verdict, checking the suite first if ``holder`` (its class or collector) has no report yet."""
    from interlock.adapters._pytest_options import MARKER, NOTE_PROPERTY, SETTINGS_KEY, marker_options, resolve

    cached = vars(holder).get(_CACHE)
    if cached is None:
        settings = item.config.stash.get(SETTINGS_KEY, None)
        options = resolve(settings, suite.own, marker_options(list(item.iter_markers(MARKER)), item.nodeid))
        try:
            cached = (suite.run(options), item.nodeid)
        except Exception as exc:
            setattr(holder, _CACHE, (exc, item.nodeid))
            raise
        setattr(holder, _CACHE, cached)
    outcome, first = cached
    if isinstance(outcome, BaseException):
        pytest.fail(f"interlock could not check {suite.contract_name}: {type(outcome).__name__}: {outcome} (see {first})", pytrace=False)
    if case.check == "differential":  # what the comparison did not do (report.notes): listed after the run
        item.user_properties.extend(
            (NOTE_PROPERTY, note if outcome.contract in note else f"{outcome.contract}: {note}") for note in outcome.notes
        )
    suite.verdict(case, outcome, replay=replay)
