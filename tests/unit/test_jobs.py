"""--jobs N: groups (a contract and its targets) in worker processes, the same report in the same order as one
process; a worker that dies is its group's crash and the run goes on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.unit._adoption import CONFIG, REPORT_SCHEMA, make_project, one_error_line, run, run_json

EXITING = {
    "driftshop/exits.py": """
        import os
        from typing import Protocol

        import interlock
        from interlock import NonEmpty


        @interlock.contract
        class Counter(Protocol):
            def add(self, name: NonEmpty[str]) -> int: ...


        def _text(value):
            if not isinstance(value, str):
                raise TypeError("name must be str")
            if not value.strip():
                raise ValueError("name must not be blank")


        @interlock.implements(Counter)
        class GoodCounter:
            def add(self, name):
                _text(name)
                return len(name)


        @interlock.implements(Counter)
        class ExitingCounter:
            def add(self, name):
                _text(name)
                os._exit(3)
    """
}


def _comparable(doc: dict[str, Any]) -> list[Any]:
    """What must not depend on --jobs: every contract's targets, violations (all fields) and not_checked, in order."""
    return [(c["contract"], c["seed"], c["targets"], c["fixed"]) for c in doc["contracts"]]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("jobs"))


def test_two_jobs_give_the_same_report_as_one(project: Path) -> None:
    """The same seed: --jobs 2 and --jobs 1 report the same violations, messages, reproducers and order."""
    one_code, one = run_json(project, "check", "--jobs", "1")
    two_code, two = run_json(project, "check", "--jobs", "2")
    assert one_code == two_code == 1
    jsonschema.validate(two, REPORT_SCHEMA)
    assert _comparable(one) == _comparable(two)
    assert [c["contract"] for c in two["contracts"]] == ["driftshop.contracts:Pricer", "driftshop.contracts:Namer"]
    assert two["summary"]["violations"] == one["summary"]["violations"] > 0


def test_auto_is_accepted_and_gives_the_same_report(project: Path) -> None:
    """--jobs auto: one worker per core, the same report."""
    _, one = run_json(project, "check", "--jobs", "1")
    code, auto = run_json(project, "check", "--jobs", "auto")
    assert code == 1
    assert _comparable(auto) == _comparable(one)


def test_a_dying_worker_is_its_groups_crash(tmp_path: Path) -> None:
    """ExitingCounter ends its worker with os._exit: it gets a crash naming the member; GoodCounter, in the same group,
    keeps its report; the other contracts are reported as with one process. The configured jobs = 2 is used."""
    config = CONFIG.replace('modules = ["driftshop.impl"]', 'modules = ["driftshop.impl", "driftshop.exits"]') + "\n"
    config = config.replace("seed = 3\n", "seed = 3\njobs = 2\n")
    make_project(tmp_path, config, EXITING)
    code, doc = run_json(tmp_path, "check")
    assert code == 1
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert [c["contract"] for c in doc["contracts"]] == [
        "driftshop.contracts:Pricer",
        "driftshop.contracts:Namer",
        "driftshop.exits:Counter",
    ]
    counter = doc["contracts"][2]
    good, exiting = counter["targets"]
    assert good["target"] == "driftshop.exits:GoodCounter"
    assert good["conforms"] is True
    [crash] = exiting["violations"]
    assert crash["kind"] == "crash"
    assert crash["member"] == "add"
    assert "exited with status 3" in crash["message"]
    verdicts = {t["target"]: t["conforms"] for c in doc["contracts"][:2] for t in c["targets"]}
    assert verdicts["driftshop.impl:DriftingPricer"] is False
    assert verdicts["driftshop.impl:GoodNamer"] is True


def test_bad_jobs_is_exit_2(project: Path) -> None:
    """--jobs 0: exit 2, one line naming the rule."""
    done = run(project, "check", "--jobs", "0")
    assert done.returncode == 2
    assert "jobs must be a whole number of 1 or more, or 'auto'" in one_error_line(done.stderr)
