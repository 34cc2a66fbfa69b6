"""Presenting a report: text for people, JUnit XML for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from interlock.properties._checks import check_name, check_names, clause_check, member_check

if TYPE_CHECKING:
    from interlock.properties._report import Report, Violation

__all__ = ["render_junit", "render_text"]

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def render_text(report: Report, *, colour: bool = False) -> str:
    """Grouped by target; every violation with its kind, message, location and reproducer."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    judged = f", compared with the reference {report.reference}" if report.reference else ""
    lines = [paint(_BOLD, f"interlock check {report.contract}") + f"  (seed {report.seed}{judged})", ""]
    for t in report.targets:
        if t.conforms:
            lines.append(paint(_GREEN, "PASS") + f" {t.target}")
        else:
            n = len(t.violations)
            lines.append(paint(_RED, "FAIL") + f" {t.target}: {n} violation{'s' if n != 1 else ''}")
        for v in t.violations:
            where = v.member or "(contract)"
            if v.parameter:
                where += f"({v.parameter})"
            clause = f" [{v.clause}]" if v.clause else ""
            lines.append(f"  {paint(_RED, v.kind)} {where}{clause}: {v.message}")
            if v.location:
                lines.append(paint(_DIM, f"    at {v.location}"))
            lines.append(paint(_DIM, "    reproduce:"))
            lines.extend(paint(_DIM, f"      {line}") for line in v.example.splitlines())
        for nc in t.not_checked:
            what = nc.member or "(contract)"
            if nc.clause:
                what += f" [{nc.clause}]"
            lines.append(paint(_DIM, f"  not checked: {what}: {nc.reason}"))
        lines.append("")
    if report.interrupted:
        lines.append(paint(_RED, f"interrupted: {report.interrupted}; the report holds what was found until then"))
    s = report.to_json()["summary"]
    verdict = paint(_GREEN, "conforms") if report.conforms else paint(_RED, "drift found")
    lines.append(
        f"{verdict}: {s['conforming']} of {s['targets']} targets conform, {s['violations']} violations, "
        f"{s['examples']} examples in {s['seconds']:.2f}s"
    )
    return "\n".join(lines)


def render_junit(report: Report) -> str:
    """One testsuite per target, one testcase per check (``interlock.properties._checks``); a violation is a failure."""
    root = ET.Element("testsuites", name=f"interlock {report.contract}")
    checks = check_names(report.members, report.clauses, targets=len(report.targets), reference=report.reference is not None)
    for t in report.targets:
        suite = ET.SubElement(root, "testsuite", name=t.target, tests="0", failures=str(len(t.violations)))
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
            for v in by_check.get(name, []):
                failure = ET.SubElement(case, "failure", message=v.message, type=v.kind)
                failure.text = v.example
            if name not in by_check and name in skipped:
                ET.SubElement(case, "skipped", message=skipped[name])
        suite.set("tests", str(len(names)))
        suite.set("skipped", str(len(suite.findall("testcase/skipped"))))
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
