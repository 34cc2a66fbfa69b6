"""The auth contracts' token and answer grammars: what they draw, what is compared, and that they reach the
disagreements real JWT libraries have (each drifting fixture found, with its clause, on two seeds)."""

from __future__ import annotations

import math
import time
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import interlock
from interlock.contracts import auth
from interlock.contracts.auth import FEATURES, TokenSpec, answer_verdict, forge, reference_verdict, token_specs
from tests.fixtures import auth_drift as d

SECRET = "s3cret-" * 6

_GRAMMAR = settings(max_examples=150, database=None, deadline=None, suppress_health_check=list(HealthCheck))


def _spec(claims: dict[str, Any], **header: Any) -> TokenSpec:
    return TokenSpec("exp", tuple({"alg": "HS256", "typ": "JWT", **header}.items()), tuple(claims.items()))


# ---- the token grammar -------------------------------------------------------------------------------


def test_the_canonical_token_is_the_one_pyjwt_mints() -> None:
    """A token of the grammar with nothing changed is byte for byte what ``jwt.encode`` makes of the same claims."""
    now = time.time()
    spec = TokenSpec("valid", (("alg", "HS256"), ("typ", "JWT")), (("sub", "u1"), ("exp", auth._Time(7200))))
    assert forge(spec, SECRET, now=now) == jwt.encode({"sub": "u1", "exp": int(now) + 7200}, SECRET, algorithm="HS256")


@_GRAMMAR
@given(st.data())
def test_the_reference_judges_every_token_of_the_grammar_without_raising(data: st.DataObject) -> None:
    """NaN and infinite times, non-text subs, crit headers, a payload that is no object: the reference verdict is
    a verdict for each (accepted only with a non-blank text sub, the one the token carries)."""
    feature = data.draw(st.sampled_from(FEATURES))
    spec = data.draw(token_specs(feature, "u1", data.draw(st.sampled_from((7200, 86400)))))
    token = forge(spec, SECRET)
    valid, sub = reference_verdict(token, SECRET)
    assert isinstance(valid, bool)
    if valid:
        assert isinstance(sub, str)
        assert sub.strip()
        assert sub == dict(spec.claims or ()).get("sub")


def test_every_feature_draws_tokens_the_reference_rejects_and_tokens_it_accepts() -> None:
    """Each feature reaches both verdicts, apart from the one that keeps the token whole and those that only break
    it: the signature, the text around, an alg other than HS256 (the reference takes HS256 alone)."""
    verdicts: dict[str, set[bool]] = {f: set() for f in FEATURES}

    @settings(max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        feature = data.draw(st.sampled_from(FEATURES))
        verdicts[feature].add(reference_verdict(forge(data.draw(token_specs(feature, "u1")), SECRET), SECRET)[0])

    draw()
    assert verdicts["valid"] == {True}
    assert verdicts["signature"] == verdicts["around"] == verdicts["alg"] == {False}
    for feature in ("header", "crit", "sub", "exp", "nbf", "iat", "claims"):
        assert verdicts[feature] == {False, True}, feature


@pytest.mark.parametrize(
    ("claims", "compared"),
    [
        ({"sub": "u", "exp": auth._Time(7200)}, True),
        ({"sub": "u", "exp": auth._Time(-7200, "text")}, True),
        ({"sub": "u", "exp": auth._Time(0, "nan")}, True),
        ({"sub": "u", "exp": auth._Time(0, "inf")}, True),
        ({"sub": "u", "exp": auth._Time(10**20, absolute=True)}, True),
        ({"sub": "u"}, False),
        ({"sub": "u", "exp": auth._Time(7200, "null")}, False),
        ({"sub": "u", "exp": auth._Time(299)}, False),
        ({"sub": "u", "exp": auth._Time(-3599, "float-text")}, False),
        ({"sub": "u", "exp": auth._Time(7200), "nbf": auth._Time(-30)}, False),
        ({"sub": "u", "exp": auth._Time(7200), "iat": auth._Time(1, "text")}, False),
        ({"sub": "u", "exp": auth._Time(7200), "nbf": auth._Time(3 * 3600)}, True),
    ],
)
def test_the_leeway_rule_keeps_times_within_an_hour_and_tokens_without_exp_uncompared(claims: dict[str, Any], compared: bool) -> None:
    """contracts.md: a validator with up to five minutes of leeway conforms, and tokens without exp are not compared."""
    assert auth._compared(_spec(claims), time.time()) is compared


def test_no_drawn_token_that_is_compared_has_a_time_within_the_hour() -> None:
    """Over many drawn tokens, every compared one has its exp, nbf and iat an hour or more from now however read."""

    @settings(max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(("exp", "nbf", "iat")).flatmap(lambda f: token_specs(f, "u1")))
    def draw(spec: TokenSpec) -> None:
        now = time.time()
        if not auth._compared(spec, now):
            return
        claims = {k: v.value(now) if isinstance(v, auth._Time) else v for k, v in spec.claims or ()}
        assert claims.get("exp") is not None
        for name in ("exp", "nbf", "iat"):
            for read in (int, float):
                try:
                    t = float(read(claims[name]))
                except (KeyError, TypeError, ValueError, OverflowError):
                    continue
                assert not math.isfinite(t) or abs(t - now) >= 3600, (name, claims[name])

    draw()


# ---- the answer grammar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ({"valid": True, "user_id": "u1"}, (True, "u1")),
        ({"valid": True, "user_id": " u1", "error": None}, (True, " u1")),
        ({"valid": False}, (False, None)),
        ({"valid": False, "user_id": 5}, (False, None)),
        ({"valid": True}, None),
        ({"valid": True, "user_id": " "}, None),
        ({"valid": True, "user_id": 5}, None),
        ({"valid": "true", "user_id": "u1"}, None),
        ({"valid": 1, "user_id": "u1"}, None),
        ({"user_id": "u1"}, None),
        ([("valid", True)], None),
        (None, None),
    ],
)
def test_answer_verdict_follows_the_contract_text(answer: Any, verdict: Any) -> None:
    """Malformed (None): not a mapping, valid not a bool, or valid True without a non-empty text user_id; a well-formed
    accepting answer is not malformed."""
    assert answer_verdict(answer) == verdict


