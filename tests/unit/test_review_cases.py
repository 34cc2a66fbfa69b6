"""Cases a review of the sequence engine and the one-defect rule found, each asserting the verdict the spec wants."""

from __future__ import annotations

import subprocess
import sys

import pytest

import interlock
from tests.fixtures.review import asyncq, literal, narrow, oddclass, onedefect, raisestep, twoforone


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(v.kind, v.member, v.parameter, v.clause) for v in report.violations}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reused_and_distinct_values_keep_draws_requires_and_literals(seed: int) -> None:
    """Correct targets whose members narrow a parameter (draws, requires, Literal) stay clean over sequences."""
    for contract, target in ((narrow.Plans, narrow.GoodPlans), (narrow.Pairs, narrow.GoodPairs), (literal.Fan, literal.GoodFan)):
        report = interlock.check(contract, target, seed=seed, max_examples=40)
        assert report.violations == [], contract
        assert report.internal_errors == []


def test_a_step_that_raised_what_the_contract_allows_is_replayed_in_try() -> None:
    """The script of a sequence with an allowed KeyError fails against the broken bag and passes against the good one."""
    report = interlock.check(raisestep.Bag, raisestep.JammedBag, seed=1)
    assert ("postcondition", "put", None, "put-then-get") in _keys(report)
    (found,) = [v for v in report.violations if v.clause == "put-then-get"]
    broken = subprocess.run([sys.executable, "-c", found.example], capture_output=True, text=True, check=False)
    assert broken.returncode != 0
    assert "put-then-get" in broken.stderr
    good = subprocess.run(
        [sys.executable, "-c", found.example.replace("JammedBag", "GoodBag")], capture_output=True, text=True, check=False
    )
    assert good.returncode == 0, good.stderr


def test_two_defects_raised_through_one_helper_stay_two() -> None:
    """Two refusals raised on the helper's one line, from different callers, are two defects."""
    report = interlock.check(onedefect.Account, onedefect.PickyAccount, seed=1)
    assert {(v.kind, v.member, v.clause) for v in report.violations} >= {
        ("unexpected-exception", "__init__", "init-tier-domain"),
        ("unexpected-exception", "__init__", None),
    }
    assert interlock.check(onedefect.Account, onedefect.GoodAccount, seed=1).violations == []


def test_a_clause_failure_without_member_handling_a_members_exception_is_one_defect() -> None:
    """h.fail without member= while handling get's KeyError: filed on get, once, under the clause."""
    report = interlock.check(twoforone.Counter, twoforone.KeyErrorCounter, seed=1)
    assert _keys(report) == {("unexpected-exception", "get", None, "get-of-unknown-is-zero")}


def test_a_result_whose_class_raises_is_the_targets_return_type_not_an_internal_error() -> None:
    report = interlock.check(oddclass.Source, oddclass.WeirdSource, seed=1)
    assert report.internal_errors == []
    assert {(v.kind, v.member) for v in report.violations} == {("return-type", "maybe"), ("return-type", "table")}


def test_an_async_sequence_script_runs_its_steps_on_one_loop() -> None:
    """A mailbox that keeps the running loop between calls: the script passes for the good one, fails for the broken."""
    report = interlock.check(asyncq.Mailbox, asyncq.NegativeMailbox, seed=1)
    (found,) = report.violations
    assert "async def main():" in found.example
    broken = subprocess.run([sys.executable, "-c", found.example], capture_output=True, text=True, check=False)
    assert broken.returncode != 0
    good = subprocess.run(
        [sys.executable, "-c", found.example.replace("NegativeMailbox", "GoodMailbox")], capture_output=True, text=True, check=False
    )
    assert good.returncode == 0, good.stderr
