"""``interlock.contracts.auth``: token validation, local (a JWT secret) or through an auth service.

Tokens are HS256 JWTs with the claims ``sub`` and ``exp``. ``validate_token`` returns a ``TokenValidation``
(``valid``, ``user_id``, ``error``; see below for one way to write it). The reference verdict on a token
(``reference_verdict(token, secret)``) is PyJWT's, as strict as a service should be: the token is accepted
exactly when
``jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})``
succeeds (the signature is right, ``exp`` is present and not past, ``nbf`` and ``iat`` are not in the future)
and its ``sub`` is non-blank text; every other token is rejected. A token PyJWT cannot judge (it raises
something other than its own errors) counts as rejected, as a service built on PyJWT would refuse it.
The clauses that compare with it compare ``valid`` only: a target that accepts must give ``user_id`` equal
to ``sub`` (``accepts-tokens-it-signed``), and one that rejects must give a non-blank ``error``
(``validate-never-raises``), whatever its words.

## The tokens the checker draws

Real JWT libraries disagree on tokens that are almost valid, so the checker draws those: the canonical
token (header ``{"alg": "HS256", "typ": "JWT"}``, claims ``sub`` and an int ``exp`` two hours to a month
ahead, signed with the right secret, exactly what ``jwt.encode`` makes) with one feature changed. Every
example of the reference scenarios makes one token of each feature, each three times in four (so a
reproducer keeps only the calls its failure needs), and the variant is drawn, the plainest first:

| feature | variants |
| --- | --- |
| `alg` | `HS384` and `HS512` (signed with them), `none`, `None`, `NONE` (no signature), `hs256`, `"HS256 "`, `RS256`, `""`, null, a list, absent |
| `header` | `typ` absent, `jwt`, `at+jwt`, `1`; `kid` text, empty, `1`, null |
| `crit` | `["exp"]`, `["b64"]` with and without `b64`, `[]`, `"exp"`, an unknown extension, `[1]` |
| `sub` | absent, null, blank text, numbers, booleans, lists, objects, other text |
| `exp` | any time in any form (below), or absent; and, in a second token, the canonical time in another form |
| `nbf`, `iat` | any time in any form |
| claims | extra claims (`role`, `scope`, `name`, `jti`, `aud`, `iss`, `azp`) with small JSON values; `sub` given twice; a payload that is no object |
| signature | made with another secret, tampered, empty, dropped, an extra part |
| around | white space before or after, a `Bearer ` or `bearer ` prefix, quotes |

A time is an int, a float, the text of either, NaN, an infinity, null or `true` (the numbers and their
texts twice as often); it lies hours, days, months or decades before or after now, or at a time from no
clock (the epoch, 2038, milliseconds taken for seconds, the year 10000, past 64 bits), or, one time in
seven, within the hour.

**The leeway rule.** A valid token expires at least an hour after it is used and an expired one expired at
least an hour before, so a validator with up to five minutes of leeway conforms: no token whose ``exp``,
``nbf`` or ``iat``, read as a number any way a validator might (``int()`` or ``float()``), lies within an hour
of now is compared with the reference, nor one without ``exp`` (absent or null). Those tokens are still
validated, and ``validate_token`` must still not raise and must give an error with ``valid=False``.

## The answers a service client is given

``client-fails-closed`` gives a client three answers, each three times in four: the accepting
``{"valid": True, "user_id": ...}`` with ``valid`` of every JSON type or absent; with ``user_id`` of every type,
blank, or absent; then a fault (``ConnectionError``, ``TimeoutError``, ``OSError``), extra keys, any JSON value,
or both fields changed. Whether an answer is malformed is ``answer_verdict``'s to say, from the contract's text:
a client must fail closed on a malformed answer and on a fault; a well-formed answer is not judged there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

import jwt
from hypothesis import strategies as st

from interlock.contracts._declare import contract, draws, reports_failure, scenario
from interlock.contracts._harness import Harness
from interlock.contracts._markers import NonEmpty
from interlock.contracts._model import Kind
from interlock.contracts._values import answering, ids

__all__ = [
    "FEATURES",
    "AuthTransport",
    "ServiceAuthClient",
    "TokenSpec",
    "TokenValidation",
    "TokenValidator",
    "answer_from_secret",
    "answer_verdict",
    "forge",
    "is_failure",
    "mint",
    "reference_verdict",
    "token_specs",
]


@runtime_checkable
class TokenValidation(Protocol):
    """The outcome of validating a token: what ``validate_token`` returns.

    A ``Protocol``, so it is not built (``TokenValidation(...)`` raises "Protocols cannot be instantiated"):
    return any object of your own with these three attributes, for example a frozen dataclass:

        @dataclass(frozen=True)
        class Validation:
            valid: bool
            user_id: str | None = None
            error: str | None = None

    An accepted token gives ``Validation(True, user_id=<its sub>)``; a rejected one
    ``Validation(False, error="<why>")``, the error non-blank text (the contract's failure test, ``is_failure``).
    """

    valid: bool
    user_id: str | None
    error: str | None


def is_failure(result: Any) -> bool:
    """The contract's failure test: ``valid is False`` and a non-empty ``error``."""
    error = getattr(result, "error", None)
    return getattr(result, "valid", None) is False and isinstance(error, str) and error.strip() != ""


SECRETS: st.SearchStrategy[str] = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=32, max_size=64)
"""Secrets as the checker draws them: printable ASCII, 32 to 64 characters (a way of drawing, not a narrower domain)."""


