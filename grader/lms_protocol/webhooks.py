"""Outbound webhook events (``submission.graded`` / ``submission.regraded``) and the rules of
one delivery attempt: what the body is, how a response is classified, when to try again.

The body is built once and stored; every attempt sends the same bytes under the same
``webhook-id`` (receivers drop duplicates by it) with a fresh ``webhook-timestamp``.

>>> classify(204), classify(429), classify(404), classify(410), classify(None)
(<Outcome.DELIVERED: 'delivered'>, <Outcome.RETRY: 'retry'>, <Outcome.GIVE_UP: 'give_up'>, \
<Outcome.DISABLE: 'disable'>, <Outcome.RETRY: 'retry'>)
>>> [retry_delay_s(n) for n in (1, 2, 8)]
[5, 300, None]
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from grader.lms_protocol.signatures import sign_headers
from grader.security.egress import EgressRefused

EVENT_GRADED = "submission.graded"
EVENT_REGRADED = "submission.regraded"
EVENT_TYPES = (EVENT_GRADED, EVENT_REGRADED)

# Seconds to wait after the n-th failed attempt (Standard Webhooks' suggested schedule):
# 8 attempts spread over about 28 hours.
RETRY_SCHEDULE_S: tuple[int, ...] = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS = len(RETRY_SCHEDULE_S) + 1
TIMEOUT_S = 10.0
USER_AGENT = "grader-webhooks/1"


class Outcome(str, Enum):
    """What one attempt's response means for the delivery."""

    DELIVERED = "delivered"
    RETRY = "retry"
    GIVE_UP = "give_up"
    DISABLE = "disable"


@dataclass(frozen=True)
class QuestionPoints:
    """Points of one question in an event."""

    question_id: str
    points: float
    max_points: float
    verdict: str


@dataclass(frozen=True)
class GradedEvent:
    """What a ``submission.graded`` / ``submission.regraded`` event says."""

    assignment_id: int
    assignment_key: str
    submission_id: int
    student_id: int
    student_lms_id: str | None
    score: float
    max_score: float
    graded_at: datetime
    questions: tuple[QuestionPoints, ...] = field(default_factory=tuple)

    def data(self) -> dict[str, Any]:
        """The event's ``data`` object."""
        out = asdict(self)
        out["graded_at"] = self.graded_at.isoformat()
        out["questions"] = [asdict(q) for q in self.questions]
        return out


def new_event_id() -> str:
    """A fresh event id, used as ``webhook-id`` (``msg_`` + 24 random url-safe characters)."""
    return "msg_" + secrets.token_urlsafe(18)


def event_body(event_id: str, event_type: str, event: GradedEvent, *, created_at: datetime) -> str:
    """The JSON body (Standard Webhooks' ``type``/``timestamp``/``data`` envelope plus ``id``)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    envelope = {
        "id": event_id,
        "type": event_type,
        "timestamp": created_at.isoformat(),
        "data": event.data(),
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"))


def classify(status_code: int | None) -> Outcome:
    """2xx delivered; 410 disables the endpoint; other 4xx but 408/429 give up; else retry."""
    if status_code is None:
        return Outcome.RETRY
    if 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code == 410:
        return Outcome.DISABLE
    if 400 <= status_code < 500 and status_code not in (408, 429):
        return Outcome.GIVE_UP
    return Outcome.RETRY


def retry_delay_s(attempts: int) -> int | None:
    """Seconds before the next attempt after ``attempts`` failures, or None when out of tries."""
    if attempts < 1 or attempts > len(RETRY_SCHEDULE_S):
        return None
    return RETRY_SCHEDULE_S[attempts - 1]


class Response(Protocol):
    """The part of a ``requests.Response`` we read."""

    status_code: int


class HttpClient(Protocol):
    """The part of ``requests.Session`` we call (a fake in unit tests)."""

    def post(self, url: str, **kwargs: Any) -> Response: ...


@dataclass(frozen=True)
class AttemptResult:
    """One attempt: the status code (None on a network error), the error text and the outcome."""

    status_code: int | None
    error: str
    outcome: Outcome


def send_once(
    http: HttpClient, url: str, secret: str, event_id: str, body: str, *, timestamp: int | None = None
) -> AttemptResult:
    """POST ``body`` signed with ``secret`` under ``event_id``; never raises for HTTP failures."""
    raw = body.encode("utf-8")
    headers = sign_headers(secret, event_id, raw, timestamp=timestamp)
    headers.update({"content-type": "application/json", "user-agent": USER_AGENT})
    try:
        response = http.post(url, data=raw, headers=headers, timeout=TIMEOUT_S, allow_redirects=False)
    except EgressRefused as exc:  # an internal address: trying again later would not change that
        return AttemptResult(None, f"refused: {exc}"[:500], Outcome.GIVE_UP)
    except Exception as exc:  # requests' ConnectionError, Timeout, ...: all retried
        return AttemptResult(None, f"{type(exc).__name__}: {exc}"[:500], Outcome.RETRY)
    outcome = classify(response.status_code)
    error = "" if outcome is Outcome.DELIVERED else f"HTTP {response.status_code}"
    return AttemptResult(response.status_code, error, outcome)
