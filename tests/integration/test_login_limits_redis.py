"""Login limits in production keep their counters in Redis: two web processes (two apps here)
share them, so spreading guesses over gunicorn workers does not multiply the allowance."""

from __future__ import annotations

import os
import re
import secrets
from typing import Any

import pytest

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("GRADER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _attempt(client: Any, email: str) -> int:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return int(client.post("/login", data={"email": email, "password": "wrong", "csrf_token": token}).status_code)


def test_two_web_processes_share_the_failed_login_count(settings, db_factory, queue) -> None:  # type: ignore[no-untyped-def]
    from grader.app import create_app

    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as exc:  # pragma: no cover - no server
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    limited = settings.replace(rate_limit_storage_url=REDIS_URL, login_limit_per_account="4 per 15 minutes")
    first, second = (create_app(limited, session_factory=db_factory, queue=queue).test_client() for _ in range(2))
    email = f"target-{secrets.token_hex(6)}@example.com"  # fresh counters on every run
    assert [_attempt(first, email), _attempt(second, email), _attempt(first, email), _attempt(second, email)] == [401] * 4
    assert _attempt(first, email) == 429 and _attempt(second, email) == 429