@contract
class TokenValidator(Protocol):
    """Validates HS256 tokens signed with the secret it was given."""

    @draws(
        "secret",
        SECRETS,
        id="secret-drawn-as-printable-ascii",
        text="The checker draws the secret as printable ASCII of 32 to 64 characters; shorter non-blank secrets may be accepted or rejected.",
    )
    def __init__(self, secret: NonEmpty[str]) -> None: ...

    @reports_failure(
        is_failure,
        id="validate-never-raises",
        kind=("cascade", "unexpected-exception"),
        text=(
            "validate_token never raises, whatever it is given: None, empty or blank text, bytes, garbage, an expired, tampered, "
            "wrongly signed or alg: none token. It reports failure as valid=False with a non-empty error."
        ),
    )
    async def validate_token(self, token: NonEmpty[str]) -> TokenValidation: ...


@runtime_checkable
class AuthTransport(Protocol):
    """How a service client reaches the auth service."""

    async def post(self, path: str, payload: Mapping[str, Any]) -> Mapping[str, Any]: ...


@contract
class ServiceAuthClient(Protocol):
    """Validates tokens by asking the auth service, failing closed."""

    def __init__(self, transport: AuthTransport) -> None: ...

    @reports_failure(
        is_failure,
        id="client-never-raises",
        kind=("cascade", "unexpected-exception"),
        text="validate_token never raises, whatever it is given or the transport does; it reports failure as valid=False with a non-empty error.",
    )
    async def validate_token(self, token: NonEmpty[str]) -> TokenValidation: ...


# ---- tokens ----------------------------------------------------------------------------------

KINDS = ("valid", "expired", "tampered", "wrong-secret", "alg-none", "malformed", "no-sub", "blank-sub", "text-less-sub", "no-exp")
"""The kinds of token ``mint`` makes (the scenarios draw theirs from the grammar below)."""

_B64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def reference_verdict(token: Any, secret: str) -> tuple[bool, str | None]:
    """PyJWT's verdict: (accepted, sub).

    A token PyJWT cannot judge (it raises something other than its own errors) counts as rejected, as a
    service built on PyJWT would refuse it; PyJWT 2.x raises none on the checker's tokens, this only keeps
    the checker from crashing if a later PyJWT did.
    """
    if not isinstance(token, str):
        return False, None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except Exception:  # PyJWTError, and UnicodeEncodeError for a lone surrogate, which has no UTF-8 form
        return False, None
    sub = claims.get("sub")
    if isinstance(sub, str) and sub.strip():
        return True, sub
    return False, None


def _tamper(token: str, part: int, position: int, replacement: int) -> str:
    parts = token.split(".")
    text = parts[part]
    original = _unb64(text)
    for shift in range(len(text)):
        i = (position + shift) % len(text)
        for step in range(1, len(_B64)):
            c = _B64[(_B64.index(text[i]) + replacement + step) % len(_B64)]
            candidate = text[:i] + c + text[i + 1 :]
            try:
                if _unb64(candidate) != original:
                    parts[part] = candidate
                    return ".".join(parts)
            except ValueError:
                continue
    return token + "x"


def mint(kind: str, secret: str, sub: str, *, now: float | None = None, other_secret: str = "", detail: int = 0) -> str:
    """A token of one of the kinds in ``KINDS``, for ``sub`` under ``secret`` (``detail`` varies the damage)."""
    now = time.time() if now is None else now
    future = int(now) + 7200 + detail % 86400
    past = int(now) - 7200 - detail % 86400
    if kind == "valid":
        return jwt.encode({"sub": sub, "exp": future}, secret, algorithm="HS256")
    if kind == "expired":
        return jwt.encode({"sub": sub, "exp": past}, secret, algorithm="HS256")
    if kind == "tampered":
        token = jwt.encode({"sub": sub, "exp": future}, secret, algorithm="HS256")
        return _tamper(token, detail % 3, detail // 3, detail)
    if kind == "wrong-secret":
        return jwt.encode({"sub": sub, "exp": future}, other_secret or secret[::-1] + "!", algorithm="HS256")
    if kind == "alg-none":
        header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        payload = _b64(json.dumps({"sub": sub, "exp": future}).encode())
        return f"{header}.{payload}."
    if kind == "malformed":
        return ("not-a-token", "a.b", "a.b.c.d", "....", "eyJhbGciOiJIUzI1NiJ9.e30", "x" * (1 + detail % 40))[detail % 6]
    if kind == "no-sub":
        return jwt.encode({"exp": future}, secret, algorithm="HS256")
    if kind == "blank-sub":
        return jwt.encode({"sub": ("", " ", "\t")[detail % 3], "exp": future}, secret, algorithm="HS256")
    if kind == "text-less-sub":
        return _with_claims({"sub": detail, "exp": future}, secret)  # PyJWT refuses to mint a non-text sub
    if kind == "no-exp":
        return jwt.encode({"sub": sub}, secret, algorithm="HS256")
    raise ValueError(f"unknown token kind {kind!r}; expected one of {', '.join(KINDS)}")


def _with_claims(claims: dict[str, Any], secret: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


# ---- the token grammar ---------------------------------------------------------------------------
#
# A drawn token is the canonical one (HS256, typ JWT, a text sub, an int exp hours away, signed with the right
# secret) changed in one FEATURE, whose variant is drawn. Every example builds a token per feature (each three
# times in four), so no feature is missed at a small budget: a token changed in many places at once is almost
# always rejected for the plainest of its changes, and says little. Variants shrink to the first listed, the
# plainest. Tokens are built by hand: PyJWT's encoder refuses a non-text sub, and writes no NaN, no duplicate
# claim and no Bearer prefix.

_HOUR = 3600
"""The leeway rule (contracts.md): no compared token has a time claim within an hour of now."""

_ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "<absent>"})()
"""A header field or claim left out."""

