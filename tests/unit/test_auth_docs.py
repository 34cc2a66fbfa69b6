"""What the auth contract's page tells a user to return from ``validate_token`` works as the page says."""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass

import pytest

from interlock.contracts.auth import TokenValidation, is_failure


def test_token_validation_is_a_protocol_that_cannot_be_built() -> None:
    """The page warns that TokenValidation(...) fails: it does, with the message it quotes."""
    with pytest.raises(TypeError, match="Protocols cannot be instantiated"):
        TokenValidation()  # type: ignore[misc]


def test_the_dataclass_the_page_shows_satisfies_it() -> None:
    """The dataclass in TokenValidation's docstring (the auth page) is a TokenValidation, and its two examples read
    as an acceptance and as the contract's failure."""
    doc = inspect.getdoc(TokenValidation) or ""
    source = textwrap.dedent("    @dataclass" + doc.split("    @dataclass", 1)[1].split("\n\n", 1)[0])
    scope: dict[str, object] = {"dataclass": dataclass}
    exec(source, scope)
    validation = scope["Validation"]
    assert callable(validation)
    accepted, rejected = validation(True, user_id="user-1"), validation(False, error="expired")
    assert isinstance(accepted, TokenValidation)
    assert isinstance(rejected, TokenValidation)
    assert not is_failure(accepted)
    assert is_failure(rejected)
