"""Generated sequences, the slower cases: a disagreement only a long sequence shows, and correct stores on ten seeds."""

from __future__ import annotations

import re

import pytest

import interlock
from tests.fixtures import sequences as sq


def _keys(report: interlock.Report) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(v.kind, v.member, v.parameter, v.clause) for v in report.violations}


def test_a_store_that_keeps_only_its_last_keys_disagrees_with_another_over_a_sequence() -> None:
    """Each put's own get holds, so only comparing a later get with another store's shows the lost key: three puts
    or more, one by one or in a long sequence's loop. Found on at least two of six seeds (which ones can vary with
    what the process ran before: see the note in the issue), and whenever found, reported as exactly this. The
    sequence phase has its default budget of 100 sequences of the default 8 steps; the other checks, which cannot
    see the lost key and are seeded on their own, run 20 examples to keep the suite fast."""
    found = 0
    for seed in range(6):
        report = interlock.check(sq.Store, sq.DictStore, sq.LastTwoStore, seed=seed, max_examples=20, sequences=100)
        if not report.violations:
            continue
        found += 1
        assert _keys(report) == {("differential", "get", None, "get-agrees")}
        assert {v.target.rsplit(":", 1)[1] for v in report.violations} == {"DictStore", "LastTwoStore"}
        (last_two,) = [v for v in report.violations if v.target.endswith("LastTwoStore")]
        assert "target = LastTwoStore()" in last_two.example
        loop = re.search(r"for i in range\((\d+)\):\n +r\d+ = target\.put\(", last_two.example)  # a long sequence's loop
        assert last_two.example.count("target.put(") >= 3 or (loop is not None and int(loop.group(1)) >= 3)
        if found == 2:
            break
    assert found >= 2


@pytest.mark.parametrize("seed", range(10))
def test_correct_stores_stay_clean_on_ten_seeds(seed: int) -> None:
    """No flakiness: three correct stores, compared over generated sequences, on ten seeds (the sequence phase at
    its default budget of 100, the other checks at 20)."""
    report = interlock.check(sq.Store, sq.DictStore, sq.ListStore, sq.OrderedStore, seed=seed, max_examples=20, sequences=100)
    assert report.violations == []
    assert report.internal_errors == []