_FORMS = ("int", "float", "text", "float-text", "nan", "inf", "-inf", "null", "true")
"""How a time claim is written: a JSON int or float, its text, NaN, the infinities, null, or true."""

_WEIGHTED_FORMS = (*_FORMS[:4], *_FORMS)
"""The forms as drawn: an int, a float and their texts twice as often as NaN, the infinities, null and true."""

_AWAY = (7200, -7200, 86400, -86400, 30 * 86400, -30 * 86400, 365 * 86400, -365 * 86400, 20 * 365 * 86400, -20 * 365 * 86400)
"""Seconds from now at least an hour away, the plainest first: hours, days, months, years before or after."""

_NEAR = (1, -1, 30, -30, 299, -299, 3599, -3599)
"""Seconds from now within the leeway rule's hour: drawn for never-raises, never compared."""

_ABSOLUTE = (0, -1, 2**31 - 1, 2**53, 10**12, 253402300800, 2**63, 10**20)
"""Times from no clock: the epoch, 2038, milliseconds taken for seconds, the year 10000, past 64 bits."""


@dataclass(frozen=True)
class _Time:
    """A time claim: ``at`` seconds from now (or, with ``absolute``, since the epoch), written in one form."""

    at: int
    form: str = "int"
    absolute: bool = False

    def value(self, now: float) -> Any:
        t = self.at if self.absolute else int(now) + self.at
        if self.form == "int":
            return t
        if self.form == "float":
            return t + 0.5
        if self.form == "text":
            return str(t)
        if self.form == "float-text":
            return repr(t + 0.5)
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "null": None, "true": True}[self.form]


_WHERE = st.sampled_from(("away", "away", "away", "away", "absolute", "absolute", "near"))
_FORM = st.sampled_from(_WEIGHTED_FORMS)
_ABSOLUTE_AT = st.sampled_from(_ABSOLUTE)
_NEAR_AT = st.sampled_from(_NEAR)
_AWAY_AT = st.sampled_from(_AWAY) | st.integers(2 * _HOUR, 2**31)  # shrinks to two hours: a reproducer keeps an hour


@st.composite
def _draw_time(draw: Any) -> _Time:
    # the strategies are built once, above: a strategy built per draw is validated per draw
    where = draw(_WHERE)
    form = draw(_FORM)
    if where == "absolute":
        return _Time(draw(_ABSOLUTE_AT), form, absolute=True)
    if where == "near":
        return _Time(draw(_NEAR_AT), form)
    at = draw(_AWAY_AT)
    return _Time(at if at in _AWAY or draw(st.booleans()) else -at, form)


_times: st.SearchStrategy[_Time] = _draw_time()
"""A time claim in any form: hours to decades before or after now (four in seven), an absolute time (two in
seven), or within the hour (one in seven: never compared, but never-raises holds there too)."""

_scalars: st.SearchStrategy[Any] = st.sampled_from((None, True, False, 0, 1, -1, 1.5, "", " ", "x", "admin"))
_json: st.SearchStrategy[Any] = (
    _scalars
    | st.lists(_scalars, max_size=2)
    | st.dictionaries(st.sampled_from(("a", "id")), _scalars | st.lists(_scalars, max_size=1), max_size=2)
)
"""Small JSON values of every type."""

_ALGS = ("HS384", "HS512", "none", "None", "NONE", "hs256", "HS256 ", "RS256", "", None, ["HS256"], _ABSENT)
_HEADERS: tuple[dict[str, Any], ...] = (
    {"typ": _ABSENT},
    {"typ": "jwt"},
    {"typ": "at+jwt"},
    {"typ": 1},
    {"kid": "k1"},
    {"kid": ""},
    {"kid": 1},
    {"kid": None},
)
_CRITS: tuple[dict[str, Any], ...] = (
    {"crit": ["exp"]},
    {"crit": ["b64"], "b64": True},
    {"crit": ["b64"]},
    {"crit": []},
    {"crit": "exp"},
    {"crit": ["x-tenant"], "x-tenant": "t"},
    {"crit": [1]},
)
_SUBS: tuple[Any, ...] = (_ABSENT, None, "", " ", "\t", 0, 5, -1, 1.5, True, False, [], ["u"], {}, {"id": "u"})
_EXTRA_KEYS = ("role", "scope", "name", "jti", "aud", "iss", "azp")
_NOT_OBJECTS: tuple[Any, ...] = ([], "x", 1, None)
_SIGNATURES = ("other-secret", "tampered", "empty", "dropped", "extra-part")
_AROUND = ((" ", ""), ("", " "), ("", "\n"), ("\t", ""), ("Bearer ", ""), ("bearer ", ""), ("Bearer  ", ""), ('"', '"'))

