"""Long sequences at the default budget: capacity defects at realistic sizes, found without a scenario for them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import interlock
from tests.fixtures import sequences as sq

pytestmark = pytest.mark.slow


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(v.kind, v.member, v.parameter, v.clause) for v in report.violations}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_store_full_at_256_keys_is_found_at_the_default_budget(seed: int) -> None:
    """A put of a 257th key is silently dropped: found alone, at the defaults, with a loop in the reproducer."""
    report = interlock.check(sq.Store, sq.CappedStore, seed=seed)
    assert _keys(report) == {("postcondition", "put", None, "set-then-get")}
    (violation,) = report.violations
    assert "for i in range(" in violation.example
    done = subprocess.run([sys.executable, "-c", violation.example], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "set-then-get" in done.stderr


@pytest.mark.parametrize("seed", [2, 4])
def test_an_lru_cache_of_128_keys_disagrees_with_a_dict_at_the_default_budget(seed: int) -> None:
    """Past 128 keys the LRU evicts the first: a later get of it disagrees with a dict's."""
    report = interlock.check(sq.Store, sq.DictStore, sq.LRUStore, seed=seed)
    assert _keys(report) == {("differential", "get", None, "get-agrees")}
    (lru,) = [v for v in report.violations if v.target.endswith(":LRUStore")]
    assert "for i in range(" in lru.example
    assert "returned None" in lru.message


@pytest.mark.parametrize("seed", [1, 2])
def test_counts_that_start_over_past_16_names_are_found_where_no_member_returns_none(seed: int) -> None:
    """``add`` answers the new total, so no member is ``-> None``: the loops' command is the one whose result no
    other member takes, and looping it past 16 names shows the totals lost."""
    report = interlock.check(sq.Counts, sq.DictCounts, sq.ResettingCounts, seed=seed)
    assert _keys(report) == {("differential", "total", None, "total-agrees")}
    (resetting,) = [v for v in report.violations if v.target.endswith(":ResettingCounts")]
    assert "for i in range(" in resetting.example
    assert "returned 0" in resetting.message


@pytest.mark.parametrize("seed", range(10))
def test_correct_stores_in_every_style_stay_clean_with_long_sequences(seed: int) -> None:
    """A dict, an async put over a dict, a store that refuses when full as its contract allows, two counts that
    loop their int-returning ``add``: clean on ten seeds. The sequence phase, where the loops are, keeps its default
    budget of 100; the other checks run 20 examples."""
    assert interlock.check(sq.AsyncStore, sq.AsyncDictStore, seed=seed, max_examples=20, sequences=100).violations == []
    assert interlock.check(sq.Counts, sq.DictCounts, sq.CounterCounts, seed=seed, max_examples=20, sequences=100).violations == []
    report = interlock.check(sq.BoundedStore, sq.RefusingStore, seed=seed, max_examples=20, sequences=100)
    assert report.violations == []
    assert report.internal_errors == []
