"""--select and --ignore (ruff's convention): kinds left out are not reported and do not fail, the summary counts
them; and the text report folds input-strictness findings repeated over parameters into one block per kind."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from interlock._baseline import Baseline, Filter, apply, updated
from interlock.properties._render import render_text
from interlock.properties._report import Fingerprint, Report, TargetReport, Violation
from tests.unit._adoption import CONFIG, REPORT_SCHEMA, make_project, one_error_line, run, run_json

NAMER, LAX = "driftshop.contracts:Namer", "driftshop.impl:LaxNamer"
ONE = ("check", NAMER, LAX)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("filters"))


@pytest.fixture(scope="module")
def unfiltered(project: Path) -> dict[str, int]:
    """LaxNamer's violations by kind, with every kind reported."""
    code, doc = run_json(project, *ONE)
    assert code == 1
    kinds: dict[str, int] = {}
    for v in doc["targets"][0]["violations"]:
        kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
    assert {"none-propagation", "empty-string", "type-coercion"} <= set(kinds)
    return kinds


def test_ignored_kinds_are_not_reported_but_counted(project: Path, unfiltered: dict[str, int]) -> None:
    """--ignore type-coercion: no such violation in the report; summary.ignored counts them; the rest still fail."""
    code, doc = run_json(project, *ONE, "--ignore", "type-coercion")
    assert code == 1
    jsonschema.validate(doc, REPORT_SCHEMA)
    kinds = {v["kind"] for v in doc["targets"][0]["violations"]}
    assert "type-coercion" not in kinds
    assert doc["summary"]["ignored"] == unfiltered["type-coercion"]
    assert doc["summary"]["violations"] == sum(unfiltered.values()) - unfiltered["type-coercion"]


def test_ignoring_every_kind_found_passes_the_run(project: Path, unfiltered: dict[str, int]) -> None:
    """Ignored kinds do not fail the run: with all of LaxNamer's kinds ignored it conforms, exit 0, and the text
    summary says how many were ignored and of which kinds."""
    done = run(project, *ONE, "--ignore", ",".join(unfiltered))
    assert done.returncode == 0, done.stdout
    assert f"PASS {LAX}" in done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert f"{sum(unfiltered.values())} ignored (" in last
    assert "none-propagation" in last


def test_select_reports_only_those_kinds(project: Path, unfiltered: dict[str, int]) -> None:
    """--select none-propagation,empty-string: only those kinds; the others are counted as ignored."""
    code, doc = run_json(project, *ONE, "--select", "none-propagation,empty-string")
    assert code == 1
    assert {v["kind"] for v in doc["targets"][0]["violations"]} == {"none-propagation", "empty-string"}
    assert doc["summary"]["ignored"] == sum(n for k, n in unfiltered.items() if k not in ("none-propagation", "empty-string"))


def test_the_configured_select_applies_and_the_command_line_replaces_it(project: Path, tmp_path: Path) -> None:
    """select in [tool.interlock] filters a project run; --select on the command line replaces it."""
    make_project(tmp_path, CONFIG.replace("seed = 3\n", 'seed = 3\nselect = ["param-name-drift"]\n'))
    code, doc = run_json(tmp_path, "check")
    kinds = {v["kind"] for c in doc["contracts"] for t in c["targets"] for v in t["violations"]}
    assert kinds == {"param-name-drift"}  # DriftingPricer's renamed parameter; LaxNamer's input findings are ignored
    assert code == 1
    code, doc = run_json(tmp_path, "check", "--select", "empty-string")
    assert {v["kind"] for c in doc["contracts"] for t in c["targets"] for v in t["violations"]} == {"empty-string"}


def test_an_unknown_kind_is_exit_2(project: Path) -> None:
    """--select with a name that is not a kind: exit 2, one line listing the kinds."""
    done = run(project, *ONE, "--ignore", "type-coersion")
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "'type-coersion' is not a violation kind" in line
    assert "type-coercion" in line


def test_repeated_input_findings_fold_in_text_only(project: Path, tmp_path: Path) -> None:
    """LaxNamer accepts None for first and last: one text block 'accepts None for 2 parameters', but two
    violations in JSON and two failures in JUnit."""
    junit = tmp_path / "j.xml"
    done = run(project, *ONE, "--junit", str(junit))
    assert done.returncode == 1
    assert "  none-propagation: accepts None for 2 parameters: name(first), name(last)" in done.stdout
    assert [line for line in done.stdout.splitlines() if line.startswith("  none-propagation")] == [
        "  none-propagation: accepts None for 2 parameters: name(first), name(last)"
    ]  # folded: one block for the kind
    assert "reproduce name(first):" in done.stdout
    _, doc = run_json(project, *ONE)
    nones = [v for v in doc["targets"][0]["violations"] if v["kind"] == "none-propagation"]
    assert [v["parameter"] for v in nones] == ["first", "last"]
    failures = ET.parse(junit).getroot().findall("testsuite/testcase/failure[@type='none-propagation']")
    assert len(failures) == 2


def _v(kind: str, parameter: str | None, clause: str | None = None, member: str = "put") -> Violation:
    return Violation(
        target="m:T",
        kind=kind,
        member=member,
        parameter=parameter,
        message=f"{kind} on {parameter}",
        example="x",
        location=None,
        clause=clause,
    )


def test_folding_leaves_single_findings_and_clauses_alone() -> None:
    """Only a kind repeated over parameters folds; a lone finding, a clause's violation and other kinds are in full."""
    report = Report(
        contract="c:C",
        seed=1,
        targets=[
            TargetReport(
                "m:T",
                [
                    _v("none-propagation", "key"),
                    _v("none-propagation", "value"),
                    _v("none-propagation", "key", member="get"),
                    _v("empty-string", "key"),
                    _v("type-coercion", "key", clause="put-is-strict"),
                    _v("type-coercion", "value", clause="put-is-strict"),
                ],
            )
        ],
        examples=0,
        seconds=0,
    )
    text = render_text(report)
    assert "none-propagation: accepts None for 3 parameters: put(key), put(value), get(key)" in text
    assert "  empty-string put(key): empty-string on key" in text
    assert "  type-coercion put(key) [put-is-strict]: type-coercion on key" in text
    assert "  type-coercion put(value) [put-is-strict]: type-coercion on value" in text
    assert "FAIL m:T: 6 violations" in text


def test_ignored_kinds_are_neither_fixed_nor_dropped_from_a_baseline() -> None:
    """A baseline entry of an ignored kind was not judged: not listed as fixed, and kept when the baseline is updated."""
    report = Report(contract="c:C", seed=1, targets=[TargetReport("m:T", [_v("empty-string", "key")])], examples=0, seconds=0)
    hidden = Fingerprint("c:C", "m:T", "type-coercion", "put", "key", None)
    kinds = Filter(ignore=("type-coercion",))
    marked = apply(report, kinds=kinds, baseline=Baseline("b.json", frozenset({hidden})))
    assert marked.fixed == []
    assert hidden in updated({hidden}, [marked], kinds=kinds, whole_project=True)
