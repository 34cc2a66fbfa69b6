"""One rule for which check a violation belongs to: JUnit's test case, the pytest plugin's test and the demo agree.

``interlock.properties._checks.check_name`` decides; these tests read each of the
three outputs as a user sees it (the JUnit XML, which generated pytest test fails,
the ``interlock demo`` matrix) and compare.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import attrs
import pytest

import interlock
from interlock.adapters._pytest_cases import Case, Suite, make_suite
from interlock.cli import _matrix
from interlock.contracts._declare import get_contract
from interlock.contracts._model import KINDS
from interlock.contracts.factory import ExecutionEngineFactory
from interlock.contracts.router import MessageRouter
from interlock.examples import factory, greeter, router
from interlock.properties._checks import SIGNATURE_KINDS, check_name, check_names
from interlock.properties._render import render_junit
from interlock.properties._report import Report, TargetReport, Violation

CLAUSE = "greeting-names-the-person"

# Where a violation may be: (member, parameter, clause). A member of a product ("greet().upper"), a clause the
# contract does not have and a member it does not have are there to show that every violation lands in a check.
PLACES: list[tuple[str | None, str | None, str | None]] = [
    (None, None, None),
    ("__init__", "prefix", None),
    ("greet", "name", None),
    ("greet", None, CLAUSE),
    (None, None, CLAUSE),
    ("greet().upper", None, None),
    ("greet", None, "no-such-clause"),
    ("no_such_member", None, None),
]

SAMPLE = [(kind, *place) for kind in KINDS for place in PLACES]


def _violation(target: str, kind: Any, member: str | None, parameter: str | None, clause: str | None) -> Violation:
    return Violation(
        target=target,
        kind=kind,
        member=member,
        parameter=parameter,
        message=f"{kind} on {member}/{parameter}/{clause}",
        example="pass",
        location=None,
        clause=clause,
    )


def _report(model: Any, labels: list[str], violations: dict[str, list[Violation]]) -> Report:
    return Report(
        contract=model.name,
        seed=1,
        targets=[TargetReport(target=label, violations=violations.get(label, [])) for label in labels],
        examples=0,
        seconds=0.0,
        members=tuple(m.name for m in model.members),
        clauses=tuple(c.id for c in model.clauses),
    )


def junit_checks(report: Report) -> dict[str, set[str]]:
    """Per target, the names of the JUnit test cases that fail."""
    root = ET.fromstring(render_junit(report).split("?>", 1)[1])
    return {
        suite.attrib["name"]: {case.attrib["name"] for case in suite.iter("testcase") if case.find("failure") is not None} for suite in root
    }


def pytest_failures(suite: Suite, report: Report) -> list[Case]:
    """The generated pytest tests that fail on ``report``, by the plugin's own verdict."""
    failed = []
    for case in suite.cases:
        try:
            suite.verdict(case, report, replay="seed {seed}")
        except pytest.fail.Exception:
            failed.append(case)
    return failed


def pytest_checks(suite: Suite, report: Report) -> dict[str, set[str]]:
    """Per target, the checks of the pytest tests that fail on that target's violations alone."""
    found: dict[str, set[str]] = {}
    for t in report.targets:
        alone = attrs.evolve(report, targets=[u if u is t else attrs.evolve(u, violations=[]) for u in report.targets])
        found[t.target] = {case.check_name for case in pytest_failures(suite, alone)}
    return found


def demo_checks(report: Report) -> dict[str, set[str]]:
    """Per target, the checks the ``interlock demo`` matrix lists after the kinds."""
    lines = _matrix([report], colour=False).splitlines()
    found: dict[str, set[str]] = {}
    for t in report.targets:
        short = t.target.split(":")[1]
        (line,) = [line for line in lines if line.split() and line.split()[0] == short]
        found[t.target] = {name for group in re.findall(r"\(([^)]*)\)", line) for name in group.split(", ")}
    return found


