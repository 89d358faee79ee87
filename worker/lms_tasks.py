"""Celery tasks of the LMS integration: deliver one webhook, post one score, sweep what is due.

Each task takes a row id and lets ``grader.lms.outbox`` decide from the database whether anything
is due, so a duplicate or late task does nothing. Short waits are scheduled with a countdown;
waits longer than ``MAX_COUNTDOWN_S`` (hours, late in the back-off) are left to ``sweep_lms``
run by beat, because an ETA longer than Redis' visibility timeout gets redelivered.
``GRADER_LMS_RETRY_SCALE`` (default 1) multiplies the back-off schedule (tests shrink it).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any


from grader.config import Settings
from grader.db.base import utcnow
from grader.db.session import session_scope
from grader.lms import outbox
from grader.lms.ags import TokenCache
from grader.lms.notify import TASK_DELIVER, TASK_POST_SCORE, enqueue, sweep_due
from grader.lms.webhooks_out import RETRY_SCHEDULE_S, Outcome
from worker.celery_app import app

log = logging.getLogger(__name__)

TASK_SWEEP_LMS = "worker.lms_tasks.sweep_lms"
MAX_COUNTDOWN_S = 600.0
SWEEP_GRACE = timedelta(seconds=30)
_state: dict[str, Any] = {}
_RETRY_DB = {"autoretry_for": (Exception,), "retry_backoff": 1, "retry_backoff_max": 30, "max_retries": 5}


def _factory() -> Any:
    if _state.get("pid") != os.getpid():  # a forked child builds its own engine and HTTP session
        from grader.db.session import make_session_factory

        from grader.security.egress import EgressPolicy
        from grader.security.egress_http import guarded_session

        settings = Settings.from_env()
        _state.clear()
        _state.update(pid=os.getpid(), factory=make_session_factory(settings.database_url),
                      http=guarded_session(EgressPolicy(allowed_hosts=settings.webhook_allowed_hosts)),
                      tokens=TokenCache())
    return _state["factory"]


def _schedule() -> tuple[float, ...]:
    scale = float(os.environ.get("GRADER_LMS_RETRY_SCALE", "1") or 1)
    return tuple(s * scale for s in RETRY_SCHEDULE_S)


def _follow_up(task: Any, row_id: int, result: tuple[Outcome, datetime | None] | None) -> str:
    if result is None:
        return "not due"
    outcome, next_at = result
    if outcome is Outcome.RETRY and next_at is not None:
        wait = max(0.0, (next_at - utcnow()).total_seconds())
        if wait <= MAX_COUNTDOWN_S:
            task.apply_async(args=[row_id], countdown=wait)
    return outcome.value


@app.task(name=TASK_DELIVER, **_RETRY_DB)
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery if it is due; schedule the next attempt when it failed."""
    factory = _factory()
    with session_scope(factory) as session:
        result = outbox.deliver_webhook(session, delivery_id, http=_state["http"], schedule=_schedule())
    return _follow_up(deliver_webhook, delivery_id, result)


@app.task(name=TASK_POST_SCORE, **_RETRY_DB)
def post_score(score_post_id: int) -> str:
    """Attempt one AGS score post if it is due (same payload and timestamp every time)."""
    factory = _factory()
    with session_scope(factory) as session:
        result = outbox.post_score(session, score_post_id, http=_state["http"], cache=_state["tokens"],
                                   schedule=_schedule())
    return _follow_up(post_score, score_post_id, result)


@app.task(name=TASK_SWEEP_LMS)
def sweep_lms() -> int:
    """Send the tasks of deliveries and score posts whose time has come (run by beat each minute)."""
    with session_scope(_factory()) as session:
        deliveries, posts = sweep_due(session, now=utcnow() - SWEEP_GRACE)
    enqueue(deliveries, posts)
    return len(deliveries) + len(posts)
