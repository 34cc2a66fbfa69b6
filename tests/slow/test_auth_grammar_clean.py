"""Correct validators and clients stay clean under the auth grammars on ten seeds: the reference, a validator
written by hand with hmac (no PyJWT), and a client written with ``match`` (each check takes seconds, hence this folder)."""

from __future__ import annotations

import pytest

import interlock
from interlock.contracts import auth
from interlock.examples import auth as ea
from tests.fixtures import catalog_auth as ca

pytestmark = pytest.mark.slow

SEEDS = range(10)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("contract", "target"),
    [
        pytest.param(auth.TokenValidator, ea.ReferenceValidator, id="reference-validator"),
        pytest.param(auth.TokenValidator, ca.ManualHmacValidator, id="hand-written-hmac-validator"),
        pytest.param(auth.ServiceAuthClient, ea.ReferenceServiceClient, id="reference-client"),
        pytest.param(auth.ServiceAuthClient, ca.MatchingClient, id="match-client"),
    ],
)
def test_a_correct_implementation_is_clean_on_every_seed(contract: type, target: type, seed: int) -> None:
    """No violation and nothing left unchecked, at 40 examples per check (400 over the ten seeds), whatever the seed."""
    report = interlock.check(contract, target, seed=seed, max_examples=40)
    assert report.violations == [], [(v.kind, v.clause, v.message) for v in report.violations]
    assert [list(t.not_checked) for t in report.targets] == [[]]