FEATURES = ("valid", "alg", "header", "crit", "sub", "exp", "nbf", "iat", "claims", "signature", "around")
"""What a drawn token changes in the canonical token (``valid``: nothing); see ``token_specs``."""


@dataclass(frozen=True)
class TokenSpec:
    """A token of the grammar, before it is built: header and claims in order (time claims as ``_Time``), the
    signature (``right``, ``other-secret``, ``tampered``, ``empty``, ``dropped``, ``extra-part``), the text around."""

    feature: str
    header: tuple[tuple[str, Any], ...]
    claims: tuple[tuple[str, Any], ...] | None
    payload: Any = None
    signature: str = "right"
    tamper: tuple[int, int, int] = (0, 0, 0)
    around: tuple[str, str] = ("", "")

    def describe(self) -> str:
        """The token in words, for messages: what is not canonical about it."""
        if self.feature == "valid":
            return "a valid token"
        bits = []
        header = dict(self.header)
        if header != {"alg": "HS256", "typ": "JWT"}:
            bits.append("header " + _show_pairs(self.header))
        bits.append("claims " + (_show_pairs(self.claims) if self.claims is not None else repr(self.payload)))
        if self.signature != "right":
            bits.append(f"signature {self.signature}")
        if self.around != ("", ""):
            bits.append(f"{self.around[0]!r} before and {self.around[1]!r} after it")
        return f"a token with {', '.join(bits)}"


def _show_pairs(pairs: tuple[tuple[str, Any], ...]) -> str:
    shown = []
    for key, value in pairs:
        if isinstance(value, _Time):
            when = f"{value.at}" if value.absolute else f"now{value.at:+d}s"
            shown.append(f"{key}: {when} as {value.form}")
        else:
            shown.append(f"{key}: {value!r}")
    return "{" + ", ".join(shown) + "}"


_DIGESTS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def forge(spec: TokenSpec, secret: str, *, now: float | None = None) -> str:
    """The token ``spec`` describes, signed as it says under ``secret``, its times counted from ``now``."""
    now = time.time() if now is None else now
    header = "{" + ",".join(f"{_dumps(k)}:{_dumps(v)}" for k, v in spec.header) + "}"
    if spec.claims is None:
        payload = _dumps(spec.payload)
    else:
        payload = "{" + ",".join(f"{_dumps(k)}:{_dumps(v.value(now) if isinstance(v, _Time) else v)}" for k, v in spec.claims) + "}"
    signing_input = f"{_b64(header.encode())}.{_b64(payload.encode())}"
    alg = dict(spec.header).get("alg")
    key = (secret[::-1] + "!" if spec.signature == "other-secret" else secret).encode()
    if isinstance(alg, str) and alg.lower() == "none":
        signature = ""  # what an alg: none token carries
    else:
        digest = _DIGESTS.get(alg, hashlib.sha256) if isinstance(alg, str) else hashlib.sha256
        signature = _b64(hmac.new(key, signing_input.encode(), digest).digest())
    token = f"{signing_input}.{signature}"
    if spec.signature == "tampered":
        token = _tamper(token, *spec.tamper)
    elif spec.signature == "empty":
        token = f"{signing_input}."
    elif spec.signature == "dropped":
        token = signing_input
    elif spec.signature == "extra-part":
        token = f"{token}.{signature or 'x'}"
    return f"{spec.around[0]}{token}{spec.around[1]}"


