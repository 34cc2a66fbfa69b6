"""A result Protocol of plain attributes (``TokenValidation``) is judged without typeguard where every attribute is of
its type, and by typeguard otherwise: the verdict is typeguard's in every case, and so is the message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from typeguard import CollectionCheckStrategy, TypeCheckError, check_type

from interlock.contracts.auth import TokenValidation
from interlock.properties._types import _plain_attributes, type_problem


@dataclass
class Validation:
    valid: Any
    user_id: Any = None
    error: Any = None


class NoError:
    valid = True
    user_id = "u"


class RaisingError:
    valid = False
    user_id = None

    @property
    def error(self) -> str:
        raise RuntimeError("no error today")


class WithMethod(Protocol):
    valid: bool

    def explain(self) -> str: ...


VALUES = [
    Validation(True, "u"),
    Validation(False, None, "expired"),
    Validation(True, None, None),
    Validation(1, "u"),  # an int where the Protocol says bool
    Validation("yes", "u"),
    Validation(True, 7),
    Validation(False, None, b"expired"),
    NoError(),
    RaisingError(),
    Validation,  # the class itself
    None,
    {"valid": True, "user_id": "u", "error": None},
]


def _typeguard_accepts(value: Any, annotation: Any) -> bool:
    try:
        check_type(value, annotation, collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
    except TypeCheckError:
        return False
    except Exception:
        return False
    return True


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_plain_attribute_protocol_gets_typeguards_verdict(value: Any) -> None:
    problem = type_problem(value, TokenValidation)
    assert (problem is None) == _typeguard_accepts(value, TokenValidation), problem


def test_the_message_of_a_wrong_attribute_is_typeguards() -> None:
    problem = type_problem(Validation("yes", "u"), TokenValidation)
    assert problem is not None
    assert "TokenValidation protocol because its 'valid' attribute" in problem


def test_only_protocols_of_plain_data_attributes_take_the_short_way() -> None:
    assert _plain_attributes(TokenValidation) == (("error", (str, type(None))), ("user_id", (str, type(None))), ("valid", (bool,)))
    assert _plain_attributes(WithMethod) is None  # a method: typeguard checks its signature
    assert _plain_attributes(Validation) is None  # not a Protocol
