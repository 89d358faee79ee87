"""Submissions are rate-limited per student (Flask-Limiter), so one student cannot flood the queue.

Every way a student submits through the web app counts against one limit: the API's
``POST /api/v1/assignments/<key>/submissions`` and the page's form. Over the limit the answer is
429 with ``Retry-After`` and a message saying how many submissions are allowed and when to try
again; nothing is stored. The limit is ``GRADER_SUBMISSION_RATE`` (Flask-Limiter's notation, e.g.
``30 per minute``; ``;`` joins several). The counters live where the login limits' do
(``rate_limit_storage_url`` when the settings have it), else in the Redis broker's database when
the broker is Redis (every web process shares them), else in memory (the embedded default, one
process). LMS inbound submissions are signed by the LMS and not limited here.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from grader.app import db_session
from grader.config import Settings
from grader.web.request_user import current_user

SUBMIT_ENDPOINTS = ("api.assignments.submit", "student.submit")


def _student_key() -> str:
    try:
        user = current_user()
    except Exception:
        # Flask-Limiter swallows this error and the view goes on with the same session: left
        # unrolled-back after a lost connection, its next query is a PendingRollbackError (a 500)
        db_session().rollback()
        raise
    return f"submit-user:{user.id}" if user is not None else "submit-address:" + (get_remote_address() or "?")


def storage_url(settings: Settings) -> str:
    """Where the counters live (see the module's docstring)."""
    from grader.services.queue import is_redis

    shared = getattr(settings, "rate_limit_storage_url", "")
    if shared and shared != "memory://":
        return str(shared)
    return settings.broker_url if is_redis(settings.broker_url) else "memory://"


def install(app: Flask, settings: Settings) -> Limiter:
    """Attach the submission limiter to ``app``'s submit views (per app: tests build many)."""
    limiter = Limiter(key_func=_student_key, app=app, storage_uri=storage_url(settings), headers_enabled=True,
                      default_limits=[], strategy="moving-window", swallow_errors=True)
    for endpoint in SUBMIT_ENDPOINTS:
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = limiter.limit(
                settings.submission_rate, key_func=_student_key, methods=["POST"],
                error_message=f"too many submissions: at most {settings.submission_rate} per student; "
                              "try again after the number of seconds in Retry-After")(view)

    return limiter
