"""Submissions are rate-limited per student (grader.web.submission_limits): 429 with Retry-After
and a clear message, nothing stored, other students unaffected; the limit is configurable."""

from __future__ import annotations

from typing import Any

import pytest

from grader.bootstrap import Wiring, build_app
from grader.config import Settings
from grader.db import SessionFactory
from grader.db.models import Submission
from tests.support.fakes import FakeQueue

URL = "/api/v1/assignments/hw1/submissions"


def _client(factory: SessionFactory, **env: str) -> Any:
    settings = Settings.from_env(env, database_url="sqlite://", secret_key="k", testing=True)
    wiring = Wiring(settings, session_factory_override=factory, queue_override=FakeQueue())
    return build_app(wiring, blueprints=[("grader.api", True)]).test_client()


def _post(client: Any, world: dict, who: str) -> Any:
    return client.post(URL, json={"answers": {"q1": "x"}}, headers={"Authorization": f"Bearer {world[who + '_token']}"})


def test_a_student_over_the_limit_gets_429_with_retry_after(factory: SessionFactory, world: dict,
                                                            session: Any) -> None:
    client = _client(factory, GRADER_SUBMISSION_RATE="2 per 20 seconds")
    assert [_post(client, world, "alice").status_code for _ in range(2)] == [202, 202]
    refused = _post(client, world, "alice")
    assert refused.status_code == 429
    assert "too many submissions: at most 2 per 20 seconds per student" in refused.json["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert session.query(Submission).count() == 2  # the refused one was not stored
    assert _post(client, world, "bob").status_code == 202  # another student is not held back


def test_the_default_limit_lets_a_student_resubmit_often(factory: SessionFactory, world: dict) -> None:
    client = _client(factory)
    assert Settings.from_env({}, secret_key="k").submission_rate == "30 per minute"
    assert {_post(client, world, "alice").status_code for _ in range(10)} == {202}


def test_a_malformed_limit_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="GRADER_SUBMISSION_RATE"):
        Settings.from_env({"GRADER_SUBMISSION_RATE": "lots"}, secret_key="k")
