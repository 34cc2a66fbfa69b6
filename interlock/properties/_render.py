"""Presenting a report: text for people, JUnit XML for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from interlock.properties._checks import check_name, check_names, clause_check, member_check

if TYPE_CHECKING:
    from interlock.properties._report import Fingerprint, Report, Violation

__all__ = ["render_contract", "render_fixed", "render_junit", "render_text", "summary_line"]

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


_FOLDED: dict[str, str] = {
    "none-propagation": "accepts None",
    "empty-string": "accepts empty or blank text",
    "type-coercion": "accepts a value of another type",
}
"""The input-strictness kinds the text report folds, when one target repeats them over parameters, and the phrase."""


def render_text(report: Report, *, colour: bool = False) -> str:
    """Grouped by target; every new violation with its kind, message, location and reproducer.

    Input-strictness findings one target repeats over members and parameters are folded into one block per
    kind; violations the baseline knows are listed compactly; baseline entries not seen are listed as fixed.
    """
    lines = render_contract(report, colour=colour)
    lines.extend(render_fixed(report.fixed, report.baseline, colour=colour))
    s = report.to_json()["summary"]
    lines.append(summary_line(s, colour=colour, drift=bool(report.new_violations), ignored=report.ignored))
    return "\n".join(lines)


def _painter(colour: bool) -> Callable[[str, str], str]:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    return paint


def _where(v: Violation) -> str:
    where = v.member or "(contract)"
    return f"{where}({v.parameter})" if v.parameter else where


def render_contract(report: Report, *, colour: bool = False) -> list[str]:
    """The text of one contract's report without its summary line: the heading, then each target's verdict."""
    paint = _painter(colour)
    judged = f", compared with the reference {report.reference}" if report.reference else ""
    lines = [paint(_BOLD, f"interlock check {report.contract}") + f"  (seed {report.seed}{judged})", ""]
    for t in report.targets:
        new = [v for v in t.violations if v.baseline != "known"]
        known = [v for v in t.violations if v.baseline == "known"]
        if t.conforms:
            lines.append(paint(_GREEN, "PASS") + f" {t.target}")
        elif not new:
            lines.append(paint(_GREEN, "KNOWN") + f" {t.target}: {_count(len(known), 'known violation')}, in the baseline")
        else:
            more = f" ({len(known)} more known)" if known else ""
            lines.append(
                paint(_RED, "FAIL") + f" {t.target}: {_count(len(new), 'new violation' if report.baseline else 'violation')}{more}"
            )
        lines.extend(_violation_lines(new, paint))
        by_kind: dict[str, list[str]] = {}
        for v in known:
            by_kind.setdefault(v.kind, []).append(_where(v) + (f" [{v.clause}]" if v.clause else ""))
        for kind, places in by_kind.items():
            lines.append(paint(_DIM, f"  known {kind}: {', '.join(places)}"))
        for nc in t.not_checked:
            what = nc.member or "(contract)"
            if nc.clause:
                what += f" [{nc.clause}]"
            lines.append(paint(_DIM, f"  not checked: {what}: {nc.reason}"))
        lines.append("")
    if report.interrupted:
        lines.append(paint(_RED, f"interrupted: {report.interrupted}; the report holds what was found until then"))
    if report.notes:
        lines.extend([*(paint(_DIM, f"note: {note}") for note in report.notes), ""])
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _violation_lines(violations: list[Violation], paint: Callable[[str, str], str]) -> list[str]:
    """Each violation in full, but a kind of input strictness that repeats over parameters folded into one block."""
    folds: dict[str, list[Violation]] = {}
    for v in violations:
        if v.kind in _FOLDED and v.clause is None and v.parameter is not None:
            folds.setdefault(v.kind, []).append(v)
    folds = {kind: vs for kind, vs in folds.items() if len(vs) >= 2}
    lines: list[str] = []
    for v in violations:
        group = folds.get(v.kind) if v.clause is None and v.parameter is not None else None
        if group is not None and v is not group[0]:
            continue
        if group is not None:
            places = ", ".join(_where(g) for g in group)
            lines.append(f"  {paint(_RED, v.kind)}: {_FOLDED[v.kind]} for {len(group)} parameters: {places}")
            lines.append(paint(_DIM, f"    first, {_where(v)}: {v.message}"))
        else:
            clause = f" [{v.clause}]" if v.clause else ""
            lines.append(f"  {paint(_RED, v.kind)} {_where(v)}{clause}: {v.message}")
        if v.location:
            lines.append(paint(_DIM, f"    at {v.location}"))
        lines.append(paint(_DIM, f"    reproduce {_where(v)}:" if group is not None else "    reproduce:"))
        lines.extend(paint(_DIM, f"      {line}") for line in v.example.splitlines())
    return lines


def render_fixed(fixed: Sequence[Fingerprint], baseline: str | None, *, colour: bool = False) -> list[str]:
    """Baseline entries no violation matched: mended drift, with how to drop them from the baseline."""
    if not fixed:
        return []
    paint = _painter(colour)
    lines = [paint(_GREEN, "FIXED") + f" {_entries(len(fixed))} no longer found:"]
    for f in fixed:
        place = (f.member or "(contract)") + (f"({f.parameter})" if f.parameter else "") + (f" [{f.clause}]" if f.clause else "")
        lines.append(f"  {f.target} {f.kind} {place}  ({f.contract})")
    lines.append(paint(_DIM, f"  drop them from the baseline: run the same check with --update-baseline {baseline or 'FILE'}"))
    lines.append("")
    return lines


def _entries(n: int) -> str:
    return f"{n} baseline entr{'ies' if n != 1 else 'y'}"


def summary_line(s: Mapping[str, Any], *, colour: bool = False, drift: bool, ignored: Mapping[str, int] | None = None) -> str:
    """The last line: the verdict and the counts (new, known, fixed and ignored only when there are some)."""
    paint = _painter(colour)
    if drift:
        verdict = paint(_RED, "drift found")
    elif s["violations"]:
        verdict = paint(_GREEN, "no new drift")
    else:
        verdict = paint(_GREEN, "conforms")
    counts = _count(s["violations"], "violation")
    if s.get("known"):
        counts += f" ({s['new']} new, {s['known']} known)"
    extra = ""
    if s.get("fixed"):
        extra += f", {s['fixed']} fixed"
    if s.get("ignored"):
        kinds = ", ".join(sorted(ignored or {}))
        extra += f", {s['ignored']} ignored" + (f" ({kinds})" if kinds else "")
    head = f"{_count(s['contracts'], 'contract')}, " if "contracts" in s else ""
    return (
        f"{verdict}: {head}{s['conforming']} of {s['targets']} targets conform, {counts}{extra}, "
        f"{s['examples']} examples in {s['seconds']:.2f}s"
    )


def render_junit(report: Report) -> str:
    """One testsuite per target, one testcase per check (``interlock.properties._checks``); a new violation is a failure.

    A violation the baseline knows is not a failure: its test case lists it in ``system-out``.
    """
    root = ET.Element("testsuites", name=f"interlock {report.contract}")
    root.extend(junit_suites(report))
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def junit_suites(report: Report, *, named: Callable[[str], str] = str) -> list[ET.Element]:
    """The ``testsuite`` elements of one contract's report, each named ``named(target)``."""
    checks = check_names(report.members, report.clauses, targets=len(report.targets), reference=report.reference is not None)
    suites: list[ET.Element] = []
    for t in report.targets:
        new = [v for v in t.violations if v.baseline != "known"]
        suite = ET.Element("testsuite", name=named(t.target), tests="0", failures=str(len(new)))
        suites.append(suite)
        names = list(checks)
        by_check: dict[str, list[Violation]] = {}
        for v in t.violations:
            name = check_name(v, members=report.members, clauses=report.clauses)
            by_check.setdefault(name, []).append(v)
            if name not in names:
                names.append(name)
        skipped = {member_check(n.member) if n.member and not n.clause else clause_check(str(n.clause)): n.reason for n in t.not_checked}
        for name in names:
            case = ET.SubElement(suite, "testcase", classname=t.target, name=name)
            found = by_check.get(name, [])
            for v in found:
                if v.baseline != "known":
                    failure = ET.SubElement(case, "failure", message=v.message, type=v.kind)
                    failure.text = v.example
            known = [v for v in found if v.baseline == "known"]
            if known:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"known (in the baseline): {v.kind} {_where(v)}: {v.message}" for v in known)
            if name not in by_check and name in skipped:
                ET.SubElement(case, "skipped", message=skipped[name])
        suite.set("tests", str(len(names)))
        suite.set("skipped", str(len(suite.findall("testcase/skipped"))))
    return suites
