"""Outbound events: body, classification of responses, back-off, one attempt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest

from grader.lms_protocol.signatures import generate_secret, verify
from grader.lms_protocol.webhooks import (
    MAX_ATTEMPTS, RETRY_SCHEDULE_S, GradedEvent, Outcome, QuestionPoints, classify, event_body,
    new_event_id, retry_delay_s, send_once,
)

WHEN = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc)
EVENT = GradedEvent(assignment_id=3, assignment_key="hw1", submission_id=42, student_id=7,
                    student_lms_id="lms-7", score=1.5, max_score=2.0, graded_at=WHEN,
                    questions=(QuestionPoints("q1", 1.0, 1.0, "correct"), QuestionPoints("q2", 0.5, 1.0, "incorrect")))


@pytest.mark.parametrize(("code", "outcome"), [
    (200, Outcome.DELIVERED), (204, Outcome.DELIVERED), (299, Outcome.DELIVERED),
    (400, Outcome.GIVE_UP), (401, Outcome.GIVE_UP), (404, Outcome.GIVE_UP), (413, Outcome.GIVE_UP),
    (408, Outcome.RETRY), (429, Outcome.RETRY), (500, Outcome.RETRY), (503, Outcome.RETRY),
    (301, Outcome.RETRY), (None, Outcome.RETRY), (410, Outcome.DISABLE),
])
def test_responses_are_classified(code: int | None, outcome: Outcome) -> None:
    assert classify(code) is outcome


def test_the_back_off_grows_and_spans_hours() -> None:
    delays = [retry_delay_s(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays == list(RETRY_SCHEDULE_S) and delays == sorted(delays)
    assert sum(delays) > 20 * 3600
    assert retry_delay_s(MAX_ATTEMPTS) is None


def test_the_body_carries_every_field_of_the_event() -> None:
    event_id = new_event_id()
    body = json.loads(event_body(event_id, "submission.graded", EVENT, created_at=WHEN))
    assert body["id"] == event_id and body["type"] == "submission.graded"
    data = body["data"]
    assert data["assignment_id"] == 3 and data["submission_id"] == 42 and data["student_lms_id"] == "lms-7"
    assert data["score"] == 1.5 and data["max_score"] == 2.0 and data["graded_at"] == WHEN.isoformat()
    assert data["questions"][1] == {"question_id": "q2", "points": 0.5, "max_points": 1.0, "verdict": "incorrect"}


def test_an_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError):
        event_body("msg_1", "submission.deleted", EVENT, created_at=WHEN)


def test_event_ids_are_unique() -> None:
    assert len({new_event_id() for _ in range(100)}) == 100


@dataclass
class FakeResponse:
    status_code: int


class FakeHttp:
    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def post(self, url: str, **kwargs: Any) -> FakeResponse:
        self.calls.append({"url": url, **kwargs})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(answer)


def test_one_attempt_sends_a_signed_body_without_following_redirects() -> None:
    secret, http = generate_secret(), FakeHttp(204)
    result = send_once(http, "https://example.test/hook", secret, "msg_1", '{"a":1}', timestamp=1_700_000_000)
    assert result.outcome is Outcome.DELIVERED and result.status_code == 204 and result.error == ""
    call = http.calls[0]
    assert call["allow_redirects"] is False and call["data"] == b'{"a":1}'
    assert verify(secret, call["headers"], call["data"], now=1_700_000_000) == "msg_1"


def test_a_network_error_is_retried_not_raised() -> None:
    result = send_once(FakeHttp(ConnectionError("refused")), "https://x.test", generate_secret(), "m", "{}")
    assert result.outcome is Outcome.RETRY and result.status_code is None and "refused" in result.error