def test_every_kind_and_place_is_filed_under_one_check_by_all_three() -> None:
    """For one violation of each kind, at each kind of place, the failing JUnit test case, the failing pytest test
    and the demo matrix name the same single check."""
    model = get_contract(greeter.Greeter)
    suite = make_suite(greeter.Greeter, [greeter.PoliteGreeter, greeter.LegacyGreeter])
    labels = ["interlock.examples.greeter:PoliteGreeter", "interlock.examples.greeter:LegacyGreeter"]
    for kind, member, parameter, clause in SAMPLE:
        v = _violation(labels[1], kind, member, parameter, clause)
        report = _report(model, labels, {labels[1]: [v]})
        expected = check_name(v, members=report.members, clauses=report.clauses)
        assert expected in check_names(report.members, report.clauses, targets=2), v
        failed = pytest_failures(suite, report)
        assert [c.check_name for c in failed] == [expected], v
        assert failed[0].index in (1, None), v
        assert junit_checks(report) == {labels[0]: set(), labels[1]: {expected}}, v
        assert demo_checks(report)[labels[1]] == {expected}, v


@pytest.mark.parametrize(
    ("kind", "member", "parameter", "clause", "check", "test"),
    [
        ("param-name-drift", "greet", "name", None, "signature", "test_signature[LegacyGreeter]"),
        ("missing-member", "greet_later", None, None, "signature", "test_signature[LegacyGreeter]"),
        ("async-mismatch", "greet", None, CLAUSE, "signature", "test_signature[LegacyGreeter]"),
        ("none-propagation", "greet", "name", None, "member:greet", "test_member[LegacyGreeter-greet]"),
        ("unexpected-exception", "__init__", None, None, "member:__init__", "test_member[LegacyGreeter-__init__]"),
        ("timeout", "greet().upper", None, None, "member:greet", "test_member[LegacyGreeter-greet]"),
        ("postcondition", "greet", None, CLAUSE, f"clause:{CLAUSE}", f"test_clause[LegacyGreeter-{CLAUSE}]"),
        ("differential", "greet", None, CLAUSE, f"clause:{CLAUSE}", f"test_clause[LegacyGreeter-{CLAUSE}]"),
        ("differential", "greet", None, None, "differential", "test_differential"),
        ("crash", None, None, None, "signature", "test_signature[LegacyGreeter]"),
        ("crash", "greet", None, None, "member:greet", "test_member[LegacyGreeter-greet]"),
    ],
)
def test_the_rule(kind: str, member: str | None, parameter: str | None, clause: str | None, check: str, test: str) -> None:
    """Signature kinds first, then the clause, then differential, then the member (a product's is its factory
    member's), else the signature; the pytest test ids are the documented ones."""
    model = get_contract(greeter.Greeter)
    suite = make_suite(greeter.Greeter, [greeter.PoliteGreeter, greeter.LegacyGreeter])
    labels = ["interlock.examples.greeter:PoliteGreeter", "interlock.examples.greeter:LegacyGreeter"]
    v = _violation(labels[1], kind, member, parameter, clause)
    report = _report(model, labels, {labels[1]: [v]})
    assert check_name(v, members=report.members, clauses=report.clauses) == check
    assert [c.name for c in pytest_failures(suite, report)] == [test]
    assert junit_checks(report)[labels[1]] == {check}
    assert demo_checks(report)[labels[1]] == {check}


def test_signature_kinds_are_the_report_specs() -> None:
    assert set(SIGNATURE_KINDS) == {"missing-member", "param-name-drift", "signature-mismatch", "async-mismatch"}
    assert set(KINDS) >= SIGNATURE_KINDS


@pytest.mark.parametrize(
    ("contract", "targets"),
    [
        (greeter.Greeter, greeter.TARGETS),
        (
            ExecutionEngineFactory,
            (factory.ReferenceFactory, factory.CachingFactory, factory.TrustingFactory, factory.SloppyEngineFactory),
        ),
        (MessageRouter, (router.ReferenceRouter, router.LastWinsRouter, router.TrustingRouter)),
    ],
    ids=["greeter", "factory", "router"],
)
def test_real_reports_agree(contract: Any, targets: Any) -> None:
    """On real reports (renamed parameters, a factory's product members, clauses, differential), every target fails
    the same checks in JUnit, in the pytest plugin and in the demo matrix."""
    report = interlock.check(contract, *targets, seed=1, max_examples=10)
    assert not report.conforms
    suite = make_suite(contract, targets)
    junit, tests, demo = junit_checks(report), pytest_checks(suite, report), demo_checks(report)
    for t in report.targets:
        expected = {check_name(v, members=report.members, clauses=report.clauses) for v in t.violations}
        assert junit[t.target] == expected, t.target
        assert demo[t.target] == expected, t.target
        assert tests[t.target] == expected, t.target
