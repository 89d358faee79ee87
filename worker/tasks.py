"""Thin Celery tasks: each takes ids, takes its parts from ``grader.bootstrap.current()``, calls one
service. Tasks are ``shared_task``s, bound to the app ``bootstrap.build_celery()`` made.

Every task is idempotent (the services decide from the database what is left to do), which is
what ``task_acks_late`` and redelivery require.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from grader import bootstrap
from grader.config import Settings
from grader.services import grading, regrading
from grader.services.queue import (
    TASK_GRADE, TASK_GRADE_SLOW, TASK_REGRADE, TASK_REGRADE_ONE, TASK_SWEEP, TASK_SWEEP_REGRADES,
)

log = logging.getLogger(__name__)

MAX_LEASE_RETRIES = 3
MAX_COUNTDOWN_S = 600.0  # below the Redis visibility timeout, or the waiting task is redelivered

# Database hiccups (a restarted PostgreSQL, a locked SQLite file) are retried; the sweeper
# catches anything that still falls through.
_RETRY = {"autoretry_for": (Exception,), "retry_backoff": 1, "retry_backoff_max": 30,
          "max_retries": 5, "retry_jitter": True}


def _settings() -> Settings:
    return bootstrap.current().settings


def _factory() -> Any:
    return bootstrap.current().session_factory


def _grading_parts() -> dict[str, Any]:
    wiring = bootstrap.current()
    return {"settings": wiring.settings, "cache": wiring.verdict_cache, "queue": wiring.queue,
            "hooks": wiring.grading_hooks or grading.NO_HOOKS}


@shared_task(name=TASK_GRADE, bind=True, **_RETRY)
def grade_submission(self: Any, submission_id: int) -> bool:
    """Grade one submission (a no-op when it is graded).

    When another claim holds it, try again once that lease runs out: if its worker child was
    SIGKILLed, ``task_reject_on_worker_lost`` brings the message straight back here, and this
    retry grades it without waiting for the sweeper. If the holder finishes, the retry is a no-op.
    """
    if grading.grade_submission_by_id(_factory(), submission_id, **_grading_parts()):
        return True
    left = grading.lease_left(_factory(), submission_id)
    if left is not None and self.request.retries < MAX_LEASE_RETRIES:
        raise self.retry(countdown=min(left + 1.0, MAX_COUNTDOWN_S), max_retries=MAX_LEASE_RETRIES)
    return False


@shared_task(name=TASK_GRADE_SLOW, bind=True, **_RETRY)
def grade_submission_slow(self: Any, submission_id: int) -> bool:
    """Finish a submission whose answer went over the fast budget, with the full time limits
    (consumed from the slow queue, ``docs/worker.md``, "Fairness")."""
    if grading.grade_submission_by_id(_factory(), submission_id, slow=True, **_grading_parts()):
        return True
    left = grading.lease_left(_factory(), submission_id)
    if left is not None and self.request.retries < MAX_LEASE_RETRIES:
        raise self.retry(countdown=min(left + 1.0, MAX_COUNTDOWN_S), max_retries=MAX_LEASE_RETRIES)
    return False


@shared_task(name=TASK_REGRADE, **_RETRY)
def regrade_assignment(job_id: int) -> int:
    """Fan a regrade job out as one task per submission; returns how many were sent."""
    ids = regrading.regrade_assignment(_factory(), job_id, settings=_settings())
    for submission_id in ids:
        bootstrap.current().queue.send_regrade_one(job_id, submission_id)
    return len(ids)


@shared_task(name=TASK_REGRADE_ONE, bind=True)
def regrade_submission(self: Any, job_id: int, submission_id: int) -> bool:
    """Regrade one submission for a job and count it in the job's progress.

    Retried with back-off like the other tasks; after the last retry the submission is recorded
    as failed in the job (with the reason), so the job still ends."""
    try:
        return regrading.regrade_submission_by_id(_factory(), job_id, submission_id, **_grading_parts())
    except Exception as exc:
        if self.request.retries < _RETRY["max_retries"]:
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries,
                                                    _RETRY["retry_backoff_max"])) from exc
        log.exception("regrade job %s: submission %s failed %d times", job_id, submission_id,
                      self.request.retries + 1)
        regrading.fail_regrade_submission(_factory(), job_id, submission_id,
                                          reason=f"{type(exc).__name__}: {exc}")
        return False


@shared_task(name=TASK_SWEEP_REGRADES)
def sweep_regrades() -> int:
    """Re-send regrade jobs with no progress for a lease; end those out of re-sends (run by beat)."""
    swept = regrading.sweep_regrades(_factory(), settings=_settings())
    queue = bootstrap.current().queue
    for job in swept:
        if job.restart:
            queue.send_regrade(job.job_id)
        for submission_id in job.submission_ids:
            queue.send_regrade_one(job.job_id, submission_id)
    if swept:
        log.warning("regrade sweeper re-sent job(s) %s", [job.job_id for job in swept])
    return len(swept)


@shared_task(name=TASK_SWEEP)
def sweep_stuck() -> list[int]:
    """Re-enqueue submissions left queued or grading past their lease (run by beat)."""
    wiring = bootstrap.current()
    ids = grading.sweep_stuck(_factory(), now=wiring.clock(), settings=_settings())
    for submission_id in ids:
        wiring.queue.send_grading(submission_id)
    if ids:
        log.warning("sweeper re-enqueued %d submission(s): %s", len(ids), ids[:20])
    return ids
