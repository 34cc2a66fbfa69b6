"""The command line: exit codes, the JSON report on stdout only, every error path as one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import interlock
from interlock.cli import main

SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())

PROJECT = {
    "shop/__init__.py": "",
    "shop/contracts.py": """
        from typing import Protocol
        import interlock
        from interlock import NonEmpty

        @interlock.contract
        class Pricer(Protocol):
            @interlock.comparable(id="prices-agree")
            def price(self, sku: NonEmpty[str], quantity: int = 1) -> int: ...

        class NotAContract:
            pass

        value = 3
    """,
    "shop/impl.py": """
        print("importing shop.impl prints to stdout")

        class GoodPricer:
            def __init__(self):
                print("building GoodPricer prints too")

            def price(self, sku, quantity=1):
                if not isinstance(sku, str):
                    raise TypeError("sku must be str")
                if not sku.strip():
                    raise ValueError("sku must not be blank")
                if not isinstance(quantity, int):
                    raise TypeError("quantity must be int")
                print("pricing", repr(sku))
                return len(sku) * quantity

        class DriftingPricer:
            def price(self, item, quantity=1):
                return len(str(item)) * int(quantity)
    """,
    "shop/malformed.py": """
        from typing import Protocol
        import interlock

        @interlock.contract
        class Broken(Protocol):
            def price(self, sku) -> int: ...
    """,
    "shop/explodes.py": "raise RuntimeError('no database in this environment')\n",
    "shop/exits.py": "import sys\nsys.exit(4)\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def run(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args], cwd=project, capture_output=True, text=True, timeout=120, check=False, env=env
    )


def test_conforming_target_exits_0(project: Path) -> None:
    """A conforming target: exit 0, a PASS line, and the target's prints on stderr only."""
    done = run(project, "check", "shop.contracts:Pricer", "shop.impl:GoodPricer", "--seed", "1", "--max-examples", "20")
    assert done.returncode == 0, done.stderr
    assert "PASS shop.impl:GoodPricer" in done.stdout
    assert "prints" not in done.stdout
    assert "importing shop.impl prints to stdout" in done.stderr


