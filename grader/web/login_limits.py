"""Failed logins are rate-limited per account and per client address (Flask-Limiter).

Only failed attempts count (a 401 from ``/login``), so a user who logs in now and then never
meets the limit; a guesser meets it whichever account or address they vary. Over the limit the
answer is 429 with ``Retry-After``. Counters live in Redis in production (``RATE_LIMIT_STORAGE_URL``,
by default the broker when it is Redis, so every web process shares them) and in memory in the
embedded default. The limits are ``LOGIN_LIMIT_PER_ACCOUNT`` and ``LOGIN_LIMIT_PER_ADDRESS``
(Flask-Limiter's notation, e.g. ``10 per 15 minutes``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from grader.db.models.courses import normalize_email

LOGIN_ENDPOINT = "auth.login"


def _account_key() -> str:
    """The account a login names (normalised as stored), so case and spaces do not reset it."""
    return "login-account:" + normalize_email(request.form.get("email") or "")


def _address_key() -> str:
    return "login-address:" + (get_remote_address() or "unknown")


def _failed(response: Any) -> bool:
    return bool(response.status_code == 401)


def install(app: Flask, *, per_account: str, per_address: str, storage_url: str) -> Limiter:
    """Attach a limiter to ``app`` and limit POSTs to its login view (per app: tests build many)."""
    limiter = Limiter(key_func=get_remote_address, app=app, storage_uri=storage_url, headers_enabled=True,
                      default_limits=[], strategy="moving-window")
    view: Any = app.view_functions[LOGIN_ENDPOINT]
    view = limiter.limit(per_account, key_func=_account_key, methods=["POST"], deduct_when=_failed,
                         error_message="too many failed logins for this account; try again later")(view)
    view = limiter.limit(per_address, key_func=_address_key, methods=["POST"], deduct_when=_failed,
                         error_message="too many failed logins from this address; try again later")(view)
    app.view_functions[LOGIN_ENDPOINT] = view
    return limiter