def test_the_answer_grammar_draws_well_formed_answers_too() -> None:
    """The grammar does not assume its answers malformed: some it draws are well-formed, accepting or rejecting."""
    seen: set[Any] = set()

    @settings(max_examples=200, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(auth._ANSWER_CHANGES)
    def draw(changes: Any) -> None:
        for change in changes:
            if change is not None and change[0] != "fault":
                verdict = answer_verdict(auth._answer("u1", change))
                seen.add(None if verdict is None else verdict[0])

    draw()
    assert seen == {None, True, False}


# ---- the drifts real libraries have are found --------------------------------------------------------

_DIFF = ("differential", "validator-agrees-with-reference")
_CLOSED = ("cascade", "client-fails-closed")

DRIFTS = [
    # (target, a violation it must get, text its message must hold: the drift, not some other disagreement)
    pytest.param(d.NumericTextExpValidator, _DIFF, "as float-text", id="exp-as-numeric-text"),
    pytest.param(d.FutureNbfValidator, _DIFF, "nbf: ", id="nbf-in-the-future"),
    pytest.param(d.AnyHmacValidator, _DIFF, "alg: 'HS", id="hs384-or-hs512"),
    pytest.param(d.CritBlindValidator, _DIFF, "crit:", id="crit-ignored"),
    pytest.param(d.BearerValidator, _DIFF, "before and", id="bearer-or-white-space"),
    pytest.param(d.StrSubValidator, ("postcondition", "accepts-tokens-it-signed"), "its sub is not non-empty text", id="str-sub"),
    pytest.param(d.NanExpValidator, _DIFF, "as nan", id="nan-exp"),
    pytest.param(d.TruthyValidClient, _CLOSED, "answered {'valid': ", id="truthy-valid"),
    pytest.param(d.NumericUserClient, _CLOSED, "'user_id': ", id="user-id-of-another-type"),
]


def _contract(target: type) -> type:
    return auth.ServiceAuthClient if target.__name__.endswith("Client") else auth.TokenValidator


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("target", "expected", "hint"), DRIFTS)
def test_a_drift_real_libraries_have_is_found(target: type, expected: tuple[str, str], hint: str, seed: int) -> None:
    """At the default budget, the drifting validator or client gets the violation of its drift, and only the
    auth clauses' kinds; the reproducer fails against it with the clause's assert and passes against the reference.
    The grammar is the scenarios': the run checks the drift's clause only (a clause's scenario draws the same
    examples alone as in a whole run), to keep the suite fast."""
    report = interlock.check(_contract(target), target, seed=seed, clauses=[expected[1]])
    found = [v for v in report.violations if (v.kind, v.clause) == expected]
    assert found, [(v.kind, v.clause, v.message) for v in report.violations]
    (violation,) = found
    assert hint in violation.message, violation.message
    assert {v.kind for v in report.violations} <= {"differential", "postcondition", "cascade"}
    with pytest.raises(AssertionError, match=expected[1]):
        exec(compile(violation.example, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    reference = "ReferenceServiceClient" if _contract(target) is auth.ServiceAuthClient else "ReferenceValidator"
    fixed = violation.example.replace(
        f"from tests.fixtures.auth_drift import {target.__name__}", f"from interlock.examples.auth import {reference} as {target.__name__}"
    )
    assert fixed != violation.example
    exec(compile(fixed, "<reproducer against the reference>", "exec"), {"__name__": "__reproducer__"})
