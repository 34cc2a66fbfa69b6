"""Generated sequences of calls: state that one call on a fresh target never reaches, judged at every step."""

from __future__ import annotations

import subprocess
import sys

import pytest

import interlock
from tests.fixtures import sequences as sq


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(v.kind, v.member, v.parameter, v.clause) for v in report.violations}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_cache_that_delete_forgets_is_found_by_a_sequence(seed: int) -> None:
    """put, get (fills the cache), delete: delete-forgets breaks only in the state earlier calls left."""
    report = interlock.check(sq.Store, sq.CachingStore, seed=seed, max_examples=50)
    assert _keys(report) == {("postcondition", "delete", None, "delete-forgets")}
    assert report.internal_errors == []


def test_without_sequences_the_cache_defect_is_not_reached() -> None:
    """The same target, the sequence phase off: one call on a fresh target never shows the stale cache."""
    report = interlock.check(sq.Store, sq.CachingStore, seed=1, max_examples=50, sequences=0)
    assert report.violations == []


def test_a_sequence_reproducer_replays_the_steps_and_fails() -> None:
    """The example lists the calls up to the failing one, with the clauses checked on the way, and fails when run;
    the same script against a correct store passes."""
    report = interlock.check(sq.Store, sq.CachingStore, seed=1, max_examples=50)
    (violation,) = report.violations
    example = violation.example
    assert "target = CachingStore()" in example
    assert example.count("target.") >= 2  # at least one earlier step before the failing call
    assert "assert_clause(Store, 'delete-forgets'" in example
    broken = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, check=False)
    assert broken.returncode != 0
    assert "delete-forgets" in broken.stderr
    good = subprocess.run([sys.executable, "-c", example.replace("CachingStore", "DictStore")], capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_stores_in_three_styles_agree_and_conform(seed: int) -> None:
    """A dict, a list of pairs with __slots__, an OrderedDict: nothing to report, alone or compared."""
    report = interlock.check(sq.Store, sq.DictStore, sq.ListStore, sq.OrderedStore, seed=seed, max_examples=50, steps=12)
    assert report.violations == []
    assert report.internal_errors == []
    assert all(t.not_checked == [] for t in report.targets)


def _twins(seen: list[object]) -> list[str]:
    from interlock.contracts._declare import get_contract
    from interlock.properties._sequences import _twins

    contract = get_contract(sq.Store)
    return _twins(contract, contract.member("get"), "key", seen)


def test_twins_differ_from_a_seen_key_only_in_case_or_white_space() -> None:
    """A key seen earlier gives the keys a case-folding or trimming store would take for it, case first."""
    assert _twins(["Key", " pad "]) == ["kEY", " PAD ", "Key ", "pad"]
    # twins already seen give none; neither does a value that is not text
    assert _twins(["a", "A", "a ", "A "]) == []
    assert _twins(["0"]) == ["0 "]
    assert _twins([7, None]) == []


@pytest.mark.parametrize(("seed", "examples"), [(1, 20), (2, 100), (3, 100)])
def test_ints_a_sequence_makes_stay_in_the_range_ints_are_drawn_in(seed: int, examples: int) -> None:
    """A store of 64-bit values is correct: no loop's ``base + i`` and no distinct ``value + n`` made from a drawn
    2**63 - 1 goes past it (these seeds gave such a store an unexpected-exception for 2**63)."""
    report = interlock.check(sq.Store, sq.Int64Store, seed=seed, max_examples=examples)
    assert report.violations == []


def test_a_distinct_int_made_from_the_top_of_the_range_is_moved_down() -> None:
    from interlock.contracts._declare import get_contract
    from interlock.properties._sequences import _fresh

    contract = get_contract(sq.Store)
    top = 2**63 - 1
    assert _fresh(None, contract, contract.member("put"), "value", top, [top]) == top - 2
    assert _fresh(None, contract, contract.member("put"), "value", 5, [5]) == 7
