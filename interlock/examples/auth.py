"""Reference token validators and drifting variants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

__all__ = [
    "CoercingValidator",
    "EscapingClient",
    "ExpiryBlindValidator",
    "RaisingValidator",
    "ReferenceServiceClient",
    "ReferenceValidator",
    "StickyClient",
    "Validation",
]


@dataclass(frozen=True)
class Validation:
    """The outcome of validating a token."""

    valid: bool
    user_id: str | None = None
    error: str | None = None


def _failure(error: str) -> Validation:
    return Validation(valid=False, user_id=None, error=error)


class ReferenceValidator:
    """Validates HS256 tokens with PyJWT: exp and sub required, sub non-blank text; never raises."""

    def __init__(self, secret: str) -> None:
        if not isinstance(secret, str):
            raise TypeError("secret must be str")
        if not secret.strip():
            raise ValueError("secret must not be blank")
        self._secret = secret

    async def validate_token(self, token: str) -> Validation:
        if not isinstance(token, str) or not token.strip():
            return _failure("token must be non-empty text")
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp", "sub"]}, leeway=60)
        except (jwt.PyJWTError, UnicodeEncodeError) as exc:  # text with a lone surrogate has no UTF-8 form: no token
            return _failure(f"invalid token: {exc}")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            return _failure("token has no subject")
        return Validation(valid=True, user_id=sub, error=None)


class RaisingValidator(ReferenceValidator):
    """unexpected-exception: PyJWT's errors escape instead of a failed validation."""

    async def validate_token(self, token: str) -> Validation:
        if not isinstance(token, str) or not token.strip():
            return _failure("token must be non-empty text")
        claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            return _failure("token has no subject")
        return Validation(valid=True, user_id=sub)


class ExpiryBlindValidator(ReferenceValidator):
    """differential: accepts expired tokens (exp is required but never checked)."""

    async def validate_token(self, token: str) -> Validation:
        if not isinstance(token, str) or not token.strip():
            return _failure("token must be non-empty text")
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp", "sub"], "verify_exp": False})
        except (jwt.PyJWTError, UnicodeEncodeError) as exc:
            return _failure(f"invalid token: {exc}")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            return _failure("token has no subject")
        return Validation(valid=True, user_id=sub)


class CoercingValidator(ReferenceValidator):
    """type-coercion: decodes bytes as if they were the token's text."""

    async def validate_token(self, token: Any) -> Validation:
        if isinstance(token, bytes):
            token = token.decode(errors="replace")
        return await super().validate_token(token)


class ReferenceServiceClient:
    """Asks the auth service; fails closed on errors and malformed answers."""

    def __init__(self, transport: Any) -> None:
        if transport is None:
            raise TypeError("transport must not be None")
        self._transport = transport

    async def validate_token(self, token: str) -> Validation:
        if not isinstance(token, str) or not token.strip():
            return _failure("token must be non-empty text")
        try:
            answer = await self._transport.post("/auth/validate", {"token": token})
        except (ConnectionError, TimeoutError, OSError, RuntimeError) as exc:
            return _failure(f"auth service unreachable: {type(exc).__name__}")
        if not isinstance(answer, Mapping) or not isinstance(answer.get("valid"), bool):
            return _failure("malformed answer from the auth service")
        if not answer["valid"]:
            return _failure("rejected by the auth service")
        user_id = answer.get("user_id")
        if not isinstance(user_id, str) or not user_id.strip():
            return _failure("the auth service accepted the token without a user id")
        return Validation(valid=True, user_id=user_id)


class EscapingClient(ReferenceServiceClient):
    """cascade: a ConnectionError from the transport escapes."""

    async def validate_token(self, token: str) -> Validation:
        if not isinstance(token, str) or not token.strip():
            return _failure("token must be non-empty text")
        answer = await self._transport.post("/auth/validate", {"token": token})
        if not isinstance(answer, Mapping) or not isinstance(answer.get("valid"), bool):
            return _failure("malformed answer from the auth service")
        if not answer["valid"]:
            return _failure("rejected by the auth service")
        user_id = answer.get("user_id")
        if not isinstance(user_id, str) or not user_id.strip():
            return _failure("the auth service accepted the token without a user id")
        return Validation(valid=True, user_id=user_id)


class StickyClient(ReferenceServiceClient):
    """isolation: remembers the last user id and hands it to whoever asks while a request is in flight."""

    def __init__(self, transport: Any) -> None:
        super().__init__(transport)
        self._current: str | None = None

    async def validate_token(self, token: str) -> Validation:
        result = await super().validate_token(token)
        if result.valid and self._current is None:
            self._current = result.user_id
        if result.valid:
            return Validation(valid=True, user_id=self._current)
        return result
