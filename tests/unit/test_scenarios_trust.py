"""Scenario clauses file what they see where report.md says: set-up failures, results, sync/async, their own errors."""

from __future__ import annotations

import json
import subprocess
import sys

import interlock
from tests.fixtures import scenarios as sc


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(v.kind, v.member, v.parameter, v.clause) for v in report.violations}


def test_correct_counter_conforms() -> None:
    """A correct target of a contract with a scenario gets nothing, and nothing is left unchecked."""
    report = interlock.check(sc.Counter, sc.GoodCounter, seed=3, max_examples=20)
    assert report.violations == []
    assert report.targets[0].not_checked == []
    assert report.internal_errors == []


def test_wrong_typed_result_in_a_scenario_is_one_return_type() -> None:
    """A result of the wrong type seen in h.call is one return-type on its member; the clause is not judged on it."""
    report = interlock.check(sc.Counter, sc.TextCountCounter, seed=3, max_examples=20)
    assert _keys(report) == {("return-type", "count", None, None)}
    assert (None, "bump-then-count") in {(n.member, n.clause) for n in report.targets[0].not_checked} | {
        (None, n.clause) for n in report.targets[0].not_checked
    }


def test_constructor_failure_is_one_violation_on_the_constructor() -> None:
    """A build that raises in a scenario is the constructor's unexpected-exception, once, never under the clause's kind."""
    report = interlock.check(sc.Counter, sc.RefusingCounter, seed=3, max_examples=20)
    in_domain = {key for key in _keys(report) if key[2] is None}
    assert in_domain == {("unexpected-exception", "__init__", None, None)}
    assert all(v.clause is None and v.member == "__init__" for v in report.violations)
    assert "bump-then-count" in {n.clause for n in report.targets[0].not_checked}


def test_async_member_is_judged_in_the_sweep_and_the_scenario() -> None:
    """An async count where the contract has a plain one: async-mismatch once; its awaited value still conforms."""
    report = interlock.check(sc.Counter, sc.AsyncCountCounter, seed=3, max_examples=20)
    assert _keys(report) == {("async-mismatch", "count", None, None)}


def test_scenario_code_that_raises_is_an_internal_error() -> None:
    """A scenario whose own code raises gives an internal error naming the clause; the target gets no violation."""
    report = interlock.check(sc.Broken, sc.Pinger, seed=3, max_examples=5)
    assert report.violations == []
    (error,) = report.internal_errors
    assert (error.clause, error.error.split(":")[0]) == ("scenario-divides-by-zero", "ZeroDivisionError")
    assert error.traceback is not None
    with open(error.traceback, encoding="utf-8") as fh:
        assert "ZeroDivisionError" in fh.read()


def test_except_exception_in_a_clause_never_catches_interlocks_signals() -> None:
    """A clause catching Exception around a call of a missing member does not blame the target: not checked."""
    report = interlock.check(sc.Broken, sc.Pinger, seed=3, max_examples=5)
    assert ("catches-everything") in {n.clause for n in report.targets[0].not_checked}


def test_internal_error_exits_3_with_one_line_and_the_report() -> None:
    """The command exits 3 on an internal error: one line on stderr naming the file, and the JSON report with internal_errors."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "interlock",
            "check",
            "tests.fixtures.scenarios:Broken",
            "tests.fixtures.scenarios:Pinger",
            "--json",
            "--seed",
            "1",
            "--max-examples",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert [e["clause"] for e in report["internal_errors"]] == ["scenario-divides-by-zero"]
    lines = [line for line in done.stderr.splitlines() if line.startswith("interlock: internal error")]
    assert len(lines) == 1
    assert "traceback in " in lines[0]
    assert "Traceback" not in done.stderr


def test_correct_tally_conforms() -> None:
    report = interlock.check(sc.Tally, sc.GoodTally, seed=3, max_examples=20)
    assert report.violations == []


def test_exception_a_clause_covers_is_reported_once_under_the_clause() -> None:
    """The sweep's KeyError and the clause's are raised on one line: one defect, filed under the clause (rule 5)."""
    report = interlock.check(sc.Tally, sc.StrictTally, seed=3, max_examples=20)
    assert _keys(report) == {("postcondition", "add", None, "first-add-is-one")}


def test_exceptions_raised_in_different_places_stay_two_defects() -> None:
    """A sweep exception from another line is another defect: it keeps its own violation beside the clause's."""
    report = interlock.check(sc.Tally, sc.TwoFaultTally, seed=3, max_examples=20)
    assert _keys(report) == {("unexpected-exception", "add", None, None), ("postcondition", "add", None, "first-add-is-one")}
    (sweep,) = [v for v in report.violations if v.clause is None]
    assert "RuntimeError" in sweep.message
