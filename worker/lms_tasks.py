"""Celery tasks of the LMS integration: deliver one webhook, post one score, sweep what is due,
sync the LMS course rosters (beat, every ``Settings.roster_sync_hours``).

Each task takes a row id and lets ``grader.services.lms.outbox`` decide from the database whether anything
is due, so a duplicate or late task does nothing. Short waits are scheduled with a countdown;
waits longer than ``MAX_COUNTDOWN_S`` (hours, late in the back-off) are left to ``sweep_lms``
run by beat, because an ETA longer than Redis' visibility timeout gets redelivered.
``Settings.lms_retry_scale`` (default 1) multiplies the back-off schedule (tests shrink it); the
HTTP session and token cache come from ``grader.bootstrap.current()``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task

from grader import bootstrap
from grader.db.base import utcnow
from grader.db.session import session_scope
from grader.lms_protocol.webhooks import Outcome
from grader.services.lms import outbox, roster
from grader.services.lms.notify import TASK_DELIVER, TASK_POST_SCORE, enqueue, sweep_due
from grader.services.queue import TASK_SYNC_ROSTERS

log = logging.getLogger(__name__)

TASK_SWEEP_LMS = "worker.lms_tasks.sweep_lms"
MAX_COUNTDOWN_S = 600.0
SWEEP_GRACE = timedelta(seconds=30)
_RETRY_DB = {"autoretry_for": (Exception,), "retry_backoff": 1, "retry_backoff_max": 30, "max_retries": 5}


def _follow_up(task: Any, row_id: int, result: tuple[Outcome, datetime | None] | None) -> str:
    if result is None:
        return "not due"
    outcome, next_at = result
    if outcome is Outcome.RETRY and next_at is not None:
        wait = max(0.0, (next_at - utcnow()).total_seconds())
        if wait <= MAX_COUNTDOWN_S:
            task.apply_async(args=[row_id], countdown=wait)
    return outcome.value


@shared_task(name=TASK_DELIVER, **_RETRY_DB)
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery if it is due; schedule the next attempt when it failed."""
    wiring = bootstrap.current()
    with session_scope(wiring.session_factory) as session:
        result = outbox.deliver_webhook(session, delivery_id, http=wiring.lms_http,
                                        schedule=wiring.lms_retry_schedule())
    return _follow_up(deliver_webhook, delivery_id, result)


@shared_task(name=TASK_POST_SCORE, **_RETRY_DB)
def post_score(score_post_id: int) -> str:
    """Attempt one AGS score post if it is due (same payload and timestamp every time)."""
    wiring = bootstrap.current()
    with session_scope(wiring.session_factory) as session:
        result = outbox.post_score(session, score_post_id, http=wiring.lms_http, cache=wiring.lms_tokens,
                                   schedule=wiring.lms_retry_schedule())
    return _follow_up(post_score, score_post_id, result)


@shared_task(name=TASK_SWEEP_LMS)
def sweep_lms() -> int:
    """Send the tasks of deliveries and score posts whose time has come (run by beat each minute)."""
    wiring = bootstrap.current()
    with session_scope(wiring.session_factory) as session:
        deliveries, posts = sweep_due(session, now=wiring.clock() - SWEEP_GRACE)
    enqueue(wiring.queue, deliveries, posts)
    return len(deliveries) + len(posts)


@shared_task(name=TASK_SYNC_ROSTERS)
def sync_rosters() -> int:
    """Fetch the roster of every LMS course that offers one (Names and Role Provisioning), each
    course in its own transaction: one platform that refuses does not stop the others. Returns
    the number of members stored."""
    wiring = bootstrap.current()
    with session_scope(wiring.session_factory) as session:
        course_ids = roster.courses_to_sync(session)
    members = 0
    for course_id in course_ids:
        try:
            with session_scope(wiring.session_factory) as session:
                result = roster.sync_course_roster(session, wiring.lms_http, course_id)
        except Exception:  # whatever one course's platform does, the next courses are synced
            log.exception("roster sync of course %s failed", course_id)
            continue
        members += result.members
        for error in result.errors:
            log.warning("roster sync of course %s: %s", course_id, error)
    return members
