"""Declaring contracts: the model read from a Protocol, markers, and every malformed-contract error."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Annotated, Any, Protocol

import annotated_types as at
import pytest
from hypothesis import strategies as st

import interlock
from interlock import ContractDefinitionError, Finite, NonEmpty, Strict
from tests.fixtures import contracts as c


def test_members_are_read_in_order_with_constructor_first() -> None:
    """The model lists the constructor first, then members in declaration order, with their kinds."""
    model = interlock.get_contract(c.Greeter)
    assert [(m.name, m.role, m.is_async) for m in model.members] == [
        ("__init__", "constructor", False),
        ("greet", "method", False),
        ("greet_later", "method", True),
    ]
    greet = model.member("greet")
    assert [(p.name, p.required, p.default) for p in greet.parameters] == [
        ("name", True, inspect.Parameter.empty),
        ("times", False, 1),
    ]
    assert greet.parameter("name").domain.nonempty
    assert model.name == "tests.fixtures.contracts:Greeter"


def test_markers_are_the_plain_type_with_metadata() -> None:
    """NonEmpty, Strict and Finite are Annotated aliases; markers and bounds combine."""
    domain = interlock.get_contract(c.Meter).member("record").parameter("count").domain
    assert domain.base is int
    assert domain.strict
    assert not domain.finite
    assert domain.describe() == "Strict[int] >= 0"
    seconds = interlock.get_contract(c.Meter).member("record").parameter("seconds").domain
    assert seconds.base is float
    assert seconds.strict
    assert seconds.finite


def test_data_members_are_attributes() -> None:
    """An annotation in the Protocol body is a data member the checker looks for on an instance."""

    @interlock.contract
    class HasName(Protocol):
        name: NonEmpty[str]

        def hello(self) -> str: ...

    model = interlock.get_contract(HasName)
    assert [(m.name, m.role) for m in model.members] == [("hello", "method"), ("name", "attribute")]


def test_plain_protocol_is_read_on_the_fly() -> None:
    """A Protocol not decorated is still a contract with the default clauses."""

    class Plain(Protocol):
        def f(self, x: int) -> int: ...

    assert [m.name for m in interlock.get_contract(Plain).members] == ["f"]


def test_register_and_implements_record_targets() -> None:
    """@implements and register() record implementations in order, once each."""

    @interlock.contract
    class Thing(Protocol):
        def f(self) -> int: ...

    @interlock.implements(Thing)
    class A:
        def f(self) -> int:
            return 1

    def make_b() -> A:
        return A()

    interlock.register(Thing, make_b)
    interlock.register(Thing, make_b)
    assert interlock.implementations(Thing) == [A, make_b]
    from interlock.contracts import registrations

    assert registrations()[Thing] == [A, make_b]
    assert interlock.check(Thing, seed=1, max_examples=5).conforms


def _declare(body: dict[str, Any], **options: Any) -> type:
    cls = type("Bad", (Protocol,), body)
    return interlock.contract(**options)(cls) if options else interlock.contract(cls)


class NotAProtocol:
    def f(self) -> int:
        return 1


def _missing_param_annotation(self, x) -> int: ...  # type: ignore[no-untyped-def]
def _missing_return(self, x: int): ...  # type: ignore[no-untyped-def]
def _marker_on_int(self, x: NonEmpty[int]) -> int: ...
def _finite_on_str(self, x: Finite[str]) -> int: ...
def _strict_on_str(self, x: Strict[str]) -> int: ...
def _varargs(self, *args: int) -> int: ...
def _unresolved(self, x: NoSuchType) -> int: ...  # type: ignore[name-defined]  # noqa: F821


class Opaque:
    def __init__(self, handle: Any) -> None:
        self.handle = handle


def _opaque(self, x: Opaque) -> int: ...


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda: interlock.contract(NotAProtocol), "is not a typing.Protocol"),
        (lambda: _declare({"f": _missing_param_annotation}), "Bad.f: parameter 'x' has no annotation"),
        (lambda: _declare({"f": _missing_return}), "Bad.f: no return annotation"),
        (lambda: _declare({"f": _marker_on_int}), "Bad.f(x): interlock.NonEmpty applies to str, not to int"),
        (lambda: _declare({"f": _finite_on_str}), "Bad.f(x): interlock.Finite applies to float"),
        (lambda: _declare({"f": _strict_on_str}), "Bad.f(x): interlock.Strict applies to int or float"),
        (lambda: _declare({"f": _varargs}), "Bad.f: *args cannot be checked"),
        (lambda: _declare({"f": _unresolved}), "Bad.f: cannot resolve its annotations"),
        (lambda: _declare({}), "declares no members"),
    ],
    ids=["not-protocol", "no-param-annotation", "no-return", "nonempty-int", "finite-str", "strict-str", "varargs", "unresolved", "empty"],
)
def test_malformed_contract_raises_definition_error(make: Any, needle: str) -> None:
    """A malformed contract fails when it is declared, with a message naming the member."""
    with pytest.raises(ContractDefinitionError) as info:
        make()
    assert needle in str(info.value)
    assert isinstance(info.value, TypeError)


def test_undrawable_type_needs_a_strategy() -> None:
    """A type the checker cannot draw fails at declaration, naming member and type, unless a strategy is named."""

    def _mapping_of_opaque(self: Any, x: Mapping[str, Opaque]) -> int: ...

    with pytest.raises(ContractDefinitionError, match=r"Bad.f\(x\): the checker cannot draw values of .*Opaque"):
        _declare({"f": _opaque})
    model = interlock.get_contract(_declare({"f": _opaque}, strategies={Opaque: st.builds(Opaque, st.integers())}))
    assert model.member("f").parameters[0].domain.base is Opaque


def test_clause_ids_must_be_unique_slugs() -> None:
    """Two clauses with one id, or an id that is not a slug, are definition errors."""
    with pytest.raises(ContractDefinitionError, match="used twice"):

        @interlock.contract
        class Twice(Protocol):
            @interlock.ensures(lambda result: True, id="same")
            def f(self) -> int: ...

            @interlock.ensures(lambda result: True, id="same")
            def g(self) -> int: ...

    with pytest.raises(ContractDefinitionError, match="short slug"):

        @interlock.contract
        class Spaces(Protocol):
            @interlock.ensures(lambda result: True, id="Not A Slug")
            def f(self) -> int: ...


def test_lambda_clause_without_id_is_an_error() -> None:
    """A lambda has no name to make an id from, so the clause must name one."""
    with pytest.raises(ContractDefinitionError, match="needs id="):
        _declare({"f": interlock.ensures(lambda result: True)(_returns_int)})


def _returns_int(self: Any) -> int: ...


def test_named_predicate_gives_the_id() -> None:
    """A predicate written as a def gives its name, as a slug, for the clause id, and its docstring for the text."""

    def result_is_positive(result: int) -> bool:
        """The result is above 0."""
        return result > 0

    @interlock.contract
    class Counter(Protocol):
        @interlock.ensures(result_is_positive)
        def count(self) -> int: ...

    clause = interlock.get_contract(Counter).clauses[0]
    assert (clause.id, clause.text, clause.kinds) == ("result-is-positive", "The result is above 0.", ("postcondition",))


def test_clause_predicate_may_only_ask_for_known_names() -> None:
    """A predicate asking for a name that is not a parameter, result or target is a definition error."""
    with pytest.raises(ContractDefinitionError, match="asks for"):

        @interlock.contract
        class Asks(Protocol):
            @interlock.ensures(lambda nope: True, id="asks")
            def f(self, x: int) -> int: ...


def test_draws_must_name_a_parameter_and_outside_needs_membership() -> None:
    """draws() on an unknown parameter, or outside= without a way to tell what is inside, is refused."""
    with pytest.raises(ContractDefinitionError, match="names no parameter"):

        @interlock.contract
        class Unknown(Protocol):
            @interlock.draws("nope", values=[1])
            def f(self, x: int) -> int: ...

    with pytest.raises(ContractDefinitionError, match="needs contains= or values="):
        interlock.draws("x", st.integers(), outside=ValueError)


def test_relax_names_parameters_of_the_member() -> None:
    """relax() with an unknown parameter is refused; a relaxed parameter is not driven out of its domain."""
    with pytest.raises(ContractDefinitionError, match="not its parameters"):

        @interlock.contract
        class Unknown(Protocol):
            @interlock.relax("nope")
            def f(self, x: int) -> int: ...

    @interlock.contract
    class Lenient(Protocol):
        @interlock.relax("x")
        def f(self, x: int) -> int: ...

    class Coerces:
        def f(self, x: int) -> int:
            return int(x) if x is not None else 0

    assert interlock.check(Lenient, Coerces, seed=1, max_examples=10).conforms


def test_strict_inputs_off_for_the_whole_contract() -> None:
    """contract(strict_inputs=False) relaxes every parameter."""

    @interlock.contract(strict_inputs=False)
    class Lenient(Protocol):
        def f(self, x: NonEmpty[str], n: int) -> str: ...

    class Anything:
        def f(self, x: str, n: int) -> str:
            return str(x) * 0

    assert interlock.check(Lenient, Anything, seed=1, max_examples=10).conforms


def test_scenario_must_be_async_and_registered_on_a_contract() -> None:
    """A scenario clause is an async function; a plain one is refused."""
    with pytest.raises(ContractDefinitionError, match="must be an async def"):
        interlock.scenario(c.Echo, id="plain")(lambda h: None)


def test_bounds_from_annotated_types() -> None:
    """Bounds from annotated-types (Ge, Interval) are part of the domain."""

    @interlock.contract
    class Bounded(Protocol):
        def f(self, x: Annotated[float, at.Interval(ge=0, lt=5)]) -> float: ...

    domain = interlock.get_contract(Bounded).member("f").parameter("x").domain
    assert domain.contains_bounds(0)
    assert domain.contains_bounds(4.9)
    assert not domain.contains_bounds(5)
    assert not domain.contains_bounds(-0.1)


def test_comparable_without_parentheses_is_comparable_with_none() -> None:
    """``@interlock.comparable`` over a method (sync or async) declares the same clause as ``@interlock.comparable()``
    and keeps the member's signature; before, the member silently became the decorator's inner function."""

    @interlock.contract
    class Pricer(Protocol):
        @interlock.comparable
        async def price(self, quantity: int) -> int: ...

        @interlock.comparable
        def tax(self, quantity: int) -> int: ...

    model = interlock.get_contract(Pricer)
    assert [[p.name for p in m.parameters] for m in model.members] == [["quantity"], ["quantity"]]
    assert model.member("price").is_async
    assert {c.id for c in model.clauses} == {"price-agrees", "tax-agrees"}


@pytest.mark.parametrize("maker", ["ensures", "requires", "relax", "reports_failure"])
def test_a_clause_decorator_left_without_its_arguments_is_a_definition_error(maker: str) -> None:
    """A decorator factory used bare turns the member into its inner function: the contract says so, naming it."""
    with pytest.raises(ContractDefinitionError, match=rf"Pricer.price: is what @interlock.{maker} returns, not a method"):

        @interlock.contract
        class Pricer(Protocol):
            @getattr(interlock, maker)
            def price(self, quantity: int) -> int: ...
