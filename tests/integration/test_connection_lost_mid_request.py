"""A PostgreSQL connection lost inside a request whose error something swallows.

Flask-Limiter swallows the errors of its key function (the student's id, read from the database)
and the view then goes on with the same session. A connection dropped under that lookup (the
fault test's restart caught it) left the session "inactive due to a previous exception", so the
view's first query raised ``PendingRollbackError``: a 500 for a request that should have been a
202 (the database is back) or a 503 (it is not).
"""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from grader.config import Settings
from grader.db.models import Submission
from grader.db.session import SessionFactory
from grader.web import request_user, submission_limits


def _terminate(url: str, pid: int) -> None:
    """End backend ``pid`` from another connection, as a server restart would."""
    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database,
                         autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_lost_under_the_rate_limiters_lookup_is_not_a_500(
        committed_student: Any, committed_factory: SessionFactory, settings: Settings, pg_url: str,
        monkeypatch: Any) -> None:
    real = request_user.user_from_token
    calls: list[int] = []

    def lookup_on_a_dropped_connection(token: str, session: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # the limiter's key function: its connection dies before the lookup
            _terminate(pg_url, session.scalar(text("SELECT pg_backend_pid()")))
        return real(token, session=session)

    monkeypatch.setattr(request_user, "user_from_token", lookup_on_a_dropped_connection)
    app = committed_student.app
    submission_limits.install(app, settings)  # as grader.bootstrap does: the limiter looks first
    resp = app.test_client().post(
        "/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "2*x"}},
        headers={"Authorization": f"Bearer {committed_student.token}", "Idempotency-Key": "k-lost"})

    assert len(calls) == 2  # the limiter's lookup failed; the view looked the student up again
    assert resp.status_code == 202, resp.get_data(as_text=True)
    with committed_factory() as s:
        assert s.get(Submission, resp.json["id"]) is not None
