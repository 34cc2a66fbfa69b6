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
    pytest.param(Validation(True, "u"), id="accepted"),
    pytest.param(Validation(False, None, "expired"), id="rejected"),
    pytest.param(Validation(True, None, None), id="accepted-no-user"),
    pytest.param(Validation(1, "u"), id="int-for-bool"),
    pytest.param(Validation("yes", "u"), id="text-for-bool"),
    pytest.param(Validation(True, 7), id="int-user-id"),
    pytest.param(Validation(False, None, b"expired"), id="bytes-error"),
    pytest.param(NoError(), id="no-error-attribute"),
    pytest.param(RaisingError(), id="error-property-raises"),
    pytest.param(Validation, id="the-class-itself"),
    pytest.param(None, id="none"),
    pytest.param({"valid": True, "user_id": "u", "error": None}, id="a-dict"),
]


def _typeguard_accepts(value: Any, annotation: Any) -> bool:
    try:
        check_type(value, annotation, collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
    except TypeCheckError:
        return False
    except Exception:
        return False
    return True


@pytest.mark.parametrize("value", VALUES)
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
