"""User-caused errors reach the API as clear 4xx JSON messages, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from grader.app import create_app
from grader.config import Settings
from grader.db import SessionFactory
from tests.unit.service.test_service_app_sqlite import FakeQueue


@pytest.fixture
def client(factory: SessionFactory) -> Any:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=FakeQueue(), blueprints=[("grader.api", True)])
    return app.test_client()


def auth(world: dict, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world[who + '_token']}"}


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"answer": ' + "[" * 50_000 + "]" * 50_000 + "}"])
def test_a_deeply_nested_json_body_is_a_400(client: Any, world: dict, body: str) -> None:
    headers = {**auth(world, "alice"), "Content-Type": "application/json"}
    for url in ("/api/v1/validate", "/api/v1/assignments/hw1/submissions"):
        resp = client.post(url, data=body, headers=headers)
        assert resp.status_code == 400, resp.get_data(as_text=True)
        assert "nested too deeply" in resp.json["error"]
