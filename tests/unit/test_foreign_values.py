"""Foreign values: a tuple, a plain ``object()``, an object whose ``==`` and ``hash()`` raise, and the float of a
valid int, offered to every parameter they lie outside of, beyond the Inputs table. Each reaches a store that
lets its own library's error escape where the contract demands ``ValueError`` or ``TypeError``; correct stores
in several styles stay clean; reproducers define what they need and fail as reported."""

from __future__ import annotations

import pickle
import sqlite3
import struct
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Protocol

import pytest
from annotated_types import Ge

import interlock
from interlock import NonEmpty, Strict
from interlock.contracts._domain import read_domain
from interlock.contracts.websocket import WebSocketManager
from interlock.properties._foreign import BAD_EQ_HASH_SOURCE, BadEqHash, outside_values
from interlock.properties._values import py_repr
from tests.fixtures import foreign as f

FOREIGN = ["a tuple", "a plain object", "an object whose == and hash() raise"]


def _labels(annotation: Any, base: Any = None) -> list[str]:
    return [o.label for o in outside_values(read_domain(annotation, "test"), base, has_base=base is not None)]


# ---- which values each type gets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "annotation",
    [str, NonEmpty[str], int, Strict[int], float, bool, bytes, Mapping[str, Any], dict[str, int], list[int], int | str],
    ids=str,
)
def test_every_type_of_the_table_gets_the_foreign_values_after_its_row(annotation: Any) -> None:
    """The Inputs table's values first, unchanged, then the three foreign values, each as type-coercion."""
    domain = read_domain(annotation, "test")
    values = outside_values(domain, None, has_base=False)
    assert [o.label for o in values][-3:] == FOREIGN
    assert values[0].value is None
    assert all(o.kind == "type-coercion" for o in values[-3:])


def test_an_optional_parameter_gets_them_without_none() -> None:
    labels = _labels(str | None)
    assert "None" not in labels
    assert labels[-3:] == FOREIGN


def test_a_literal_gets_them_and_a_tuple_type_no_tuple() -> None:
    assert _labels(Literal["a", "b"]) == ["None", *FOREIGN]
    assert _labels(tuple[int, int]) == ["None", *FOREIGN[1:]]


def test_any_object_and_a_protocol_get_nothing_new() -> None:
    """Any and object hold every value (None too); a Protocol-typed dependency keeps the table's None only."""
    assert _labels(Any) == []
    assert _labels(object) == []
    assert _labels(WebSocketManager) == ["None"]


def test_an_int_gets_the_float_of_a_valid_int_as_a_look_alike() -> None:
    labels = _labels(int, 7)
    assert "the float of a valid int" in labels
    floats = [o.value for o in outside_values(read_domain(int, "test"), 7, has_base=True) if type(o.value) is float]
    assert floats == [1.0, 1.5, 7.0]
    assert "the float of a valid int" not in _labels(int, 1)  # 1.0 is in the table already
    assert "the float of a valid int" not in _labels(int, 2**63 - 1)  # no float is exactly that int


def test_bad_eq_hash_raises_type_error_as_an_unhashable_value_does() -> None:
    value = BadEqHash()
    with pytest.raises(TypeError):
        hash(value)
    with pytest.raises(TypeError):
        _ = value == "x"
    with pytest.raises(TypeError):
        _ = "x" in ("y", value)  # compared with "x": its __eq__ raises


def test_the_reproducers_bad_eq_hash_is_the_checkers() -> None:
    """The class a reproducer defines behaves as the one the checker passes: same repr, same TypeErrors."""
    namespace: dict[str, Any] = {}
    exec(BAD_EQ_HASH_SOURCE, namespace)
    theirs, ours = namespace["BadEqHash"](), BadEqHash()
    assert repr(theirs) == repr(ours) == py_repr(ours) == "BadEqHash()"
    for probe in (hash, lambda v: v == 1, lambda v: v != 1):
        errors = []
        for v in (theirs, ours):
            with pytest.raises(TypeError) as caught:
                probe(v)
            errors.append(str(caught.value))
        assert errors[0] == errors[1]


def test_foreign_values_are_written_as_source() -> None:
    assert py_repr(object()) == "object()"
    assert py_repr((1, 2)) == "(1, 2)"


# ---- each reaches a defect --------------------------------------------------------------------------------

BROKEN = [
    # target, contract, the violations, the value named in the message, the exception that escaped
    (f.SqliteStore, f.Store, {"put", "get", "delete"}, "a tuple (1, 2)", "ProgrammingError"),
    (f.PickleStore, f.Store, {"put", "get", "delete"}, "a plain object object()", "PicklingError"),
    (f.MemoStore, f.Store, {"get"}, "an object whose == and hash() raise BadEqHash()", "KeyError"),
    (f.WildcardStore, f.Store, {"get"}, "an object whose == and hash() raise BadEqHash()", "LookupError"),
    (f.AcceptingStore, f.Store, {"put", "get", "delete"}, "accepted a tuple (1, 2)", None),
    (f.StructShelf, f.Shelf, {"keep"}, "the float of a valid int 2.0", "error"),
    (f.CountingShelf, f.Shelf, {"__init__"}, "an object whose == and hash() raise BadEqHash()", "LookupError"),
]


