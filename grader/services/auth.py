"""Who is asking: passwords (salted hashes), API tokens (stored as SHA-256 only).

Framework-free: the request's user (bearer token or login cookie) is found by the adapters'
``grader.web.request_user``, which calls ``user_from_token`` with the request's session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from cachetools.func import lru_cache

from grader.db import Session
from grader.db.models import ApiToken, User
from grader.db.queries import users as q

TOKEN_PREFIX = "grd_"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, *, label: str = "", expires_at: datetime | None = None) -> str:
    """Create a token for ``user`` (valid until ``expires_at`` when given); the plaintext is
    returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_sha256=hash_token(token), label=label, expires_at=expires_at))
    session.flush()
    return token


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """A salted hash to store (werkzeug's default scrypt), never the password itself."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def password_matches(user: User, password: str) -> bool:
    """True when ``password`` matches the user's stored hash."""
    from werkzeug.security import check_password_hash

    return bool(user.password_hash) and check_password_hash(user.password_hash or "", password)


def set_password(user: User, password: str) -> None:
    """Give ``user`` a new password (stored hashed); every login session made with the old
    password ends."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Make every login cookie issued to ``user`` so far invalid (logout, password change): the
    cookies carry the epoch they were made in (``grader.web.request_user``)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def _spend_a_hash(password: str) -> None:
    """Verify against a throw-away hash, so an unknown email costs as long as a wrong password."""
    from werkzeug.security import check_password_hash

    check_password_hash(_dummy_hash(), password)


def authenticate(email: str, password: str, *, session: Session) -> User | None:
    """The active user with this email and password, else None (same answer, and about the same
    time, for every failure: an unknown email still pays for one password hash)."""
    user = q.user_by_email(session, email)
    if user is None or not user.password_hash:
        _spend_a_hash(password)
        return None
    if not password_matches(user, password) or not user.is_active:
        return None
    return user


def user_from_token(token: str, *, session: Session) -> User | None:
    """The active owner of an unrevoked, unexpired API token, else None."""
    if not token or len(token) > 200:
        return None
    return q.user_by_token_sha256(session, hash_token(token))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
