"""The user of the current request, for the API (``Authorization: Bearer``) and the pages (the
Flask session cookie, set by ``login_user``). The adapters' side of ``grader.services.auth``."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask import session as cookie

from grader.app import SESSION_USER_KEY, db_session
from grader.db.models import User
from grader.services.auth import bearer_token, end_sessions, user_from_token

__all__ = ["SESSION_EPOCH_KEY", "SESSION_USER_KEY", "current_user", "login_user", "logout_user"]
SESSION_EPOCH_KEY = "epoch"  # the user's session epoch when the cookie was made


def current_user() -> User | None:
    """The user of the current Flask request: bearer token first, then the login session.

    A request carrying an invalid bearer token is anonymous (no fallback to the cookie).
    Cached on ``flask.g`` for the rest of the request.
    """
    cached: Any = g.get("_grader_user", False)
    if cached is not False:
        return cached
    user: User | None = None
    header = request.headers.get("Authorization")
    if header:
        token = bearer_token(header)
        user = user_from_token(token, session=db_session()) if token else None
    elif SESSION_USER_KEY in cookie:
        user = db_session().get(User, cookie[SESSION_USER_KEY])
        # a deactivated account, or a cookie from before a logout or password change, is anonymous
        if user is not None and (not user.is_active or cookie.get(SESSION_EPOCH_KEY) != user.session_epoch):
            user = None
    g._grader_user = user
    return user


def login_user(user: User) -> None:
    """Remember ``user`` in the Flask session cookie (for the pages)."""
    cookie.clear()
    cookie.permanent = True  # expires after the app's PERMANENT_SESSION_LIFETIME (SESSION_LIFETIME_S)
    cookie[SESSION_USER_KEY] = user.id
    cookie[SESSION_EPOCH_KEY] = user.session_epoch or 0
    g._grader_user = user


def logout_user() -> None:
    """Forget the logged-in user and end their login sessions server-side (a copy of the cookie
    stops working too); the caller commits."""
    user = current_user() if SESSION_USER_KEY in cookie else None
    if user is not None:
        end_sessions(user)
    cookie.clear()
    g._grader_user = None
