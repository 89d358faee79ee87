"""API tokens: issue (with an optional expiry), list, revoke. Used by ``/api/v1/tokens`` (a user's
own tokens) and ``grader admin`` (any user's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from grader.db import Session
from grader.db.base import utcnow
from grader.db.models import ApiToken, User
from grader.db.queries import tokens as qt
from grader.db.queries import users as qu
from grader.services.auth import issue_token
from grader.services.errors import InvalidRequest, NotFound

MAX_EXPIRY_DAYS = 3650
MAX_LABEL = 100


def token_view(row: ApiToken) -> dict[str, Any]:
    """What may be shown about a token: never its hash or plaintext."""
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    now = utcnow()
    state = ("revoked" if row.revoked_at is not None
             else "expired" if row.expires_at is not None and row.expires_at <= now else "active")
    return {"id": row.id, "label": row.label, "state": state, "created_at": iso(row.created_at),
            "expires_at": iso(row.expires_at), "revoked_at": iso(row.revoked_at)}


def list_tokens(session: Session, user: User) -> list[dict[str, Any]]:
    return [token_view(t) for t in qt.tokens_of(session, user.id)]


def create_token(session: Session, user: User, *, label: Any = "", expires_in_days: Any = None) -> dict[str, Any]:
    """A new token; the plaintext is in the answer, once."""
    if not isinstance(label, str) or len(label) > MAX_LABEL:
        raise InvalidRequest(f'"label" must be text of at most {MAX_LABEL} characters')
    expires_at = None
    if expires_in_days is not None:
        if (not isinstance(expires_in_days, int) or isinstance(expires_in_days, bool)
                or not 1 <= expires_in_days <= MAX_EXPIRY_DAYS):
            raise InvalidRequest(f'"expires_in_days" must be a whole number from 1 to {MAX_EXPIRY_DAYS}')
        expires_at = utcnow() + timedelta(days=expires_in_days)
    token = issue_token(session, user, label=label, expires_at=expires_at)
    row = qt.tokens_of(session, user.id)[0]
    return {**token_view(row), "token": token}


def revoke_token(session: Session, user: User | None, token_id: int) -> dict[str, Any]:
    """Revoke a token of ``user`` (any user's when ``user`` is None: the administrator's CLI)."""
    row = session.get(ApiToken, token_id)
    if row is None or (user is not None and row.user_id != user.id):
        raise NotFound(f"token {token_id} not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    return token_view(row)


def user_for_address(session: Session, email: str) -> User:
    user = qu.user_by_email(session, email)
    if user is None:
        raise NotFound(f"no account with the address {email!r}")
    return user