def _put(pairs: tuple[tuple[str, Any], ...], changes: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """``pairs`` with ``changes`` made in place (a new key goes last); ``_ABSENT`` removes a key."""
    out = dict(pairs)
    out.update(changes)
    return tuple((k, v) for k, v in out.items() if v is not _ABSENT)


def _absent_or(strategy: st.SearchStrategy[Any], one_in: int) -> st.SearchStrategy[Any]:
    """``strategy``, or ``_ABSENT`` one time in ``one_in`` (it shrinks to the value, not the absence)."""
    return st.tuples(st.integers(1, one_in), strategy).map(lambda pair: _ABSENT if pair[0] == one_in else pair[1])


_CHANGES: dict[str, st.SearchStrategy[tuple[str, Any]]] = {
    "valid": st.just(("none", None)),
    "alg": st.sampled_from(_ALGS).map(lambda alg: ("header", {"alg": alg})),
    "header": st.sampled_from(_HEADERS).map(lambda fields: ("header", fields)),
    "crit": st.sampled_from(_CRITS).map(lambda fields: ("header", fields)),
    "sub": (st.sampled_from(_SUBS) | _json | ids).map(lambda sub: ("claims", {"sub": sub})),
    "exp": _absent_or(_times, 8).map(lambda exp: ("claims", {"exp": exp})),  # no exp one time in eight: never compared
    "exp-form": st.sampled_from(_FORMS[1:]).map(lambda form: ("exp-form", form)),
    "nbf": _times.map(lambda nbf: ("claims", {"nbf": nbf})),
    "iat": _times.map(lambda iat: ("claims", {"iat": iat})),
    "claims": st.one_of(
        st.dictionaries(st.sampled_from(_EXTRA_KEYS), _json, min_size=1, max_size=2).map(lambda extra: ("claims", extra)),
        # JSON allows a name twice: PyJWT keeps the last, other libraries the first, or refuse
        (st.sampled_from(_SUBS[1:]) | ids).map(lambda sub: ("repeated", sub)),
        st.sampled_from(_NOT_OBJECTS).map(lambda payload: ("payload", payload)),
    ),
    "signature": st.one_of(
        st.sampled_from(_SIGNATURES).filter(lambda how: how != "tampered").map(lambda how: ("signature", (how, (0, 0, 0)))),
        st.tuples(st.integers(0, 2), st.integers(0, 200), st.integers(0, 63)).map(lambda at: ("signature", ("tampered", at))),
    ),
    "around": st.sampled_from(_AROUND).map(lambda around: ("around", around)),
}
"""What each feature changes in the canonical token, drawn: built once, so no example pays for building them."""


def _mostly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` three times in four, else None: shrinking turns to None every token a failure does not need, so
    a reproducer keeps only the calls that show it."""
    return st.tuples(st.integers(0, 3), strategy).map(lambda pair: pair[1] if pair[0] else None)


_COMPARED_FEATURES = ("alg", "header", "crit", "sub", "exp", "exp-form", "nbf", "iat", "claims", "signature", "around")
"""The tokens of one example of the reference scenarios: every feature but the valid token's (accepts-tokens-it-signed
has it), and exp twice, once at any time in any form and once the canonical exp in another form: where libraries
disagree most."""

_ALL_CHANGES = st.tuples(*(_mostly(_CHANGES[feature]) for feature in _COMPARED_FEATURES))
"""A change of (mostly) every feature of ``_COMPARED_FEATURES``, in one draw."""


def _apply(feature: str, change: tuple[str, Any], sub: str, exp: int) -> TokenSpec:
    spec = _canonical(sub, exp, feature)
    where, value = change
    if where == "exp-form":
        return replace(spec, claims=_put(spec.claims or (), {"exp": _Time(exp, value)}))
    if where == "header":
        return replace(spec, header=_put(spec.header, value))
    if where == "claims":
        return replace(spec, claims=_put(spec.claims or (), value))
    if where == "repeated":
        return replace(spec, claims=(*(spec.claims or ()), ("sub", value)))
    if where == "payload":
        return replace(spec, claims=None, payload=value)
    if where == "signature":
        return replace(spec, signature=value[0], tamper=value[1])
    if where == "around":
        return replace(spec, around=value)
    return spec


def _canonical(sub: str, exp: int, feature: str = "valid") -> TokenSpec:
    return TokenSpec(feature, (("alg", "HS256"), ("typ", "JWT")), (("sub", sub), ("exp", _Time(exp))))


def token_specs(feature: str, sub: str, exp: int = 7200) -> st.SearchStrategy[TokenSpec]:
    """Tokens of the grammar that change ``feature`` (one of ``FEATURES``) in the canonical token for ``sub``
    whose ``exp`` is ``exp`` seconds from now."""
    if feature not in FEATURES:
        raise ValueError(f"unknown token feature {feature!r}; expected one of {', '.join(FEATURES)}")
    return _CHANGES[feature].map(lambda change: _apply(feature, change, sub, exp))


def _judged_times(claims: dict[str, Any]) -> list[float]:
    """The times PyJWT or a laxer validator could read from ``exp``, ``nbf`` and ``iat`` (as ``int()`` or ``float()`` would)."""
    times = []
    for name in ("exp", "nbf", "iat"):
        if name in claims:
            for read in (int, float):
                try:
                    t = float(read(claims[name]))
                except (TypeError, ValueError, OverflowError):
                    continue
                if math.isfinite(t):
                    times.append(t)
    return times


def _compared(spec: TokenSpec, now: float) -> bool:
    """Whether a verdict on the token is compared with the reference verdict (contracts.md): not when it has no
    ``exp`` (absent, null, or no claims object at all), nor when its ``exp``, ``nbf`` or ``iat``, read as a number
    any way a validator might, lies within an hour of now (a validator with up to five minutes of leeway conforms)."""
    if spec.claims is None:
        return False
    claims = {k: v.value(now) if isinstance(v, _Time) else v for k, v in spec.claims}
    if claims.get("exp") is None:
        return False
    return all(abs(t - now) >= _HOUR for t in _judged_times(claims))


def answer_from_secret(secret: str) -> Any:
    """An ``AuthTransport.post`` answer from the reference verdict under ``secret``: the service a client should agree with."""

    def post(path: object = None, payload: Any = None, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        body = payload if payload is not None else kwargs.get("payload")
        token = body.get("token") if isinstance(body, Mapping) else None
        valid, sub = reference_verdict(token, secret)
        return {"valid": valid, "user_id": sub}

    return answering(f"interlock.contracts.auth.answer_from_secret({secret!r})", post)


_subs = ids
_details = st.integers(0, 10_000)
_exps = st.sampled_from((7200, 3 * 3600, 86400, 30 * 86400))
"""Seconds from now to the canonical token's ``exp``: hours to a month, never within the leeway rule's hour."""


def _valid(h: Harness, secret: str) -> tuple[str, str]:
    """A drawn sub and a valid token for it (right secret, a future exp), minted with PyJWT."""
    sub = h.draw(_subs)
    return sub, mint("valid", secret, sub, detail=h.draw(_details))


async def _validate(h: Harness, target: Any, token: str, what: str) -> Any:
    try:
        return await h.call(target, "validate_token", token)
    except Exception as exc:
        h.fail(f"validate_token raised {type(exc).__name__}: {exc} on {what}", kind="unexpected-exception", member="validate_token")


def _named(h: Harness) -> str | None:
    """The reproducer's name for what the last call returned, naming it ``result`` where the harness did not."""
    steps = h.steps
    last = steps[-1] if steps else ""
    head = last.split(" = await ", 1)[0]
    if " = await " in last and head.isidentifier():
        return head
    if last.startswith("await "):
        steps[-1] = f"result = {last}"
        return "result" if h.steps[-1] == f"result = {last}" else None
    return None


def _expect(h: Harness, holds: bool, assertion: str, message: str, *, kind: Kind, clause: str) -> None:
    """Fail with ``message`` unless ``holds``; the reproducer then ends in ``assert assertion``, ``{result}`` in it
    naming what the last call returned, so it fails where the target broke the clause and passes elsewhere."""
    if holds:
        return
    name = _named(h)
    if name is not None:
        h.step(f"assert {assertion.replace('{result}', name)}, {f'{clause}: {message}'!r}")
    h.fail(message, kind=kind, member="validate_token")


def _check_accepts(h: Harness, result: Any, sub: str, what: str, clause: str) -> None:
    valid = getattr(result, "valid", None)
    _expect(
        h,
        valid is True,
        "{result}.valid is True",
        f"validate_token rejected {what}: right secret, sub {sub!r}, a future exp",
        kind="postcondition",
        clause=clause,
    )
    _expect(
        h,
        getattr(result, "user_id", None) == sub,
        f"{{result}}.user_id == {sub!r}",
        f"validate_token accepted a token for {sub!r} but says user_id {getattr(result, 'user_id', None)!r}",
        kind="postcondition",
        clause=clause,
    )
    _expect(
        h,
        getattr(result, "error", "") is None,
        "{result}.error is None",
        f"validate_token accepted a token but its error is {getattr(result, 'error', None)!r}, not None",
        kind="postcondition",
        clause=clause,
    )


@scenario(
    TokenValidator,
    id="accepts-tokens-it-signed",
    kind=("postcondition", "unexpected-exception"),
    text=(
        "A token it accepts has valid=True, user_id equal to the sub claim, and error None; every token minted with the right "
        "secret, a non-empty sub and a future exp is accepted; a token without a non-empty text sub is not."
    ),
)
async def _validator_accepts(h: Harness) -> None:
    secret = h.draw(SECRETS)
    validator = await h.build(secret=secret)
    sub, exp, now = h.draw(_subs), h.draw(_exps), time.time()
    result = await _validate(h, validator, forge(_canonical(sub, exp), secret, now=now), "a valid token")
    _check_accepts(h, result, sub, "a valid token", "accepts-tokens-it-signed")
    for change in h.draw(_SUB_CHANGES):
        spec = _apply("sub", change, sub, exp)
        what = spec.describe()
        result = await _validate(h, validator, forge(spec, secret, now=now), what)
        claimed = dict(spec.claims or ()).get("sub")
        if isinstance(claimed, str) and claimed.strip():
            _check_accepts(h, result, claimed, what, "accepts-tokens-it-signed")
        else:
            _expect(
                h,
                getattr(result, "valid", None) is False,
                "{result}.valid is False",
                f"validate_token accepted {what}: its sub is not non-empty text",
                kind="postcondition",
                clause="accepts-tokens-it-signed",
            )


_SUB_CHANGES = st.tuples(st.sampled_from(("", " ", "\t", "\n", " \t ")).map(lambda sub: ("claims", {"sub": sub})), _CHANGES["sub"])
"""Two subs for accepts-tokens-it-signed: blank text, then any JSON value, absent, or other text."""


@scenario(
    TokenValidator,
    id="validator-agrees-with-reference",
    kind=("differential", "unexpected-exception"),
    text=(
        "A TokenValidator agrees with the reference verdict (PyJWT with exp and sub required and a non-blank text sub, under "
        "the same secret) on every token: valid, expired, "
        "tampered, wrongly signed, alg: none, malformed. Tokens without exp are not compared, nor tokens whose exp, nbf "
        "or iat lies within an hour of now."
    ),
)
async def _validator_reference(h: Harness) -> None:
    secret = h.draw(SECRETS)
    validator = await h.build(secret=secret)
    await _agrees(h, validator, secret, f"the reference verdict ({REFERENCE}) is", "validator-agrees-with-reference")


REFERENCE = "PyJWT with exp and sub required and a non-blank text sub"
"""How the reference verdict is named in messages: not plain "PyJWT", whose own default is laxer."""


async def _agrees(h: Harness, target: Any, secret: str, source: str, clause: str) -> None:
    """One token of every feature of the grammar, each compared with the reference verdict where the contract compares."""
    sub, exp, changes = h.draw(_subs), h.draw(_exps), h.draw(_ALL_CHANGES)
    for feature, change in zip(_COMPARED_FEATURES, changes, strict=True):
        if change is None:
            continue
        spec = _apply(feature, change, sub, exp)
        now = time.time()
        token = forge(spec, secret, now=now)
        what = spec.describe()
        result = await _validate(h, target, token, what)
        got = getattr(result, "valid", None)
        if _compared(spec, time.time()):
            expected, _ = reference_verdict(token, secret)
            verdict = f"valid is {expected!r}"
            _expect(
                h,
                got is expected,
                "{result}." + verdict,
                f"validate_token says valid={got!r} for {what}; {source} {expected!r}",
                kind="differential",
                clause=clause,
            )
        if got is False:
            _expect(
                h,
                is_failure(result),
                "isinstance({result}.error, str) and {result}.error.strip()",
                f"validate_token rejected {what} without an error ({_show(result)})",
                kind="unexpected-exception",
                clause=clause,
            )


async def _isolation(h: Harness, target: Any, secret: str) -> None:
    subs = h.draw(st.lists(_subs, min_size=2, max_size=2, unique=True))
    tokens = [mint("valid", secret, s, detail=h.draw(_details)) for s in subs]
    order = [0, 1, 0] if h.draw(st.booleans()) else [1, 0, 1]
    results = await h.gather(*[h.call(target, "validate_token", tokens[i]) for i in order])
    for i, result in zip(order, results, strict=True):
        got = getattr(result, "user_id", None)
        other = subs[1 - i]
        h.check(got != other, f"validating {subs[i]!r}'s token yielded {other!r}'s id", member="validate_token")


@scenario(
    TokenValidator,
    id="validator-calls-are-independent",
    kind="isolation",
    text="No call changes the result of another: validating one user's token never yields another user's id.",
)
async def _validator_isolation(h: Harness) -> None:
    secret = h.draw(SECRETS)
    await _isolation(h, await h.build(secret=secret), secret)


# ---- the service client -------------------------------------------------------------------------


async def _client(h: Harness, secret: str) -> tuple[Any, Any]:
    transport = h.double(AuthTransport, label="transport")
    transport.answer("post", answer_from_secret(secret))
    client = await h.build(transport=transport)
    return client, transport


@scenario(
    ServiceAuthClient,
    id="posts-token-to-validate",
    kind=("postcondition", "unexpected-exception"),
    text=(
        "ServiceAuthClient posts {'token': token} to /auth/validate; the transport answers {'valid': bool, 'user_id': str | None}; "
        "a valid answer gives valid=True, that user_id and error None."
    ),
)
async def _client_posts(h: Harness) -> None:
    secret = h.draw(SECRETS)
    client, transport = await _client(h, secret)
    sub, token = _valid(h, secret)
    result = await _validate(h, client, token, "a valid token")
    posts = [c for c in transport.calls if c.method == "post"]
    h.check(len(posts) == 1, f"validate_token posted {len(posts)} times, not once", kind="postcondition", member="validate_token")
    values = dict(zip(("path", "payload"), posts[0].args, strict=False))
    values.update(posts[0].kwargs)
    h.check(
        values.get("path") == "/auth/validate",
        f"validate_token posted to {values.get('path')!r}, not '/auth/validate'",
        kind="postcondition",
        member="validate_token",
    )
    h.check(
        values.get("payload") == {"token": token},
        f"validate_token posted {values.get('payload')!r}, not {{'token': token}}",
        kind="postcondition",
        member="validate_token",
    )
    _check_accepts(h, result, sub, "a valid token", "posts-token-to-validate")


# ---- the answer grammar: what an auth service may say -----------------------------------------------

_VALIDS: tuple[Any, ...] = (False, _ABSENT, None, 1, 0, "true", "false", "True", 1.0, "1", [], {}, [True])
"""``valid`` of every JSON type, or absent: the plainest first."""

_USER_IDS: tuple[Any, ...] = (_ABSENT, None, "", " ", "\t", 5, 0, True, 1.5, [], ["u"], {}, {"id": "u"})
"""``user_id`` of every JSON type, blank, or absent."""

_ANSWER_KEYS = ("error", "sub", "exp", "detail", "token")


def answer_verdict(answer: Any) -> tuple[bool, str | None] | None:
    """What the contract makes of an auth service's answer: ``None`` for a malformed one (not a mapping, ``valid``
    not a ``bool``, or ``valid: True`` without a non-empty text ``user_id``), else ``(valid, user_id)``."""
    if not isinstance(answer, Mapping):
        return None
    valid = answer.get("valid")
    if not isinstance(valid, bool):
        return None
    if not valid:
        return False, None
    user = answer.get("user_id")
    return (True, user) if isinstance(user, str) and user.strip() else None


def _answer(user: str, change: tuple[str, Any]) -> Any:
    """The accepting answer ``{"valid": True, "user_id": user}`` with ``change`` made to it."""
    where, value = change
    if where == "value":
        return value
    answer: dict[str, Any] = {"valid": True, "user_id": user}
    if where == "extra":
        answer.update(value)
    elif where == "both":
        answer.update(valid=value[0], user_id=value[1])
    else:
        answer[where] = value
    return {k: v for k, v in answer.items() if v is not _ABSENT}


_valids = st.sampled_from(_VALIDS) | _json
_user_ids = st.sampled_from(_USER_IDS) | _json | ids
_ANSWER_CHANGES = st.tuples(
    _mostly(st.sampled_from(_VALIDS).map(lambda valid: ("valid", valid))),
    _mostly(_user_ids.map(lambda user: ("user_id", user))),
    _mostly(
        st.one_of(
            st.sampled_from((ConnectionError, TimeoutError, OSError)).map(lambda fault: ("fault", fault)),
            st.dictionaries(st.sampled_from(_ANSWER_KEYS), _json, min_size=1, max_size=2).map(lambda extra: ("extra", extra)),
            _json.map(lambda value: ("value", value)),
            st.tuples(_valids, _user_ids).map(lambda both: ("both", both)),
        )
    ),
)
"""Three answers for one example, each three times in four: ``valid`` of every JSON type or absent, ``user_id``
of every type, blank or absent, then a fault, extra keys, any JSON value at all, or both fields changed. Most are
malformed; whether one is comes from ``answer_verdict``, never from how it was drawn."""


@scenario(
    ServiceAuthClient,
    id="client-fails-closed",
    kind="cascade",
    text=(
        "A transport that raises (ConnectionError, TimeoutError, OSError) or answers with a malformed body (not a mapping, valid "
        "not a bool, or valid: True without a non-empty text user_id) gives valid=False: it fails closed and never raises."
    ),
)
async def _client_fails_closed(h: Harness) -> None:
    transport = h.double(AuthTransport, label="transport")
    client = await h.build(transport=transport)
    user, changes = h.draw(_subs), h.draw(_ANSWER_CHANGES)
    for change in changes:  # the third may be a fault, after two answers
        if change is None:
            continue
        if change[0] == "fault":
            error = change[1]("interlock: injected failure")
            transport.fail(error)
            what, malformed = f"the transport raised {type(error).__name__}", True
        else:
            body = _answer(user, change)
            transport.heal()
            transport.answer("post", answering(f"lambda *a, **k: {body!r}", lambda *a, _body=body, **k: _body))
            what, malformed = f"the transport answered {body!r}", answer_verdict(body) is None
        try:
            result = await h.call(client, "validate_token", h.draw(ids))
        except Exception as exc:
            if not malformed:
                return  # raising on a well-formed answer is not this clause's to judge
            h.fail(f"validate_token let {type(exc).__name__} escape when {what}", member="validate_token")
        if malformed:
            _expect(
                h,
                is_failure(result),
                "{result}.valid is False and isinstance({result}.error, str) and {result}.error.strip()",
                f"validate_token gave {_show(result)} when {what}; it must fail closed with valid=False and an error",
                kind="cascade",
                clause="client-fails-closed",
            )


def _show(result: Any) -> str:
    return f"valid={getattr(result, 'valid', '?')!r}, user_id={getattr(result, 'user_id', '?')!r}, error={getattr(result, 'error', '?')!r}"


@scenario(
    ServiceAuthClient,
    id="client-agrees-with-reference",
    kind=("differential", "unexpected-exception"),
    text=(
        "A ServiceAuthClient whose transport answers from the same secret agrees with the reference verdict on every token "
        "(the checker's transport double answers with the reference verdict: PyJWT with exp and sub required and a "
        "non-blank text sub)."
    ),
)
async def _client_reference(h: Harness) -> None:
    secret = h.draw(SECRETS)
    client, _ = await _client(h, secret)
    await _agrees(h, client, secret, "the service answered", "client-agrees-with-reference")


@scenario(
    ServiceAuthClient,
    id="client-calls-are-independent",
    kind="isolation",
    text="No call changes the result of another: validating one user's token never yields another user's id.",
)
async def _client_isolation(h: Harness) -> None:
    secret = h.draw(SECRETS)
    client, _ = await _client(h, secret)
    await _isolation(h, client, secret)


async def _rejects_lookalikes(h: Harness, target: Any, secret: str) -> None:
    sub, token = _valid(h, secret)
    for lookalike, what in ((token.encode(), "the bytes of a valid token"), (bytearray(token.encode()), "a bytearray of a valid token")):
        try:
            result = await h.call(target, "validate_token", lookalike)
        except Exception as exc:
            h.fail(
                f"validate_token raised {type(exc).__name__} on {what}; it reports failure instead",
                kind="unexpected-exception",
                member="validate_token",
                parameter="token",
            )
        h.check(
            is_failure(result),
            f"validate_token accepted {what} for {sub!r} ({_show(result)}); only text is a token",
            kind="type-coercion",
            member="validate_token",
            parameter="token",
        )


@scenario(
    TokenValidator,
    id="validator-rejects-token-lookalikes",
    kind=("type-coercion", "unexpected-exception"),
    text="The bytes of a valid token are not a token: validate_token reports failure for them, as for any value that is not text.",
)
async def _validator_lookalikes(h: Harness) -> None:
    secret = h.draw(SECRETS)
    await _rejects_lookalikes(h, await h.build(secret=secret), secret)


@scenario(
    ServiceAuthClient,
    id="client-rejects-token-lookalikes",
    kind=("type-coercion", "unexpected-exception"),
    text="The bytes of a valid token are not a token: validate_token reports failure for them, as for any value that is not text.",
)
async def _client_lookalikes(h: Harness) -> None:
    secret = h.draw(SECRETS)
    client, _ = await _client(h, secret)
    await _rejects_lookalikes(h, client, secret)
