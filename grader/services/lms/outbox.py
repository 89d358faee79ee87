"""One attempt of a stored webhook delivery or score post, recorded on its row.

The row is locked for the attempt (a second worker skips it), an attempt that is not due yet
or whose row is finished does nothing, so a task delivered twice never sends twice at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from grader.db.queries import lms as q
from grader.db.base import utcnow
from grader.db.models.lms import ScorePost, WebhookDelivery
from grader.db.session import Session
from grader.lms_protocol.ags import PlatformAuth, TokenCache, publish_score
from grader.services.lms.tool_keys import current_key
from grader.lms_protocol.webhooks import RETRY_SCHEDULE_S, AttemptResult, HttpClient, Outcome, send_once

_STATUS = {Outcome.DELIVERED: "delivered", Outcome.GIVE_UP: "failed", Outcome.DISABLE: "disabled"}


def _record(row: WebhookDelivery | ScorePost, result: AttemptResult, now: datetime,
            schedule: Sequence[float]) -> Outcome:
    """Write an attempt's result on the row; decide the next attempt time or the final status."""
    row.attempts += 1
    row.last_status_code = result.status_code
    row.last_error = result.error
    row.last_attempt_at = now
    outcome = result.outcome
    if outcome is Outcome.RETRY and row.attempts > len(schedule):
        outcome = Outcome.GIVE_UP
        row.last_error = (result.error + " (out of attempts)").strip()
    if outcome is Outcome.RETRY:
        row.next_attempt_at = now + timedelta(seconds=schedule[row.attempts - 1])
    else:
        row.status = _STATUS[outcome]
        row.next_attempt_at = None
        if outcome is Outcome.DELIVERED:
            row.delivered_at = now
    return outcome


def _claim(session: Session, model: type, row_id: int, now: datetime):  # type: ignore[no-untyped-def]
    row = q.locked(session, model, row_id)
    if row is None or row.status != "pending":
        return None
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        return None
    return row


def deliver_webhook(session: Session, delivery_id: int, *, http: HttpClient, now: datetime | None = None,
                    schedule: Sequence[float] = RETRY_SCHEDULE_S) -> tuple[Outcome, datetime | None] | None:
    """Attempt one due delivery; returns (outcome, next attempt time) or None when nothing was due."""
    now = now or utcnow()
    row: WebhookDelivery | None = _claim(session, WebhookDelivery, delivery_id, now)
    if row is None:
        return None
    endpoint = row.endpoint
    if not endpoint.active:
        row.status, row.next_attempt_at = "disabled", None
        row.last_error = f"endpoint disabled: {endpoint.disabled_reason}".strip(": ")
        return Outcome.DISABLE, None
    result = send_once(http, endpoint.url, endpoint.secret, row.event_id, row.payload,
                       timestamp=int(now.timestamp()))
    outcome = _record(row, result, now, schedule)
    if outcome is Outcome.DISABLE:
        q.disable_endpoint(session, endpoint.id, f"HTTP 410 at {now.isoformat()}")
    return outcome, row.next_attempt_at


def post_score(session: Session, score_post_id: int, *, http: HttpClient, cache: TokenCache,
               now: datetime | None = None, schedule: Sequence[float] = RETRY_SCHEDULE_S
               ) -> tuple[Outcome, datetime | None] | None:
    """Attempt one due score post (same payload, same timestamp, every time)."""
    now = now or utcnow()
    row: ScorePost | None = _claim(session, ScorePost, score_post_id, now)
    if row is None:
        return None
    platform = row.platform
    auth = PlatformAuth(client_id=platform.client_id, token_url=platform.token_url)
    result = publish_score(http, auth, current_key(session), cache, row.lineitem_url, row.payload)
    return _record(row, result, now, schedule), row.next_attempt_at


def redeliver(session: Session, delivery_id: int, *, now: datetime | None = None) -> bool:
    """An instructor's "redeliver": the same event (same webhook-id and body) again, from attempt 1."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None or not row.endpoint.active:
        return False
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now or utcnow()
    row.delivered_at = None
    return True
