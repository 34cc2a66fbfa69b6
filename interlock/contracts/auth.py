"""``interlock.contracts.auth``: token validation, local (a JWT secret) or through an auth service.

Tokens are HS256 JWTs with the claims ``sub`` and ``exp``, minted with PyJWT.
The reference verdict on a token is PyJWT's: accepted exactly when
``jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})``
succeeds and its ``sub`` is non-blank text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import string
import time
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import jwt
from hypothesis import strategies as st

from interlock.contracts._declare import contract, draws, reports_failure, scenario
from interlock.contracts._harness import Harness
from interlock.contracts._markers import NonEmpty
from interlock.contracts._values import answering, ids

__all__ = [
    "AuthTransport",
    "ServiceAuthClient",
    "TokenValidation",
    "TokenValidator",
    "answer_from_secret",
    "is_failure",
    "mint",
    "reference_verdict",
]


@runtime_checkable
class TokenValidation(Protocol):
    """The outcome of validating a token."""

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
"""The kinds of token the checker mints."""

_B64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def reference_verdict(token: Any, secret: str) -> tuple[bool, str | None]:
    """PyJWT's verdict: (accepted, sub)."""
    if not isinstance(token, str):
        return False, None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except (jwt.PyJWTError, UnicodeEncodeError):  # PyJWT encodes the token: a lone surrogate has no UTF-8 form
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


def _tokens(h: Harness, secret: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, str, str]]:
    """One token of every kind, for one drawn sub (kinds are enumerated, not sampled, so none is missed)."""
    sub = h.draw(_subs)
    detail = h.draw(_details)
    other = h.draw(SECRETS)
    return [(kind, sub, mint(kind, secret, sub, detail=detail, other_secret=other)) for kind in kinds]


async def _validate(h: Harness, target: Any, token: str, what: str) -> Any:
    try:
        return await h.call(target, "validate_token", token)
    except Exception as exc:
        h.fail(f"validate_token raised {type(exc).__name__}: {exc} on {what}", kind="unexpected-exception", member="validate_token")


def _check_accepts(h: Harness, result: Any, sub: str, kind: str) -> None:
    valid = getattr(result, "valid", None)
    h.check(
        valid is True,
        f"validate_token rejected a token minted with the right secret, sub {sub!r} and a future exp ({kind})",
        member="validate_token",
    )
    h.check(
        getattr(result, "user_id", None) == sub,
        f"validate_token accepted a token for {sub!r} but says user_id {getattr(result, 'user_id', None)!r}",
        member="validate_token",
    )
    h.check(
        getattr(result, "error", "") is None,
        f"validate_token accepted a token but its error is {getattr(result, 'error', None)!r}, not None",
        member="validate_token",
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
    for kind, sub, token in _tokens(h, secret, ("valid", "no-sub", "blank-sub", "text-less-sub")):
        result = await _validate(h, validator, token, f"a {kind} token")
        if kind == "valid":
            _check_accepts(h, result, sub, kind)
        else:
            h.check(
                getattr(result, "valid", None) is False,
                f"validate_token accepted a token whose sub is not non-empty text ({kind})",
                kind="postcondition",
                member="validate_token",
            )


@scenario(
    TokenValidator,
    id="validator-agrees-with-reference",
    kind=("differential", "unexpected-exception"),
    text=(
        "A TokenValidator agrees with the reference verdict (PyJWT with exp and sub required and a non-blank text sub, under "
        "the same secret) on every token: valid, expired, "
        "tampered, wrongly signed, alg: none, malformed. Tokens without exp are not compared."
    ),
)
async def _validator_reference(h: Harness) -> None:
    secret = h.draw(SECRETS)
    validator = await h.build(secret=secret)
    await _agrees(h, validator, secret, f"the reference verdict ({REFERENCE}) is")


REFERENCE = "PyJWT with exp and sub required and a non-blank text sub"
"""How the reference verdict is named in messages: not plain "PyJWT", whose own default is laxer."""


async def _agrees(h: Harness, target: Any, secret: str, source: str) -> None:
    for kind, _, token in _tokens(h, secret):
        result = await _validate(h, target, token, f"a {kind} token")
        if kind == "no-exp":
            continue
        expected, _ = reference_verdict(token, secret)
        got = getattr(result, "valid", None)
        h.check(
            got is expected,
            f"validate_token says valid={got!r} for a {kind} token; {source} {expected!r}",
            kind="differential",
            member="validate_token",
        )
        if got is False:
            h.check(
                is_failure(result),
                f"validate_token rejected a {kind} token without an error ({_show(result)})",
                kind="unexpected-exception",
                member="validate_token",
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
    ((kind, sub, token),) = _tokens(h, secret, ("valid",))
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
    _check_accepts(h, result, sub, kind)


_MALFORMED: tuple[Any, ...] = (
    None,
    [],
    "ok",
    {},
    {"valid": "true"},
    {"valid": 1},
    {"valid": True},
    {"valid": True, "user_id": ""},
    {"valid": True, "user_id": " "},
    {"valid": True, "user_id": 5},
    {"valid": True, "user_id": None},
)


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
    if h.draw(st.booleans()):
        error = h.draw(st.sampled_from((ConnectionError, TimeoutError, OSError)))("interlock: injected failure")
        transport.fail(error)
        what = f"the transport raised {type(error).__name__}"
    else:
        body = h.draw(st.sampled_from(_MALFORMED))
        transport.answer("post", answering(f"lambda *a, **k: {body!r}", lambda *a, **k: body))
        what = f"the transport answered {body!r}"
    client = await h.build(transport=transport)
    try:
        result = await h.call(client, "validate_token", h.draw(ids))
    except Exception as exc:
        h.fail(f"validate_token let {type(exc).__name__} escape when {what}", member="validate_token")
    h.check(
        is_failure(result),
        f"validate_token gave {_show(result)} when {what}; it must fail closed with valid=False and an error",
        member="validate_token",
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
    await _agrees(h, client, secret, "the service answered")


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
    ((_, sub, token),) = _tokens(h, secret, ("valid",))
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
