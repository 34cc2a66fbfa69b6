"""Long sequences: loops over many distinct values, drawn cheaply, shrunk by their count, written as ``for`` loops."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, Protocol

import pytest
from hypothesis import given
from hypothesis import strategies as st

import interlock
from interlock._options import DEFAULT_STEPS
from interlock.contracts._declare import get_contract
from interlock.properties import _plan
from interlock.properties._plan import Series, draw_loops
from tests.fixtures import sequences as sq


def _run(example: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, check=False)


@pytest.fixture
def always_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every plan long, so a handful of examples is enough to meet a bound."""
    monkeypatch.setattr(_plan, "_LONG", st.just(True))


class _NoDraws:
    """A data object that must not be drawn from."""

    def draw(self, strategy: Any) -> Any:
        raise AssertionError("drew where no loop can be made")


@given(st.text() | st.integers(-(2**70), 2**70), st.integers(0, 2000))
def test_a_loop_value_is_written_as_python_that_evaluates_to_it(base: Any, i: int) -> None:
    """``f'k{i}'``, ``'a{' + str(i)``, ``i``, ``-3 + i``: the script's expression is the value the checker used."""
    series = Series(base)
    assert eval(series.source(), {"i": i}) == series.at(i)


def test_loop_values_read_as_the_loop_writes_them() -> None:
    """Plain text as an f-string, text with braces by concatenation, an int as an offset of ``i``."""
    assert Series("k").source() == "f'k{i}'"
    assert Series("a{b").source() == "'a{b' + str(i)"
    assert Series(0).source() == "i"
    assert Series(-3).source() == "-3 + i"


@interlock.contract
class _Handles(Protocol):
    """Each member's result is what the other takes: no member is a command."""

    def open(self, name: str) -> int: ...

    def read(self, handle: int) -> str: ...


def test_no_loop_and_no_draw_with_one_step_or_without_a_command() -> None:
    """``steps=1`` turns long sequences off; a contract with no ``-> None`` member, where every member's result is
    what another member takes (a handle ``open`` returns and ``read`` takes), has no command and draws nothing
    more, so its plans are as they were."""
    store = get_contract(sq.Store)
    methods = [m for m in store.members if m.role == "method"]
    assert draw_loops(_NoDraws(), store, methods, 1) == []
    handles = get_contract(_Handles)
    assert draw_loops(_NoDraws(), handles, [m for m in handles.members if m.role == "method"], 8) == []


@given(st.data())
def test_with_no_none_member_the_command_is_the_one_whose_result_no_other_member_takes(data: st.DataObject) -> None:
    """Counts' ``add`` answers an int no other member takes, where ``total`` answers an int ``add`` takes: a long
    plan's first loop is ``add``; a second, if any, goes over the same names."""
    counts = get_contract(sq.Counts)
    methods = [m for m in counts.members if m.role == "method"]
    loops = draw_loops(_Always(data), counts, methods, 8)
    assert loops
    assert loops[0].member.name == "add"
    assert len(loops) <= 2
    assert all(loop.values["name"] is loops[0].values["name"] for loop in loops[1:])


class _Always:
    """Hypothesis's data, with every plan long."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def draw(self, strategy: Any) -> Any:
        return True if strategy is _plan._LONG else self.data.draw(strategy)


def test_long_sequence_bounds() -> None:
    """One plan in eight is long; its loops make at most 40 calls per step of ``steps``, 320 at the default."""
    assert _plan.LONG_SHARE == 8
    assert _plan.LONG_PER_STEP * DEFAULT_STEPS == 320


@pytest.mark.usefixtures("always_long")
def test_a_store_full_at_256_keys_is_reached_and_its_script_is_a_loop() -> None:
    """A put past the 256th key is silently dropped: the reproducer loops over the keys, fails when run, and
    passes against a dict."""
    report = interlock.check(sq.Store, sq.CappedStore, seed=1, max_examples=10)
    (violation,) = report.violations
    assert (violation.kind, violation.member, violation.clause) == ("postcondition", "put", "set-then-get")
    example = violation.example
    assert "for i in range(256):" in example
    assert "    r0 = target.put(key=f'" in example
    assert "    assert_clause(Store, 'set-then-get', key=f'" in example
    assert example.count("target.put(") == 2  # the loop's call and the failing one
    broken = _run(example)
    assert broken.returncode != 0
    assert "set-then-get" in broken.stderr
    good = _run(example.replace("CappedStore", "DictStore"))
    assert good.returncode == 0, good.stderr


@pytest.mark.usefixtures("always_long")
def test_an_async_loop_runs_on_the_scripts_one_event_loop() -> None:
    """An async member's loop is written inside ``async def main()``, awaited call by call, and fails when run."""
    report = interlock.check(sq.AsyncStore, sq.AsyncCappedStore, seed=1, max_examples=10)
    (violation,) = report.violations
    assert violation.clause == "stored-then-get"
    assert "async def main():" in violation.example
    assert "        r0 = await target.put(key=f'" in violation.example
    assert _run(violation.example).returncode != 0
    assert _run(violation.example.replace("AsyncCappedStore", "AsyncDictStore")).returncode == 0


@pytest.mark.usefixtures("always_long")
def test_a_loop_whose_calls_raise_what_the_contract_allows_catches_it_in_the_script() -> None:
    """A full store refuses with OverflowError as its contract allows; the loop goes on past a refusal, and the
    store that evicts a key to refuse one accepts the next key, where a correct one refuses it too. The script's
    last call stands in a ``try`` that fails unless OverflowError comes: it fails against the evicting store and
    passes against the refusing one (report.md, "Reproducers")."""
    report = interlock.check(sq.BoundedStore, sq.RefusingStore, sq.EvictingRefusingStore, seed=1, max_examples=20)
    assert {(v.kind, v.member) for v in report.violations} == {("differential", "put")}
    (evicting,) = [v for v in report.violations if v.target.endswith("EvictingRefusingStore")]
    assert "    try:\n        r0 = target.put(" in evicting.example
    assert "    except OverflowError:\n        continue\n" in evicting.example
    accepted = _run(evicting.example)  # it accepts the key
    assert accepted.returncode != 0
    assert (
        "AssertionError: differential: put: returned, where tests.fixtures.sequences:RefusingStore (raised OverflowError)"
        in accepted.stderr
    )
    refused = _run(evicting.example.replace("EvictingRefusingStore", "RefusingStore"))
    assert refused.returncode == 0, refused.stderr


def test_correct_stores_stay_clean_with_long_plans_only(always_long: None) -> None:
    """Every plan long: a dict, a list of pairs and an OrderedDict agree on every call of every loop."""
    report = interlock.check(sq.Store, sq.DictStore, sq.ListStore, sq.OrderedStore, seed=2, max_examples=15)
    assert report.violations == []
    assert report.internal_errors == []
