"""``clauses=`` and ``interlock check --clause``: a run limited to some clauses runs the checks that judge them,
reports what they find of those clauses, and lists everything it left out as not checked."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Protocol

import pytest

import interlock
from interlock import Harness, NonEmpty
from interlock.errors import UsageError


@interlock.contract
class Shelf(Protocol):
    """Counts what is stocked, by name."""

    def __init__(self) -> None: ...

    @interlock.ensures(lambda name, target: target.count(name) >= 1, id="stock-then-count")
    def stock(self, name: NonEmpty[str]) -> None: ...

    @interlock.ensures(lambda result: result >= 0, id="count-not-negative")
    def count(self, name: NonEmpty[str]) -> int: ...


@interlock.scenario(Shelf, id="new-shelf-counts-zero", kind="postcondition", text="A new shelf counts 0 of anything.")
async def _new_shelf_counts_zero(h: Harness) -> None:
    shelf = await h.build()
    n = await h.call(shelf, "count", "apple")
    h.check(n == 0, f"a new shelf counted {n!r} apples", member="count")


class GoodShelf:
    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def _name(self, name: object) -> str:
        if not isinstance(name, str):
            raise TypeError("name must be text")
        if not name.strip():
            raise ValueError("name must not be blank")
        return name

    def stock(self, name: str) -> None:
        key = self._name(name)
        self._counts[key] = self._counts.get(key, 0) + 1

    def count(self, name: str) -> int:
        return self._counts.get(self._name(name), 0)


class LosingShelf(GoodShelf):
    """Breaks all three clauses: stock keeps nothing, and count answers -1 for what it does not have."""

    def stock(self, name: str) -> None:
        self._name(name)

    def count(self, name: str) -> int:
        return self._counts.get(self._name(name), -1)


def _found(report: interlock.Report) -> set[tuple[str | None, str | None]]:
    return {(v.member, v.clause) for v in report.violations}


def _left_out(report: interlock.Report) -> set[tuple[str | None, str | None]]:
    return {(n.member, n.clause) for n in report.targets[0].not_checked if n.reason.startswith("not selected")}


def test_every_clause_is_found_without_a_selection() -> None:
    report = interlock.check(Shelf, LosingShelf, seed=1, max_examples=20)
    assert _found(report) == {("stock", "stock-then-count"), ("count", "count-not-negative"), ("count", "new-shelf-counts-zero")}
    assert _left_out(report) == set()


def test_a_scenario_clause_runs_its_scenario_only() -> None:
    report = interlock.check(Shelf, LosingShelf, seed=1, max_examples=20, clauses=["new-shelf-counts-zero"])
    assert _found(report) == {("count", "new-shelf-counts-zero")}
    assert _left_out(report) == {("stock", None), ("count", None), ("stock", "stock-then-count"), ("count", "count-not-negative")}
    assert "the run checked only new-shelf-counts-zero" in report.targets[0].not_checked[0].reason


def test_a_member_clause_reports_that_clause_and_leaves_the_rest_out() -> None:
    """The sequences call stock too, and see its clause broken: not asked for, so left out with it."""
    report = interlock.check(Shelf, LosingShelf, seed=1, max_examples=20, clauses="count-not-negative")
    assert _found(report) == {("count", "count-not-negative")}
    assert _left_out(report) == {("stock", None), ("stock", "stock-then-count"), (None, "new-shelf-counts-zero")}


def test_two_clauses_as_text() -> None:
    report = interlock.check(Shelf, LosingShelf, seed=1, max_examples=20, clauses="new-shelf-counts-zero, stock-then-count")
    assert _found(report) == {("count", "new-shelf-counts-zero"), ("stock", "stock-then-count")}
    assert ("count", "count-not-negative") in _left_out(report)


def test_a_correct_target_conforms_on_a_selection() -> None:
    report = interlock.check(Shelf, GoodShelf, seed=1, max_examples=20, clauses=["stock-then-count", "new-shelf-counts-zero"])
    assert report.violations == []
    assert report.conforms


def test_signatures_are_compared_whatever_is_selected() -> None:
    class Renamed(GoodShelf):
        def count(self, item: str) -> int:  # type: ignore[override]
            return super().count(item)

    report = interlock.check(Shelf, Renamed, seed=1, max_examples=10, clauses=["new-shelf-counts-zero"])
    assert ("param-name-drift", "count") in {(v.kind, v.member) for v in report.violations}


@pytest.mark.parametrize(
    ("clauses", "needle"),
    [
        (["no-such-clause"], "has no clause 'no-such-clause' (its clauses: stock-then-count, count-not-negative, new-shelf-counts-zero)"),
        ([], "clauses must be clause ids of the contract, one or more"),
        ([3], "clauses must be clause ids of the contract, one or more"),
        ("", "clauses must be clause ids of the contract, one or more (a list, or text 'a,b') (got '')"),
        ("a,,b", "(got 'a,,b')"),
    ],
)
def test_a_bad_selection_is_a_usage_error_before_anything_runs(clauses: object, needle: str) -> None:
    with pytest.raises(UsageError) as caught:
        interlock.check(Shelf, LosingShelf, seed=1, clauses=clauses)
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_isolated_run_keeps_the_selection() -> None:
    report = interlock.check(Shelf, LosingShelf, seed=1, max_examples=20, isolate=True, clauses=["new-shelf-counts-zero"])
    assert _found(report) == {("count", "new-shelf-counts-zero")}


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interlock", "check", *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_command_checks_the_clauses_given(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    done = _command(
        "--junit",
        str(junit),
        "tests.unit.test_clause_selection:Shelf",
        "tests.unit.test_clause_selection:LosingShelf",
        "--clause",
        "new-shelf-counts-zero",
        "--clause",
        "stock-then-count",
        "--seed",
        "1",
        "--max-examples",
        "20",
        "--json",
    )
    assert done.returncode == 1, done.stderr
    target = json.loads(done.stdout)["targets"][0]
    assert {(v["member"], v["clause"]) for v in target["violations"]} == {
        ("count", "new-shelf-counts-zero"),
        ("stock", "stock-then-count"),
    }
    assert {n["clause"] for n in target["not_checked"]} == {None, "count-not-negative"}
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    assert cases["clause:count-not-negative"].find("skipped") is not None  # not checked, so not passed either
    assert cases["clause:stock-then-count"].find("failure") is not None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ("tests.unit.test_clause_selection:Shelf", "tests.unit.test_clause_selection:GoodShelf", "--clause", "nope"),
            "has no clause 'nope'",
        ),
        (("--clause", "new-shelf-counts-zero"), "--clause needs a CONTRACT"),
    ],
)
def test_a_bad_clause_on_the_command_line_is_one_line_and_exit_2(args: tuple[str, ...], needle: str) -> None:
    done = _command(*args)
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
