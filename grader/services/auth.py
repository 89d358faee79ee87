"""Who is asking: passwords, API tokens (stored as SHA-256 only) and the request's user.

``authenticate`` and ``user_from_token`` take an optional session and otherwise use the current
request's; ``current_user()`` works for both the API (``Authorization: Bearer``) and the pages
(Flask session cookie, set by ``login_user``). Only these request helpers touch Flask, and they
import it lazily so the rest of the service layer stays framework-free.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from grader.db import Session
from grader.db.models import ApiToken, User
from grader.db.queries import users as q

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime

TOKEN_PREFIX = "grd_"
SESSION_USER_KEY = "user_id"
SESSION_EPOCH_KEY = "epoch"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, *, label: str = "", expires_at: "datetime | None" = None) -> str:
    """Create a token for ``user`` (valid until ``expires_at`` when given); the plaintext is
    returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_sha256=hash_token(token), label=label, expires_at=expires_at))
    session.flush()
    return token


def _session(session: Session | None) -> Session:
    if session is not None:
        return session
    from grader.app import db_session

    return db_session()


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(secrets.token_hex(16))


def _spend_a_hash(password: str) -> None:
    """Verify against a throw-away hash, so an unknown email costs as long as a wrong password."""
    from werkzeug.security import check_password_hash

    check_password_hash(_dummy_hash(), password)


def authenticate(email: str, password: str, *, session: Session | None = None) -> User | None:
    """The active user with this email and password, else None (same answer, and about the same
    time, for every failure: an unknown email still pays for one password hash)."""
    user = q.user_by_email(_session(session), email)
    if user is None or not user.password_hash:
        _spend_a_hash(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def user_from_token(token: str, *, session: Session | None = None) -> User | None:
    """The active owner of an unrevoked API token, else None."""
    if not token or len(token) > 200:
        return None
    return q.user_by_token_sha256(_session(session), hash_token(token))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def current_user() -> User | None:
    """The user of the current Flask request: bearer token first, then the login session.

    A request carrying an invalid bearer token is anonymous (no fallback to the cookie).
    Cached on ``flask.g`` for the rest of the request.
    """
    from flask import g, request
    from flask import session as cookie

    cached: Any = g.get("_grader_user", False)
    if cached is not False:
        return cached
    user: User | None = None
    header = request.headers.get("Authorization")
    if header:
        token = bearer_token(header)
        user = user_from_token(token) if token else None
    elif SESSION_USER_KEY in cookie:
        user = _session(None).get(User, cookie[SESSION_USER_KEY])
        # a deactivated account, or a cookie from before a logout or password change, is anonymous
        if user is not None and (not user.is_active or cookie.get(SESSION_EPOCH_KEY) != user.session_epoch):
            user = None
    g._grader_user = user
    return user


def login_user(user: User) -> None:
    """Remember ``user`` in the Flask session cookie (for the pages)."""
    from flask import g
    from flask import session as cookie

    cookie.clear()
    cookie.permanent = True  # expires after the app's PERMANENT_SESSION_LIFETIME (SESSION_LIFETIME_S)
    cookie[SESSION_USER_KEY] = user.id
    cookie[SESSION_EPOCH_KEY] = user.session_epoch or 0
    g._grader_user = user


def logout_user() -> None:
    """Forget the logged-in user and end their login sessions server-side (a copy of the cookie
    stops working too); the caller commits."""
    from flask import g
    from flask import session as cookie

    user = current_user() if SESSION_USER_KEY in cookie else None
    if user is not None:
        user.end_sessions()
    cookie.clear()
    g._grader_user = None
