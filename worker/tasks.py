"""Thin Celery tasks: each takes ids, builds nothing but a session factory, calls one service.

Every task is idempotent (the services decide from the database what is left to do), which is
what ``task_acks_late`` and redelivery require.
"""

from __future__ import annotations

import logging
from typing import Any

from grader.config import Settings
from grader.services import grading
from grader.services.queue import (
    TASK_GRADE, TASK_REGRADE, TASK_REGRADE_ONE, TASK_SWEEP, TASK_SWEEP_REGRADES, send_grading, send_regrade,
    send_regrade_one,
)
from worker.celery_app import app

log = logging.getLogger(__name__)

_state: dict[str, Any] = {}
MAX_LEASE_RETRIES = 3
MAX_COUNTDOWN_S = 600.0  # below the Redis visibility timeout, or the waiting task is redelivered

# Database hiccups (a restarted PostgreSQL, a locked SQLite file) are retried; the sweeper
# catches anything that still falls through.
_RETRY = {"autoretry_for": (Exception,), "retry_backoff": 1, "retry_backoff_max": 30,
          "max_retries": 5, "retry_jitter": True}


def reset_state() -> None:
    """Forget settings and engine (called in each fresh worker child)."""
    factory = _state.pop("factory", None)
    if factory is not None:
        factory.kw["bind"].dispose(close=False)
    _state.clear()


def _settings() -> Settings:
    if "settings" not in _state:
        _state["settings"] = Settings.from_env()
    return _state["settings"]


def _factory() -> Any:
    if "factory" not in _state:
        from grader.db.session import make_session_factory

        _state["factory"] = make_session_factory(_settings().database_url)
    return _state["factory"]


@app.task(name=TASK_GRADE, bind=True, **_RETRY)
def grade_submission(self: Any, submission_id: int) -> bool:
    """Grade one submission (a no-op when it is graded).

    When another claim holds it, try again once that lease runs out: if its worker child was
    SIGKILLed, ``task_reject_on_worker_lost`` brings the message straight back here, and this
    retry grades it without waiting for the sweeper. If the holder finishes, the retry is a no-op.
    """
    if grading.grade_submission_by_id(_factory(), submission_id, settings=_settings()):
        return True
    left = grading.lease_left(_factory(), submission_id)
    if left is not None and self.request.retries < MAX_LEASE_RETRIES:
        raise self.retry(countdown=min(left + 1.0, MAX_COUNTDOWN_S), max_retries=MAX_LEASE_RETRIES)
    return False


@app.task(name=TASK_REGRADE, **_RETRY)
def regrade_assignment(job_id: int) -> int:
    """Fan a regrade job out as one task per submission; returns how many were sent."""
    ids = grading.regrade_assignment(_factory(), job_id, settings=_settings())
    for submission_id in ids:
        send_regrade_one(job_id, submission_id)
    return len(ids)


@app.task(name=TASK_REGRADE_ONE, bind=True)
def regrade_submission(self: Any, job_id: int, submission_id: int) -> bool:
    """Regrade one submission for a job and count it in the job's progress.

    Retried with back-off like the other tasks; after the last retry the submission is recorded
    as failed in the job (with the reason), so the job still ends."""
    try:
        return grading.regrade_submission_by_id(_factory(), job_id, submission_id, settings=_settings())
    except Exception as exc:
        if self.request.retries < _RETRY["max_retries"]:
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, _RETRY["retry_backoff_max"]))
        log.exception("regrade job %s: submission %s failed %d times", job_id, submission_id,
                      self.request.retries + 1)
        grading.fail_regrade_submission(_factory(), job_id, submission_id,
                                        reason=f"{type(exc).__name__}: {exc}")
        return False


@app.task(name=TASK_SWEEP_REGRADES)
def sweep_regrades() -> int:
    """Re-send regrade jobs with no progress for a lease; end those out of re-sends (run by beat)."""
    swept = grading.sweep_regrades(_factory(), settings=_settings())
    for job in swept:
        if job.restart:
            send_regrade(job.job_id)
        for submission_id in job.submission_ids:
            send_regrade_one(job.job_id, submission_id)
    if swept:
        log.warning("regrade sweeper re-sent job(s) %s", [job.job_id for job in swept])
    return len(swept)


@app.task(name=TASK_SWEEP)
def sweep_stuck() -> list[int]:
    """Re-enqueue submissions left queued or grading past their lease (run by beat)."""
    ids = grading.sweep_stuck(_factory(), settings=_settings())
    for submission_id in ids:
        send_grading(submission_id)
    if ids:
        log.warning("sweeper re-enqueued %d submission(s): %s", len(ids), ids[:20])
    return ids
