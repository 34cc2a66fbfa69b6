"""``scenario`` decorators stacked on one function: one walk judges several clauses. Each clause keeps its id, kind
and reproducer; a target that breaks one clause is reported under that one only; a break of one hides no other;
``--clause`` runs the walk for any clause of it; a check that does not name its clause is the clause code's error."""

from __future__ import annotations

from typing import Annotated, Protocol

import annotated_types as at
import pytest
from hypothesis import strategies as st

import interlock
from interlock import Harness, NonEmpty
from interlock.contracts._declare import get_contract
from interlock.errors import ContractDefinitionError

RETURNS = "add-returns-the-new-total"
APART = "names-kept-apart"


@interlock.contract
class Tally(Protocol):
    """Running totals, one per name."""

    def __init__(self) -> None: ...

    def add(self, name: NonEmpty[str], n: Annotated[int, at.Ge(0)]) -> int: ...

    def total(self, name: NonEmpty[str]) -> int: ...


@interlock.scenario(Tally, id=RETURNS, kind="postcondition", text="add returns the name's total after the addition.")
@interlock.scenario(Tally, id=APART, kind="isolation", text="Adding to one name leaves every other name's total as it was.")
async def _tally_walk(h: Harness) -> None:
    tally = await h.build()
    totals: dict[str, int] = {}
    for name in h.draw(st.lists(st.sampled_from(["ant", "bee", "cat"]), min_size=1, max_size=6)):
        n = h.draw(st.integers(0, 5))
        with h.part("add"):
            got = await h.call(tally, "add", name, n)
            totals[name] = totals.get(name, 0) + n
            h.check(got == totals[name], f"add({name!r}, {n}) returned {got!r}, not {totals[name]}", member="add", clause=RETURNS)
        with h.part("total"):
            for other, expected in totals.items():
                if other != name:
                    seen = await h.call(tally, "total", other)
                    h.check(
                        seen == expected,
                        f"total({other!r}) is {seen!r} after adding to {name!r}, not {expected}",
                        member="total",
                        clause=APART,
                    )


def _name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError("a name is text")
    if not name.strip():
        raise ValueError("a name must not be blank")
    return name


def _count(n: object) -> int:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("n is an int")
    if n < 0:
        raise ValueError("n must not be negative")
    return n


class GoodTally:
    def __init__(self) -> None:
        self._totals: dict[str, int] = {}

    def add(self, name: str, n: int) -> int:
        key = _name(name)
        self._totals[key] = self._totals.get(key, 0) + _count(n)
        return self._totals[key]

    def total(self, name: str) -> int:
        return self._totals.get(_name(name), 0)


class PreviousTally(GoodTally):
    """Breaks add-returns-the-new-total only: add returns the total before the addition."""

    def add(self, name: str, n: int) -> int:
        return super().add(name, n) - n


class PooledTally(GoodTally):
    """Breaks names-kept-apart only: total answers the sum over every name (add still returns the right total)."""

    def total(self, name: str) -> int:
        _name(name)
        return sum(self._totals.values())


class PreviousPooledTally(PooledTally):
    """Breaks both clauses."""

    def add(self, name: str, n: int) -> int:
        return super().add(name, n) - n


def _found(target: type, seed: int) -> set[tuple[str, str | None, str | None]]:
    report = interlock.check(Tally, target, seed=seed, max_examples=40)
    found = [(v.kind, v.member, v.clause) for v in report.violations]
    assert len(found) == len(set(found)), report.text()  # the walk runs once, each broken clause is reported once
    return set(found)


