"""The Flask application factory. Nothing is built at import time.

Blueprints come from ``BLUEPRINTS``: each entry names a module exposing ``bp`` (a Blueprint) or
``register(app)``. Optional entries are registered only when their module exists, so the pages
(``grader.web``) and LMS endpoints (``grader.web.lms``) plug in without editing this file.
``grader.bootstrap`` is the composition root that calls ``create_app``; nothing here reads the
environment.

Request helpers shared by the API and the pages: ``db_session()`` (one SQLAlchemy session per
request, closed at teardown), ``settings()`` and ``queue()`` (where grading tasks are sent).
"""

from __future__ import annotations

import hmac
import importlib
import importlib.util
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Sequence

from flask import Flask, current_app, g, jsonify, request
from flask import session as login_cookie
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from grader.config import Settings
from grader.db.base import utcnow
from grader.security.headers import install as install_security_headers

if TYPE_CHECKING:  # pragma: no cover
    from grader.db import Session, SessionFactory
    from grader.security.secret_box import KeyRing
    from grader.services.queue import GradingQueue

log = logging.getLogger(__name__)

# (module, required): the module exposes ``bp`` or ``register(app)``.
BLUEPRINTS: list[tuple[str, bool]] = [
    ("grader.api", True),
    ("grader.web", False),
    ("grader.web.lms", False),
]
API_PREFIX = "/api/"
DB_RETRY_AFTER_S = 5  # what a 503 for an unreachable database asks the client to wait
SESSION_USER_KEY = "user_id"  # the login cookie's user id (``grader.web.request_user``)
MAX_DB_ID = 2**31 - 1  # PostgreSQL INTEGER: a larger id in a URL cannot exist (and would be a 500)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested deeper than the decoder's recursion limit is invalid JSON
    (a ValueError: ``get_json`` answers 400, or None when silent) instead of a RecursionError."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON body is nested too deeply") from None


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative integer that fits a database id, else 404."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_DB_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


@dataclass
class GraderState:
    """What ``create_app`` attaches to ``app.extensions["grader"]``."""

    settings: Settings
    session_factory: "SessionFactory"
    queue: "GradingQueue"
    clock: Callable[[], datetime] = utcnow   # deadlines are compared with it (bootstrap wires one)


def create_app(
    settings: Settings,
    *,
    session_factory: "SessionFactory | None" = None,
    queue: "GradingQueue | None" = None,
    blueprints: Sequence[tuple[str, bool]] | None = None,
    key_ring: "KeyRing | None" = None,
    clock: Callable[[], datetime] | None = None,
) -> Flask:
    """Build the app from ``settings`` (``grader.bootstrap.build_app`` reads them from the
    environment and passes the wired parts): database, queue, the key ring of secrets at rest,
    blueprints (``BLUEPRINTS`` unless a narrower list is given, e.g. only the API in its tests).

    Refuses (``WeakSecretKey``) a missing, short or published ``SECRET_KEY`` outside the embedded
    default and testing. Without ``key_ring`` the ring of ``settings`` is built and installed."""
    from grader.db.session import DatabaseError, make_session_factory
    from grader.services.queue import CeleryQueue

    _secure_secrets(settings, key_ring)
    app = Flask("grader", static_folder=None)
    app.json = JSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=settings.session_lifetime_s,  # the signed cookie's max age, checked on load
        TESTING=settings.testing,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if settings.trusted_proxies:  # behind TLS-terminating proxies: public scheme, host and client address
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)  # type: ignore[method-assign]
    app.url_map.converters["int"] = DatabaseIdConverter
    app.extensions["grader"] = GraderState(
        settings=settings,
        session_factory=session_factory or make_session_factory(settings.database_url),
        queue=queue or CeleryQueue(settings),
        clock=clock or utcnow,
    )
    app.before_request(_refuse_nul_characters)
    app.before_request(_csrf_for_cookie_logins)
    app.teardown_appcontext(_close_session)
    install_security_headers(app, frame_ancestors=settings.frame_ancestors)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.register_error_handler(DatabaseError, _database_error)
    _register_blueprints(app, BLUEPRINTS if blueprints is None else blueprints)
    return app


