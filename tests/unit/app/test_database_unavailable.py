"""The database unreachable: the API answers 503 with Retry-After, not a 500 (a real refused
connection: a PostgreSQL URL on a loopback port nothing listens on)."""

from __future__ import annotations

import socket
from typing import Any

from grader.app import create_app
from grader.config import Settings
from grader.db import SessionFactory, make_session_factory
from tests.support.fakes import FakeQueue


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # released on close: nothing listens there


def test_an_unreachable_database_is_a_503_with_retry_after(world: dict) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/grader?connect_timeout=2"
    settings = Settings.from_env({}, database_url=url, secret_key="k", testing=True)
    app = create_app(settings, session_factory=make_session_factory(url), queue=FakeQueue(),
                     blueprints=[("grader.api", True)])
    resp = app.test_client().post("/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "x"}},
                                  headers={"Authorization": f"Bearer {world['alice_token']}"})
    assert resp.status_code == 503, resp.get_data(as_text=True)
    assert resp.headers["Retry-After"] == "5"
    assert "unavailable" in resp.json["error"] and "Traceback" not in resp.get_data(as_text=True)


def test_other_database_errors_stay_500s(factory: SessionFactory, world: dict, monkeypatch: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    from grader.api import assignments

    def broken(*_a: Any, **_k: Any) -> Any:
        raise IntegrityError("INSERT", {}, Exception("a bug, not an outage"))

    monkeypatch.setattr(assignments, "submit_answers_once", broken)
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=FakeQueue(), blueprints=[("grader.api", True)])
    resp = app.test_client().post("/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "x"}},
                                  headers={"Authorization": f"Bearer {world['alice_token']}"})
    assert resp.status_code == 500 and "Retry-After" not in resp.headers
