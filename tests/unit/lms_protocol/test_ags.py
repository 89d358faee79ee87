"""AGS score payloads, client assertions, the token cache and one score post."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import jwt
import pytest

from grader.lms_protocol.ags import (
    SCORE_CONTENT_TYPE, SCORE_SCOPE, PlatformAuth, TokenCache, client_assertion, publish_score, score_payload,
    scores_url,
)
from grader.lms_protocol.jwks import ToolKey, jwks_document
from grader.lms_protocol.webhooks import Outcome

WHEN = datetime(2026, 11, 26, 17, 0, 1, 234000, tzinfo=timezone.utc)
AUTH = PlatformAuth(client_id="client-1", token_url="https://lms.test/token")


@pytest.fixture(scope="module")
def key() -> ToolKey:
    return ToolKey.generate()


def test_a_fully_graded_score_has_every_required_field() -> None:
    assert score_payload("u1", 3.0, 4.0, timestamp=WHEN) == {
        "userId": "u1", "scoreGiven": 3.0, "scoreMaximum": 4.0, "activityProgress": "Completed",
        "gradingProgress": "FullyGraded", "timestamp": "2026-11-26T17:00:01.234+00:00",
    }


def test_a_score_waiting_for_manual_grading_is_pending_manual() -> None:
    assert score_payload("u1", 1, 4, timestamp=WHEN, pending_manual=True)["gradingProgress"] == "PendingManual"


def test_a_naive_timestamp_is_refused() -> None:
    with pytest.raises(ValueError):
        score_payload("u1", 1, 1, timestamp=datetime(2026, 1, 1))


@pytest.mark.parametrize(("lineitem", "expected"), [
    ("https://lms.test/li/1", "https://lms.test/li/1/scores"),
    ("https://lms.test/li/1/", "https://lms.test/li/1/scores"),
    ("https://lms.test/li/1?type_id=2", "https://lms.test/li/1/scores?type_id=2"),
])
def test_the_scores_url_is_under_the_line_item(lineitem: str, expected: str) -> None:
    assert scores_url(lineitem) == expected


def test_the_client_assertion_verifies_with_the_published_key(key: ToolKey) -> None:
    token = client_assertion(key, AUTH, now=1_700_000_000)
    jwk = jwks_document([key])["keys"][0]
    assert jwt.get_unverified_header(token)["kid"] == key.kid == jwk["kid"]
    claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["RS256"], audience=AUTH.token_url,
                        options={"verify_exp": False})
    assert claims["iss"] == claims["sub"] == "client-1"
    assert claims["exp"] - claims["iat"] == 300 and claims["jti"]
    assert client_assertion(key, AUTH)[-20:] != token[-20:]


def test_the_token_cache_keeps_a_token_until_shortly_before_expiry() -> None:
    cache = TokenCache(margin_s=30)
    cache.put(AUTH, SCORE_SCOPE, "tok", expires_at=1000.0)
    assert cache.get(AUTH, SCORE_SCOPE, now=900.0) == "tok"
    assert cache.get(AUTH, SCORE_SCOPE, now=975.0) is None
    cache.forget(AUTH, SCORE_SCOPE)
    assert cache.get(AUTH, SCORE_SCOPE, now=0.0) is None


class FakeResponse:
    def __init__(self, status_code: int, body: Any = None) -> None:
        self.status_code = status_code
        self._body = body

    def json(self) -> Any:
        return self._body


class FakePlatform:
    def __init__(self, *score_codes: int) -> None:
        self.score_codes = list(score_codes)
        self.token_requests = 0
        self.scores: list[dict[str, Any]] = []

    def post(self, url: str, **kwargs: Any) -> FakeResponse:
        if url == AUTH.token_url:
            self.token_requests += 1
            return FakeResponse(200, {"access_token": f"t{self.token_requests}", "expires_in": 3600})
        self.scores.append({"url": url, **kwargs})
        return FakeResponse(self.score_codes.pop(0))


def test_a_score_is_posted_with_a_bearer_token_and_the_score_content_type(key: ToolKey) -> None:
    platform, cache = FakePlatform(200, 200), TokenCache()
    payload = score_payload("u1", 1, 2, timestamp=WHEN)
    assert publish_score(platform, AUTH, key, cache, "https://lms.test/li/1", payload).outcome is Outcome.DELIVERED
    assert publish_score(platform, AUTH, key, cache, "https://lms.test/li/1", payload).outcome is Outcome.DELIVERED
    assert platform.token_requests == 1  # cached
    sent = platform.scores[0]
    assert sent["url"] == "https://lms.test/li/1/scores" and sent["json"] == payload
    assert sent["headers"] == {"Authorization": "Bearer t1", "Content-Type": SCORE_CONTENT_TYPE}
    json.dumps(sent["json"])


def test_409_counts_as_done_and_401_drops_the_token(key: ToolKey) -> None:
    platform, cache = FakePlatform(409, 401, 200), TokenCache()
    payload = score_payload("u1", 1, 2, timestamp=WHEN)
    assert publish_score(platform, AUTH, key, cache, "https://lms.test/li", payload).outcome is Outcome.DELIVERED
    assert publish_score(platform, AUTH, key, cache, "https://lms.test/li", payload).outcome is Outcome.RETRY
    assert publish_score(platform, AUTH, key, cache, "https://lms.test/li", payload).outcome is Outcome.DELIVERED
    assert platform.token_requests == 2


@pytest.mark.parametrize(("code", "outcome"), [(500, Outcome.RETRY), (400, Outcome.GIVE_UP), (404, Outcome.GIVE_UP)])
def test_other_score_answers_follow_the_webhook_rules(key: ToolKey, code: int, outcome: Outcome) -> None:
    payload = score_payload("u1", 1, 2, timestamp=WHEN)
    assert publish_score(FakePlatform(code), AUTH, key, TokenCache(), "https://lms.test/li", payload).outcome is outcome