@pytest.mark.parametrize(("target", "contract", "members", "value", "escaped"), BROKEN, ids=lambda x: getattr(x, "__name__", None))
@pytest.mark.parametrize("seed", [1, 2])
def test_each_foreign_value_reaches_a_store_that_raises_the_wrong_exception(
    target: type, contract: type, members: set[str], value: str, escaped: str | None, seed: int
) -> None:
    """One type-coercion per member and parameter, naming the foreign value; the rest of the store is correct."""
    report = interlock.check(contract, target, seed=seed, max_examples=20)
    assert not report.internal_errors
    parameter = "seconds" if target is f.StructShelf else "name" if target is f.CountingShelf else "key"
    assert sorted((v.kind, v.member, v.parameter) for v in report.violations) == sorted(("type-coercion", m, parameter) for m in members)
    for v in report.violations:
        assert value in v.message, v.message
        if escaped is not None:
            assert f"raised {escaped}: " in v.message, v.message


CORRECT = [f.DictStore, f.CheckedSqliteStore, f.ConcatStore, f.EncodingStore]


@pytest.mark.parametrize("target", [*CORRECT, f.IndexShelf], ids=lambda t: t.__name__)
def test_correct_stores_in_several_styles_stay_clean(target: type) -> None:
    """isinstance first, a natural TypeError from ``"k:" + key``, ``str.encode(key)`` and ``operator.index``: none
    is flagged on ten seeds."""
    contract = f.Shelf if target is f.IndexShelf else f.Store
    for seed in range(10):
        report = interlock.check(contract, target, seed=seed, max_examples=10)
        assert report.conforms, (seed, report.violations)


# ---- reproducers ------------------------------------------------------------------------------------------

REPRODUCED: list[tuple[type, type, type[BaseException], type]] = [
    (f.SqliteStore, f.Store, sqlite3.ProgrammingError, f.CheckedSqliteStore),
    (f.PickleStore, f.Store, pickle.PicklingError, f.ConcatStore),
    (f.MemoStore, f.Store, KeyError, f.DictStore),
    (f.AcceptingStore, f.Store, AssertionError, f.EncodingStore),
    (f.StructShelf, f.Shelf, struct.error, f.IndexShelf),
    (f.CountingShelf, f.Shelf, LookupError, f.IndexShelf),
]


def _run(example: str) -> None:
    exec(compile(example, "<reproducer>", "exec"), {"__name__": "__main__"})


@pytest.mark.parametrize(("target", "contract", "raised", "good"), REPRODUCED, ids=lambda x: getattr(x, "__name__", None))
def test_the_reproducer_of_each_foreign_value_fails_as_reported_and_passes_on_a_correct_store(
    target: type, contract: type, raised: type[BaseException], good: type
) -> None:
    """Run as it is, the script raises what the report names (or fails its assert); run against a correct
    store, it passes."""
    report = interlock.check(contract, target, seed=3, max_examples=10)
    assert report.violations
    for v in report.violations:
        with pytest.raises(raised):
            _run(v.example)
        _run(v.example.replace(target.__name__, good.__name__))


def test_a_reproducer_defines_bad_eq_hash_before_it_uses_it() -> None:
    report = interlock.check(f.Store, f.MemoStore, seed=1, max_examples=10)
    (v,) = report.violations
    lines = v.example.splitlines()
    assert lines[0] == "from tests.fixtures.foreign import MemoStore"
    assert lines[1].startswith("class BadEqHash:")
    assert "target.get(key=BadEqHash())" in v.example or "target.get(BadEqHash())" in v.example


# ---- where nothing is foreign -----------------------------------------------------------------------------


@interlock.contract
class Sink(Protocol):
    def __init__(self) -> None: ...

    def take(self, anything: Any, count: Annotated[int, Ge(0)]) -> None: ...


class ListSink:
    """Keeps whatever it is given; counts are checked."""

    def __init__(self) -> None:
        self.kept: list[Any] = []

    def take(self, anything: Any, count: int) -> None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise TypeError("count must be an int of 0 or more")
        self.kept.append(anything)


def test_a_parameter_typed_any_is_offered_nothing() -> None:
    """``None``, a tuple and BadEqHash() are all values of ``Any``: keeping them is no violation."""
    report = interlock.check(Sink, ListSink, seed=1, max_examples=10)
    assert report.conforms, report.violations