def _secure_secrets(settings: Settings, key_ring: "KeyRing | None") -> None:
    """Refuse a weak SECRET_KEY outside the embedded default; install the at-rest key ring (the
    wired one, else the one of ``settings``)."""
    from grader.security import secret_box, secret_policy

    secret_policy.check_secret_key(settings.secret_key, embedded=settings.is_sqlite, testing=settings.testing)
    secret_box.install(key_ring or secret_box.ring_for(settings.encryption_keys, settings.secret_key))


def _csrf_for_cookie_logins() -> Any:
    """An unsafe ``/api/`` request authenticated by the login cookie must carry the page's CSRF token.

    The cookie is ``SameSite=None`` on HTTPS (for the LMS iframe), so any site could otherwise post
    to the API in a user's name: rotate secrets, redeliver events, start a regrade (bodiless POSTs
    need no JSON content type). Bearer tokens and the signed inbound webhook are not
    cookie-authenticated and need none; the pages' own forms are checked by ``grader.web.csrf``.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith("/api/"):
        return None
    if request.headers.get("Authorization") or SESSION_USER_KEY not in login_cookie:
        return None
    expected = login_cookie.get("csrf_token")
    sent = request.headers.get("X-CSRF-Token") or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
        return jsonify(error="missing or wrong X-CSRF-Token header (send the page's csrf-token)"), 403
    return None


def _register_blueprints(app: Flask, entries: Sequence[tuple[str, bool]]) -> None:
    for module_name, required in entries:
        if not required and importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, "register"):
            module.register(app)
        elif hasattr(module, "bp"):
            app.register_blueprint(module.bp)
        elif required:
            raise RuntimeError(f"{module_name} exposes neither bp nor register(app)")


def state() -> GraderState:
    """The current app's ``GraderState``."""
    return current_app.extensions["grader"]


def settings() -> Settings:
    """The current app's settings."""
    return state().settings


def queue() -> "GradingQueue":
    """Where the current app sends grading work."""
    return state().queue


def now() -> datetime:
    """The current time by the app's clock (timezone-aware)."""
    return state().clock()


def db_session() -> "Session":
    """The request's database session (created on first use, closed at teardown)."""
    session = g.get("_grader_db")
    if session is None:
        session = state().session_factory()
        g._grader_db = session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("_grader_db", None)
    if session is not None:
        session.close()


def _has_nul(values: Any) -> bool:
    # a multipart part without a name is the key None (werkzeug): a 500 here before
    return any("\x00" in (key or "") or any("\x00" in (v or "") for v in values.getlist(key)) for key in values)


def _refuse_nul_characters() -> None:
    """400 for a NUL character in the path, the query or a form: PostgreSQL text cannot hold one,
    so a lookup with it would be a 500 (JSON bodies are checked where their strings are used)."""
    from flask import abort

    if "\x00" in request.path or _has_nul(request.args):
        abort(400, description="NUL characters are not allowed in the URL")
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and _has_nul(request.form):
        abort(400, description="NUL characters are not allowed in form fields")


def _wants_json() -> bool:
    return request.path.startswith(API_PREFIX)


def _http_error(exc: HTTPException) -> Any:
    """JSON ``{"error": ...}`` under /api/, Flask's own page elsewhere."""
    if not _wants_json():
        return exc
    message = exc.description or exc.name
    if exc.code == 413:
        message = f"request body too large (limit {settings().max_request_bytes} bytes)"
    response = jsonify(error=message)
    response.status_code = exc.code or 500
    for name in ("Allow", "WWW-Authenticate"):
        if exc.get_response().headers.get(name):
            response.headers[name] = exc.get_response().headers[name]
    return response


def _database_error(exc: Exception) -> Any:
    """The database unreachable (a restart, a lost connection): 503 with ``Retry-After``, nothing
    written; any other database error is a bug (500)."""
    from grader.db.availability import is_unavailable

    if not is_unavailable(exc):
        return _unexpected_error(exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                str(getattr(exc, "orig", exc)).strip().splitlines()[:1])
    message = "the database is unavailable; nothing was saved, try again shortly"
    body = jsonify(error=message) if _wants_json() else message
    return body, 503, {"Retry-After": str(DB_RETRY_AFTER_S)}


def _unexpected_error(exc: Exception) -> Any:
    """Log a bug; answer 500 without a traceback."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    if _wants_json():
        return jsonify(error="internal server error"), 500
    return "Internal Server Error", 500
