"""A tiny CSRF guard for the pages: one random token per login session, checked on every POST.

Forms carry it in a hidden ``csrf_token`` field; ``fetch`` calls send it as ``X-CSRF-Token``
(the page puts it in ``<meta name="csrf-token">``). Compared in constant time.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

SESSION_KEY = "csrf_token"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token() -> str:
    """The session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def check_csrf() -> None:
    """Abort with 400 unless an unsafe request carries the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
        abort(400, description="The form expired or did not come from this site; reload the page and try again.")
