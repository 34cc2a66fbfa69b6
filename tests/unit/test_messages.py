"""Messages read once and read right: the member named once, the article that fits the word, long values cut in
the middle, the clause table naming the members a scenario's violations name."""

from __future__ import annotations

from typing import Protocol

import interlock
from interlock import Harness, NonEmpty
from interlock.contracts._declare import get_contract
from interlock.contracts._docs import _member_cell
from interlock.properties._render import summary_line
from interlock.properties._report import Violation
from interlock.properties._values import a_or_an, clip, describe_error, member_once, shorten_values

LONG_PATH = "/tmp/pytest-of-someone/" + "pytest-1234/test_a_very_long_name_of_a_test0/" * 6 + "store.sqlite3"


@interlock.contract
class Shelf(Protocol):
    def __init__(self) -> None: ...

    def put(self, name: NonEmpty[str]) -> None: ...

    def count(self) -> int: ...


@interlock.scenario(Shelf, id="put-counts-one", kind="postcondition")
async def put_counts_one(h: Harness) -> None:
    """After one put, count() is 1."""
    shelf = await h.build()
    await h.call(shelf, "put", "a")
    n = await h.call(shelf, "count")
    h.check(n == 1, f"count returned {n!r} after one put", member="count")


@interlock.scenario(Shelf, id="builds", kind="postcondition")
async def builds(h: Harness) -> None:
    """It can be built."""
    await h.build()


def _text(name: object) -> None:
    if not isinstance(name, str):
        raise TypeError("name must be str")
    if not name.strip():
        raise ValueError("name must not be blank")


class DoubleCounter:
    def __init__(self) -> None:
        self.n = 0

    def put(self, name: str) -> None:
        _text(name)
        self.n += 2

    def count(self) -> int:
        return self.n


def test_member_named_once() -> None:
    """A message about a member names it once, first, however the clause's text began."""
    assert member_once("validate_token", "validate_token raised DecodeError: x") == "validate_token: raised DecodeError: x"
    assert member_once("get", "raised KeyError") == "get: raised KeyError"
    assert member_once("get", "get: raised KeyError") == "get: raised KeyError"
    assert member_once("get", "get's result is None") == "get's result is None"
    assert member_once("get", "getter raised") == "get: getter raised"
    assert member_once(None, "a message") == "a message"


def test_scenario_violation_names_its_member_once() -> None:
    """A scenario's h.check whose text starts with the member it names is reported as 'count: returned 2 ...',
    not 'count: count returned 2 ...'."""
    report = interlock.check(Shelf, DoubleCounter, max_examples=5, seed=1)
    [v] = [v for v in report.violations if v.clause == "put-counts-one"]
    assert v.member == "count"
    assert v.message == "count: returned 2 after one put (put-counts-one)"


def test_articles() -> None:
    """'an int', 'an alg-none token', 'a str', 'a UUID', 'an unknown value', 'a unicode text'."""
    assert a_or_an("int") == "an int"
    assert a_or_an("alg-none token") == "an alg-none token"
    assert a_or_an("str") == "a str"
    assert a_or_an("UUID") == "a UUID"
    assert a_or_an("unknown value") == "an unknown value"
    assert a_or_an("unicode text") == "a unicode text"
    assert a_or_an("expired token") == "an expired token"


def test_long_values_are_cut_in_the_middle() -> None:
    """A 300-character path keeps its start and its end (the file's name), as pytest's saferepr does."""
    assert len(LONG_PATH) > 300
    cut = clip(LONG_PATH, 60)
    assert len(cut) == 60
    assert cut.startswith("/tmp/pytest-of-someone/")
    assert cut.endswith("store.sqlite3")
    assert "..." in cut
    shown = describe_error(FileNotFoundError(f"no such file: {LONG_PATH}"))
    assert shown.endswith("store.sqlite3")
    assert len(shown) < 200


def test_violation_message_shortens_long_values_but_the_example_keeps_them() -> None:
    """In a violation, a value or path of more than 120 characters without a space is cut in the middle in the
    message; the reproducer, which must run, keeps it whole."""
    v = Violation(
        "m:T", "unexpected-exception", "open", None, f"open: raised OSError on {LONG_PATH!r}", f"target.open({LONG_PATH!r})", None
    )
    assert LONG_PATH not in v.message
    assert v.message.startswith("open: raised OSError on '/tmp/pytest-of-someone/")
    assert v.message.endswith("store.sqlite3'")
    assert max(len(word) for word in v.message.split()) <= 120
    assert LONG_PATH in v.example
    short = "get: returned None for 'k'"
    assert shorten_values(short) == short


def test_clause_table_names_the_members_a_scenario_calls() -> None:
    """The docs table's member column says which members a scenario calls (its violations name one of them), and
    'the whole target' only where it calls none."""
    model = get_contract(Shelf)
    assert _member_cell(model, model.clause("put-counts-one")) == "`put`, `count` (scenario)"
    assert _member_cell(model, model.clause("builds")) == "the whole target (scenario)"


def test_summary_counts_one_violation_in_the_singular() -> None:
    """'1 violation', '2 violations'."""
    base = {"targets": 1, "conforming": 0, "examples": 3, "seconds": 0.1}
    assert ", 1 violation, " in summary_line({**base, "violations": 1}, drift=True)
    assert ", 2 violations, " in summary_line({**base, "violations": 2}, drift=True)


@interlock.contract
class Adder(Protocol):
    def __init__(self) -> None: ...

    @interlock.ensures(lambda quantity, result: result >= quantity, id="total-covers-what-was-added")
    def add(self, quantity: int) -> int: ...


class CappedAdder:
    def __init__(self) -> None:
        self.total = 0

    def add(self, quantity: int) -> int:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise TypeError("quantity must be an int")
        self.total += quantity
        return min(self.total, 99)


def test_a_clause_without_text_is_named_once() -> None:
    """A clause given no text (its text defaults to 'member: id') is not repeated in brackets after its id."""
    report = interlock.check(Adder, CappedAdder, max_examples=50, seed=1)
    [v] = [v for v in report.violations if v.clause == "total-covers-what-was-added"]
    assert v.message.startswith("add: broke 'total-covers-what-was-added'; it returned ")