def test_the_stacked_clauses_are_listed_in_the_order_written_and_judged_by_one_walk() -> None:
    model = get_contract(Tally)
    ids = [c.id for c in model.clauses]
    assert ids == [RETURNS, APART]
    assert [c.id for c in model.walk(model.clause(APART))] == [RETURNS, APART]
    assert [c.kinds for c in model.clauses] == [("postcondition",), ("isolation",)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_conforming_tally_is_clean(seed: int) -> None:
    report = interlock.check(Tally, GoodTally, seed=seed, max_examples=40)
    assert report.violations == [], report.text()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (PreviousTally, {("postcondition", "add", RETURNS)}),
        (PooledTally, {("isolation", "total", APART)}),
        (PreviousPooledTally, {("postcondition", "add", RETURNS), ("isolation", "total", APART)}),
    ],
    ids=["returns-only", "apart-only", "both"],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_each_broken_clause_is_reported_under_its_own_id_and_kind_and_hides_no_other(
    target: type, expected: set[tuple[str, str | None, str | None]], seed: int
) -> None:
    assert _found(target, seed) == expected


def _run(script: str) -> BaseException | None:
    try:
        exec(compile(script, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    except BaseException as exc:
        return exc
    return None


def test_each_clause_reproducer_replays_the_walk_and_fails_on_that_clause_only() -> None:
    report = interlock.check(Tally, PreviousPooledTally, seed=1, max_examples=40)
    by_clause = {v.clause: v for v in report.violations}
    assert set(by_clause) == {RETURNS, APART}, report.text()
    for clause, other_defect, fixed in ((RETURNS, "PooledTally", "PreviousTally"), (APART, "PreviousTally", "PooledTally")):
        script = by_clause[clause].example
        assert f"interlock.assert_clause(Tally, {clause!r}, target=PreviousPooledTally" in script, script
        failed = _run(script)
        assert isinstance(failed, AssertionError), (script, failed)
        assert str(failed).startswith(f"{clause}: "), failed
        # the target with only the clause's own defect fails the same script; with only the other clause's, it passes
        assert isinstance(_run(script.replace("PreviousPooledTally", fixed)), AssertionError), script
        assert _run(script.replace("PreviousPooledTally", other_defect)) is None, script
        assert _run(script.replace("PreviousPooledTally", "GoodTally")) is None, script


def test_selecting_one_clause_of_a_walk_runs_the_walk_and_reports_that_clause() -> None:
    report = interlock.check(Tally, PreviousPooledTally, seed=1, max_examples=40, clauses=[APART])
    assert {(v.kind, v.member, v.clause) for v in report.violations} == {("isolation", "total", APART)}
    assert any(n.clause == RETURNS and n.reason.startswith("not selected") for n in report.targets[0].not_checked), report.targets[
        0
    ].not_checked


@interlock.contract
class Bell(Protocol):
    def __init__(self) -> None: ...

    def ring(self) -> int: ...


@interlock.scenario(Bell, id="rings-once", text="ring returns 1.")
@interlock.scenario(Bell, id="rings-quietly", text="ring returns a count.")
async def _bell_walk(h: Harness) -> None:
    bell = await h.build()
    h.check(await h.call(bell, "ring") == 1, "ring did not return 1", member="ring")  # names no clause


class Bell2:
    def ring(self) -> int:
        return 2


def test_a_check_that_names_no_clause_in_a_walk_of_several_is_an_internal_error_not_a_violation() -> None:
    report = interlock.check(Bell, Bell2, seed=1, max_examples=5)
    assert report.violations == []
    assert [e.clause for e in report.internal_errors] == ["rings-once"]
    assert "name the one broken with clause=" in report.internal_errors[0].error


def test_a_comparing_scenario_and_a_walk_with_other_budgets_cannot_be_stacked() -> None:
    @interlock.contract
    class Lamp(Protocol):
        def __init__(self) -> None: ...

        def on(self) -> bool: ...

    async def walk(h: Harness) -> None:
        await h.build()

    interlock.scenario(Lamp, id="lights", examples=10)(walk)
    with pytest.raises(ContractDefinitionError, match="share its examples="):
        interlock.scenario(Lamp, id="lights-again")(walk)
    with pytest.raises(ContractDefinitionError, match="comparing scenario judges one clause"):
        interlock.scenario(Lamp, id="lights-alike", compare=True, examples=10)(walk)
