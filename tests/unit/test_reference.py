"""Judging by a reference: a target that disagrees with it gets ``differential``, the reference never does."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import interlock
from interlock.cli import main
from tests.fixtures import reference as rf

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())
MODEL = "tests.fixtures.reference:DictModel"


def _kinds(report: interlock.Report) -> list[tuple[str, str, str | None, str | None]]:
    return [(v.target.split(":")[1], v.kind, v.member, v.clause) for v in report.violations]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("seed", [1, 2])
def test_one_target_and_a_reference_the_target_gets_the_differential(seed: int) -> None:
    """remove says True for a key it never had: alone, nothing to compare it with; with the reference, it drifts."""
    alone = interlock.check(rf.Registry, rf.AlwaysRemoved, seed=seed, max_examples=30)
    assert alone.violations == []
    report = interlock.check(rf.Registry, rf.AlwaysRemoved, reference=rf.DictModel, seed=seed, max_examples=30)
    assert _kinds(report) == [("AlwaysRemoved", "differential", "remove", "remove-agrees")]
    assert [t.target for t in report.targets] == ["tests.fixtures.reference:AlwaysRemoved"]  # never the reference
    (v,) = report.violations
    assert v.message == f"remove: returned True, where the reference {MODEL} returned False on the same input"
    assert report.reference == MODEL


@pytest.mark.parametrize("seed", [2, 3])
def test_a_sequence_defect_is_found_against_the_reference(seed: int) -> None:
    """len counts removed keys: put, remove, len, compared with the model step by step."""
    report = interlock.check(rf.Registry, rf.Tombstones, reference=rf.DictModel, seed=seed, max_examples=50)
    assert _kinds(report) == [("Tombstones", "differential", "__len__", "len-agrees")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_targets_agree_with_a_model_that_refuses_nothing(seed: int) -> None:
    """The model accepts None and bytes: it is not held to the Inputs table, and correct stores agree with it."""
    report = interlock.check(rf.Registry, rf.StrictStore, rf.PairStore, reference=rf.DictModel, seed=seed, max_examples=30)
    assert report.violations == []
    assert report.internal_errors == []
    assert all(nc.reason.find("reference") < 0 for t in report.targets for nc in t.not_checked)


def test_targets_that_agree_with_each_other_are_still_judged_by_the_reference() -> None:
    """Two targets with one drift both get it, a third that agrees with the reference gets nothing: no majority vote."""
    report = interlock.check(
        rf.Registry, rf.AlwaysRemoved, rf.AlsoAlwaysRemoved, rf.StrictStore, reference=rf.DictModel, seed=1, max_examples=30
    )
    assert _kinds(report) == [
        ("AlwaysRemoved", "differential", "remove", "remove-agrees"),
        ("AlsoAlwaysRemoved", "differential", "remove", "remove-agrees"),
    ]


def test_a_reference_that_breaks_the_contract_is_a_usage_error() -> None:
    with pytest.raises(interlock.UsageError) as caught:
        interlock.check(rf.Registry, rf.StrictStore, reference=rf.ForgetfulModel, seed=1, max_examples=20)
    message = str(caught.value)
    assert message.startswith(
        "the reference tests.fixtures.reference:ForgetfulModel does not conform to tests.fixtures.reference:Registry: postcondition"
    )
    assert "put-then-get" in message
    assert "\n" not in message


def test_a_broken_reference_on_the_command_line_exits_2_with_one_line(capfd: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "tests.fixtures.reference:Registry", "tests.fixtures.reference:StrictStore", "--seed", "1", "--max-examples", "10"]
    status = main([*argv, "--reference", "tests.fixtures.reference:ForgetfulModel", "--json"])
    captured = capfd.readouterr()
    assert status == 2
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("interlock: error: the reference tests.fixtures.reference:ForgetfulModel does not conform")
    assert json.loads(captured.out)["error"]


def test_a_broken_reference_under_isolation_is_a_usage_error_not_a_crash() -> None:
    with pytest.raises(interlock.UsageError, match="does not conform"):
        interlock.check(rf.Registry, rf.StrictStore, reference=rf.ForgetfulModel, seed=1, max_examples=10, isolate=True)


def test_isolated_runs_are_judged_by_the_reference_too() -> None:
    report = interlock.check(rf.Registry, rf.AlwaysRemoved, reference=rf.DictModel, seed=1, max_examples=20, isolate=True)
    assert _kinds(report) == [("AlwaysRemoved", "differential", "remove", "remove-agrees")]
    assert report.reference == MODEL


def test_the_command_line_reference_json_and_junit(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    argv = ["check", "tests.fixtures.reference:Registry", "tests.fixtures.reference:AlwaysRemoved", "--seed", "1"]
    status = main([*argv, "--max-examples", "20", "--reference", MODEL, "--json", "--junit", str(junit)])
    out = json.loads(capfd.readouterr().out)
    assert status == 1
    jsonschema.validate(out, SCHEMA)
    assert out["reference"] == MODEL
    assert [v["kind"] for t in out["targets"] for v in t["violations"]] == ["differential"]
    (suite,) = ET.parse(junit).getroot()
    names = [case.get("name") for case in suite]
    assert "clause:remove-agrees" in names
    assert names[-1] == "differential"  # one target, compared with a reference: the differential check is there


def test_the_contract_names_its_own_reference_and_a_check_may_decline_it() -> None:
    by_object = interlock.check(rf.DefaultJudged, rf.AlwaysRemoved, seed=1, max_examples=20)
    by_path = interlock.check(rf.JudgedByPath, rf.AlwaysRemoved, seed=1, max_examples=20)
    for report in (by_object, by_path):
        assert report.reference == MODEL
        assert [v.kind for v in report.violations] == ["differential"]
    declined = interlock.check(rf.DefaultJudged, rf.AlwaysRemoved, reference=False, seed=1, max_examples=20)
    assert declined.reference is None
    assert declined.violations == []


def test_no_reference_on_the_command_line_declines_the_contracts_own(capfd: pytest.CaptureFixture[str]) -> None:
    argv = [
        "check",
        "tests.fixtures.reference:DefaultJudged",
        "tests.fixtures.reference:AlwaysRemoved",
        "--seed",
        "1",
        "--max-examples",
        "20",
    ]
    assert main([*argv, "--json"]) == 1
    assert json.loads(capfd.readouterr().out)["reference"] == MODEL
    assert main([*argv, "--json", "--no-reference"]) == 0
    assert json.loads(capfd.readouterr().out)["reference"] is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("tests.fixtures.reference:Nope", "module 'tests.fixtures.reference' has no 'Nope'"),
        ("tests.fixtures.reference:NOT_A_CLASS", "is a str, not a class or a factory"),
        (3, "reference 3 is not a class or a factory"),
        (True, "reference True is not a class or a factory"),
    ],
)
def test_a_reference_that_is_not_one_is_a_usage_error(given: object, message: str) -> None:
    with pytest.raises(interlock.UsageError, match=message):
        interlock.check(rf.Registry, rf.StrictStore, reference=given, max_examples=5)


def test_a_contract_reference_that_is_neither_path_nor_class_is_a_definition_error() -> None:
    from typing import Protocol

    with pytest.raises(interlock.ContractDefinitionError, match="reference=3"):

        @interlock.contract(reference=3)
        class Bad(Protocol):
            def f(self) -> int: ...


@pytest.mark.parametrize(("target", "seed"), [(rf.Tombstones, 2), (rf.AlwaysRemoved, 1)])
def test_the_reproducer_fails_against_the_target_and_passes_against_one_that_agrees(target: type, seed: int) -> None:
    """The same calls on the target, then on the reference, then assert_agrees; a conforming store passes it."""
    report = interlock.check(rf.Registry, target, reference=rf.DictModel, seed=seed, max_examples=50)
    (v,) = report.violations
    assert "# the same calls on the reference, tests.fixtures.reference:DictModel" in v.example
    assert v.example.splitlines()[-1].startswith("assert_agrees(Registry, ")
    failed = _run(v.example)
    assert failed.returncode == 1
    assert "AssertionError" in failed.stderr
    assert "where the reference returned" in failed.stderr
    passed = _run(v.example.replace(target.__name__, "StrictStore"))
    assert passed.returncode == 0, passed.stderr


def test_assert_agrees_compares_through_the_projection() -> None:
    from typing import Protocol

    @interlock.contract
    class Sized(Protocol):
        @interlock.comparable(len, id="same-length")
        def items(self) -> list[int]: ...

    interlock.assert_agrees(Sized, "items", [1, 2], [3, 4])
    with pytest.raises(AssertionError, match=r"same-length: items returned 1, where the reference returned 2"):
        interlock.assert_agrees(Sized, "items", [1], [3, 4])


def test_contract_tests_with_a_reference_has_a_differential_test_for_one_target(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # a pytest of its own, in a subprocess: this one's modules stay as they are
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_registry="""
        import interlock.pytest
        from tests.fixtures.reference import AlwaysRemoved, DictModel, Registry, StrictStore

        TestGood = interlock.pytest.contract_tests(Registry, StrictStore, reference=DictModel, max_examples=20, seed=1)
        TestDrift = interlock.pytest.contract_tests(Registry, AlwaysRemoved, reference=DictModel, max_examples=20, seed=1)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=21, failed=1)
    result.stdout.fnmatch_lines(["*TestDrift::test_clause[[]AlwaysRemoved-remove-agrees[]]*"])


def test_a_value_where_the_reference_raises_an_allowed_exception_has_a_script_that_expects_it() -> None:
    """The reference raises KeyError (which the contract allows) where the target answers 0: the script calls the
    target in a ``try`` that fails unless KeyError comes, so it fails against the target and passes against the
    reference."""
    report = interlock.check(rf.Lookup, rf.ZeroLookup, reference=rf.KeyErrorLookup, seed=1, max_examples=20)
    (v,) = [v for v in report.violations if v.kind == "differential"]
    assert "raised KeyError" in v.message
    assert "except KeyError:" in v.example
    broken = subprocess.run([sys.executable, "-c", v.example], capture_output=True, text=True, check=False)
    assert "AssertionError: differential: get: returned 0, where the reference" in broken.stderr
    fixed = v.example.replace("import ZeroLookup", "import KeyErrorLookup as ZeroLookup")
    assert fixed != v.example
    good = subprocess.run([sys.executable, "-c", fixed], capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
