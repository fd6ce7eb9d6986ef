"""Short-lived websocket tokens: the backend asks for one per user, the browser presents it.

Signed with SECRET_KEY (django.core.signing), so any web process can check it without a lookup.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from aiserver.errors import DomainError, ErrorCode

SALT = "aiserver.chat.ws"


def issue_token(user_id: str) -> dict[str, object]:
    return {"token": signing.dumps({"u": user_id}, salt=SALT, compress=True), "expires_in": settings.CHAT_TOKEN_TTL}


def user_for_token(token: str) -> str:
    try:
        return signing.loads(token, salt=SALT, max_age=settings.CHAT_TOKEN_TTL)["u"]
    except signing.SignatureExpired as exc:
        raise DomainError(ErrorCode.UNAUTHORIZED, "The chat token has expired.") from exc
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise DomainError(ErrorCode.UNAUTHORIZED, "The chat token is invalid.") from exc
