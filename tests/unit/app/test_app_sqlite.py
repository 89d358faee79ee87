"""The embedded default: the whole API on a migrated SQLite file, no other service."""

from __future__ import annotations

from typing import Any

import pytest

from grader.app import create_app
from grader.config import Settings
from grader.db import SessionFactory
from tests.support.fakes import FakeQueue


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def client(factory: SessionFactory, queue: FakeQueue) -> Any:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=queue, blueprints=[("grader.api", True)])
    return app.test_client()


def test_submit_and_read_back_on_sqlite(client: Any, world: dict, queue: FakeQueue) -> None:
    alice = {"Authorization": f"Bearer {world['alice_token']}", "Idempotency-Key": "one"}
    resp = client.post("/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "2*p - 2*y"}}, headers=alice)
    assert resp.status_code == 202, resp.json
    again = client.post("/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "2*p - 2*y"}}, headers=alice)
    assert again.status_code == 200 and again.json["id"] == resp.json["id"]
    assert queue.grading == [resp.json["id"]]
    body = client.get(resp.headers["Location"], headers=alice).json
    assert body["status"] == "queued" and body["created_at"].endswith("+00:00")
    bob = {"Authorization": f"Bearer {world['bob_token']}"}
    assert client.get(resp.headers["Location"], headers=bob).status_code == 404


def test_the_app_factory_can_be_called_twice(factory: SessionFactory) -> None:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    apps = [create_app(settings, session_factory=factory, queue=FakeQueue(), blueprints=[("grader.api", True)])
            for _ in range(2)]
    assert apps[0] is not apps[1]
    assert {r.rule for r in apps[0].url_map.iter_rules()} == {r.rule for r in apps[1].url_map.iter_rules()}


def test_the_full_app_with_every_registered_blueprint_can_be_built_twice(factory: SessionFactory) -> None:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    first = create_app(settings, session_factory=factory, queue=FakeQueue())
    second = create_app(settings, session_factory=factory, queue=FakeQueue())
    assert {r.rule for r in first.url_map.iter_rules()} == {r.rule for r in second.url_map.iter_rules()}
