"""``interlock check`` with no contract: every configured check and every registration, grouped by contract."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import interlock
from tests.unit._adoption import CONFIG, REPORT_SCHEMA, fingerprints, make_project, one_error_line, run, run_json

PRICER, NAMER = "driftshop.contracts:Pricer", "driftshop.contracts:Namer"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def project_json(project: Path) -> tuple[int, Any]:
    return run_json(project, "check")


def test_json_has_one_report_per_contract(project_json: tuple[int, Any]) -> None:
    """{"interlock", "seed", "contracts": [report, ...], "summary"}: each report as the one-contract form's; it validates."""
    code, doc = project_json
    assert code == 1
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["interlock"] == interlock.__version__
    assert doc["seed"] == 3
    assert [c["contract"] for c in doc["contracts"]] == [PRICER, NAMER]
    for report in doc["contracts"]:
        assert {"contract", "seed", "targets", "summary"} <= set(report)
        assert report["seed"] == 3
    summary = doc["summary"]
    assert summary["contracts"] == 2
    assert summary["targets"] == sum(len(c["targets"]) for c in doc["contracts"]) == 5
    assert summary["violations"] == len(fingerprints(doc)) > 0
    assert summary["new"] == summary["violations"]
    assert summary["known"] == summary["fixed"] == summary["ignored"] == 0


def test_configured_checks_come_first_and_registrations_join_them(project_json: tuple[int, Any]) -> None:
    """The configured check keeps its targets in order, and the recorded RecordedPricer is added to it; Namer,
    configured nowhere, is checked through its recorded implementations."""
    _, doc = project_json
    pricer, namer = doc["contracts"]
    assert [t["target"] for t in pricer["targets"]] == [
        "driftshop.impl:GoodPricer",
        "driftshop.impl:DriftingPricer",
        "driftshop.impl:RecordedPricer",
    ]
    assert [t["target"] for t in namer["targets"]] == ["driftshop.impl:LaxNamer", "driftshop.impl:GoodNamer"]
    verdicts = {t["target"].split(":")[1]: t["conforms"] for c in doc["contracts"] for t in c["targets"]}
    assert verdicts == {"GoodPricer": True, "DriftingPricer": False, "RecordedPricer": True, "LaxNamer": False, "GoodNamer": True}


def test_same_seed_same_project_report(project: Path, project_json: tuple[int, Any]) -> None:
    """The same configured seed gives the same violations in the same order."""
    _, first = project_json
    _, second = run_json(project, "check")
    assert fingerprints(first) == fingerprints(second)


def test_text_is_grouped_by_contract(project: Path) -> None:
    """The text report: one block per contract, each headed as interlock check CONTRACT, then one summary line."""
    done = run(project, "check")
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert out.index(f"interlock check {PRICER}") < out.index("FAIL driftshop.impl:DriftingPricer") < out.index(f"interlock check {NAMER}")
    assert out.index(f"interlock check {NAMER}") < out.index("FAIL driftshop.impl:LaxNamer")
    last = out.strip().splitlines()[-1]
    assert last.startswith("drift found: 2 contracts, 3 of 5 targets conform")


def test_junit_has_a_testsuite_per_contract_and_target(project: Path, tmp_path: Path) -> None:
    """--junit FILE: one testsuite per contract and target, named CONTRACT::TARGET; violations are failures."""
    out = tmp_path / "junit.xml"
    done = run(project, "check", "--junit", str(out))
    assert done.returncode == 1
    suites = ET.parse(out).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == [
        f"{PRICER}::driftshop.impl:GoodPricer",
        f"{PRICER}::driftshop.impl:DriftingPricer",
        f"{PRICER}::driftshop.impl:RecordedPricer",
        f"{NAMER}::driftshop.impl:LaxNamer",
        f"{NAMER}::driftshop.impl:GoodNamer",
    ]
    failing = {s.get("name", "").split("::")[1] for s in suites if s.findall("testcase/failure")}
    assert failing == {"driftshop.impl:DriftingPricer", "driftshop.impl:LaxNamer"}


def test_the_single_contract_form_keeps_its_shape(project: Path) -> None:
    """interlock check CONTRACT TARGET prints one report, as before, even in a configured project."""
    code, doc = run_json(project, "check", PRICER, "driftshop.impl:DriftingPricer")
    assert code == 1
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert "contracts" not in doc
    assert doc["contract"] == PRICER
    assert [t["target"] for t in doc["targets"]] == ["driftshop.impl:DriftingPricer"]


def test_a_contract_with_no_targets_is_exit_2(tmp_path: Path) -> None:
    """A configured check with no targets and no recorded implementation: exit 2, naming the contract."""
    config = CONFIG.replace('modules = ["driftshop.impl"]', "modules = []").replace(
        'targets = ["driftshop.impl:GoodPricer", "driftshop.impl:DriftingPricer"]', "targets = []"
    )
    make_project(tmp_path, config)
    done = run(tmp_path, "check")
    assert done.returncode == 2
    assert f"no targets for {PRICER}" in one_error_line(done.stderr)


def test_contract_without_targets_is_still_a_usage_error(project: Path) -> None:
    """interlock check CONTRACT with no TARGET is refused as before: the project form is the one with no contract."""
    done = run(project, "check", PRICER)
    assert done.returncode == 2
    assert "the following arguments are required: TARGET" in one_error_line(done.stderr)