def test_drift_exits_1_with_json_only_on_stdout(project: Path) -> None:
    """With --json the report is the only thing on stdout, even though targets print; it validates."""
    done = run(
        project,
        "check",
        "shop.contracts:Pricer",
        "shop.impl:GoodPricer",
        "shop.impl:DriftingPricer",
        "--seed",
        "7",
        "--json",
        "--max-examples",
        "20",
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["seed"] == 7
    assert report["contract"] == "shop.contracts:Pricer"
    good, drifting = report["targets"]
    assert good["conforms"] is True
    kinds = {(v["kind"], v["parameter"]) for v in drifting["violations"]}
    assert ("param-name-drift", "sku") in kinds
    assert ("none-propagation", "sku") in kinds
    assert ("type-coercion", "quantity") in kinds
    assert report["summary"]["violations"] == len(drifting["violations"])
    assert "building GoodPricer prints too" in done.stderr


def test_same_seed_same_report(project: Path) -> None:
    """The same seed, contract and targets give the same report apart from its timings, in processes with
    different hash seeds (the order of a set of text changes with PYTHONHASHSEED)."""
    args = ("check", "shop.contracts:Pricer", "shop.impl:DriftingPricer", "--seed", "42", "--json", "--max-examples", "20")
    first, second = (json.loads(run(project, *args, env={**os.environ, "PYTHONHASHSEED": h}).stdout) for h in ("1", "2"))
    for report in (first, second):
        report["summary"].pop("seconds")
    assert first == second


def test_seed_is_drawn_and_printed_without_seed(project: Path) -> None:
    """Without --seed, a seed is drawn and printed, so the run can be replayed."""
    done = run(project, "check", "shop.contracts:Pricer", "shop.impl:GoodPricer", "--json", "--max-examples", "5")
    assert isinstance(json.loads(done.stdout)["seed"], int)


def test_junit_file(project: Path, tmp_path: Path) -> None:
    """--junit writes one testsuite per target; each violation is a failure carrying its reproducer."""
    out = tmp_path / "report.xml"
    done = run(
        project,
        "check",
        "shop.contracts:Pricer",
        "shop.impl:GoodPricer",
        "shop.impl:DriftingPricer",
        "--seed",
        "3",
        "--max-examples",
        "10",
        "--junit",
        str(out),
    )
    assert done.returncode == 1
    root = ET.parse(out).getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["shop.impl:GoodPricer", "shop.impl:DriftingPricer"]
    failures = suites[1].findall("testcase/failure")
    assert failures
    assert all(f.text and "from shop.impl import DriftingPricer" in f.text for f in failures)
    assert suites[0].findall("testcase/failure") == []


USAGE_ERRORS = [
    (("check", "nosuch.module:X", "shop.impl:GoodPricer"), "cannot import 'nosuch.module'"),
    (("check", "shop.contracts:Missing", "shop.impl:GoodPricer"), "module 'shop.contracts' has no 'Missing'"),
    (("check", "shop", "shop.impl:GoodPricer"), "is not an import path"),
    (("check", "shop.contracts:NotAContract", "shop.impl:GoodPricer"), "is not a contract"),
    (("check", "shop.impl:GoodPricer", "shop.impl:GoodPricer"), "is not a contract"),
    (("check", "shop.malformed:Broken", "shop.impl:GoodPricer"), "parameter 'sku' has no annotation"),
    (("check", "shop.contracts:Pricer", "shop.explodes:X"), "raised RuntimeError: no database in this environment"),
    (("check", "shop.contracts:Pricer", "shop.exits:X"), "called exit(4)"),
    (("check", "shop.contracts:Pricer", "shop.contracts:value"), "not a class or a factory"),
    (
        ("check", "shop.contracts:Pricer", "shop.impl:GoodPricer", "--max-examples", "0"),
        "max_examples must be a whole number of 1 or more (got 0)",
    ),
    (
        ("check", "shop.contracts:Pricer", "shop.impl:GoodPricer", "--timeout", "-1"),
        "timeout must be a number of seconds from 0.001 to 86400 (got -1)",
    ),
    (("check", "shop.contracts:Pricer", "shop.impl:GoodPricer", "--seed", "x"), "seed must be a whole number of 0 or more (got 'x')"),
    (("check", "shop.contracts:Pricer"), "the following arguments are required: TARGET"),
    (("frobnicate",), "invalid choice"),
    (("demo", "nosuch"), "invalid choice"),
    ((), "no command given"),
]


@pytest.mark.parametrize(("args", "needle"), USAGE_ERRORS, ids=[" ".join(a[:2]) + f"-{i}" for i, (a, _) in enumerate(USAGE_ERRORS)])
def test_usage_errors_are_one_line_and_exit_2(project: Path, args: tuple[str, ...], needle: str) -> None:
    """Each usage or definition error: exit 2, one line on stderr naming the problem, no traceback."""
    done = run(project, *args)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip() and "prints to stdout" not in line]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("interlock: error: ")
    assert needle in lines[0]
    assert "Traceback" not in done.stderr


def test_usage_error_with_json_writes_an_error_document(project: Path) -> None:
    """With --json, exit 2 also writes {"interlock", "error"} on stdout, so parsers always get JSON."""
    done = run(project, "check", "nosuch:X", "shop.impl:GoodPricer", "--json")
    assert done.returncode == 2
    doc = json.loads(done.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["interlock"] == interlock.__version__
    assert "nosuch" in doc["error"]


def test_version() -> None:
    """--version prints the version."""
    done = subprocess.run([sys.executable, "-m", "interlock", "--version"], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == f"interlock {interlock.__version__}"


def test_greeter_demo_shows_conforming_and_drifting_targets() -> None:
    """The greeter demo checks the bundled example: one target passes, the drifting ones fail with their kinds."""
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "demo", "greeter", "--seed", "1", "--json", "--max-examples", "100"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    verdicts = {t["target"].split(":")[1]: {v["kind"] for v in t["violations"]} for t in report["targets"]}
    assert verdicts["PoliteGreeter"] == set()
    assert verdicts["LegacyGreeter"] == {"param-name-drift"}
    assert {"none-propagation", "empty-string"} <= verdicts["TrustingGreeter"]
    assert verdicts["CoercingGreeter"] == {"type-coercion"}
    assert {"async-mismatch", "postcondition"} <= verdicts["BlockingGreeter"]


def test_main_returns_exit_code_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    """main() returns the exit status instead of exiting, and restores stdout afterwards."""
    code = main(
        ["check", "interlock.examples.greeter:Greeter", "interlock.examples.greeter:PoliteGreeter", "--seed", "1", "--max-examples", "5"]
    )
    assert code == 0
    print("after")
    assert "after" in capsys.readouterr().out
