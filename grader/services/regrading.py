"""Regrade use cases run by the worker: start a job's fan-out, regrade one submission once per job,
record one that keeps failing, and sweep jobs past their lease.

A regrade adds rows and flips the old ones to not current; a hand grade is carried over
(``hand_grades.carried_grade``), and an answer the engine cannot decide in time keeps its earlier
definite verdict (``queries.grading.save_regraded``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from grader import __version__ as GRADER_VERSION
from grader.assignments.results import QuestionVerdict
from grader.config import Settings
from grader.db import SessionFactory
from grader.db.base import utcnow
from grader.db.queries import grading as q
from grader.db.queries import regrade_jobs as rj
from grader.db.session import session_scope
from grader.services import dispatch
from grader.services.grading import NO_HOOKS, GradingHooks, cache_for, grade_answers
from grader.services.hand_grades import carried_grade
from grader.services.lms.graded_hook import notify_graded
from grader.services.queue import GradingQueue
from grader.services.verdict_cache import SharedVerdictCache

log = logging.getLogger(__name__)


def regrade_assignment(session_factory: SessionFactory, job_id: int, *, now: datetime | None = None,
                       settings: Settings | None = None) -> list[int]:
    """Start a regrade job: mark it running with its total; the submission ids to fan out (on a
    re-send by the sweeper: those not regraded yet)."""
    settings = settings or Settings()
    with session_scope(session_factory) as s:
        return q.start_regrade(s, job_id, now=now or utcnow(), lease_s=settings.regrade_lease_s)


def _undecided(rows: list[q.ResultRow]) -> set[str]:
    """Questions the engine did not decide (out of time, crashed); not free text waiting for a person."""
    return {r.question_id for r in rows
            if r.verdict == QuestionVerdict.NEEDS_REVIEW.value and r.method != "manual"}


def regrade_submission_by_id(session_factory: SessionFactory, job_id: int, submission_id: int, *,
                             settings: Settings | None = None, cache: SharedVerdictCache | None = None,
                             queue: GradingQueue | None = None, hooks: GradingHooks = NO_HOOKS) -> bool:
    """Regrade one submission against its assignment's current version, once per job.

    An answer that runs out of time (a busy machine) is graded again on the slow path: limits
    ``regrade_slow_factor`` times longer. If it still does not finish, the earlier definite
    verdict is kept (``queries.grading.save_regraded``), never replaced by ``needs_review``.
    """
    settings = settings or Settings()
    cache = cache_for(settings) if cache is None else cache
    with session_scope(session_factory) as s:
        inp = q.load_regrade_input(s, job_id, submission_id)
    if inp is None:
        return False
    rows = grade_answers(inp, settings, cache=cache, hooks=hooks)
    slow = _undecided(rows)
    if slow:
        factor = settings.regrade_slow_factor
        log.info("regrade job %s submission %s: %s undecided; retrying with %gx the time limits",
                 job_id, submission_id, sorted(slow), factor)
        patient = settings.replace(answer_soft_time_s=settings.answer_soft_time_s * factor,
                                   answer_hard_time_s=settings.answer_hard_time_s * factor)
        again = {r.question_id: r for r in grade_answers(inp, patient, cache=cache, hooks=hooks, only=slow)}
        rows = [again.get(r.question_id, r) for r in rows]
    with session_scope(session_factory) as s:
        won = q.save_regraded(s, job_id, submission_id, inp.version_id, rows, grader_version=GRADER_VERSION,
                              now=utcnow(), carry=carried_grade, lease_s=settings.regrade_lease_s)
        if won:
            notify_graded(s, submission_id, regrade=True)
        outgoing = dispatch.take(s)
    outgoing.send(queue)
    return won


def fail_regrade_submission(session_factory: SessionFactory, job_id: int, submission_id: int, *,
                            reason: str) -> bool:
    """Record a submission whose regrade kept failing; the job goes on and ends ``failed``."""
    with session_scope(session_factory) as s:
        return rj.fail_submission(s, job_id, submission_id, reason=reason, now=utcnow())


def sweep_regrades(session_factory: SessionFactory, *, now: datetime | None = None,
                   settings: Settings | None = None) -> list[rj.SweptJob]:
    """Regrade jobs past their lease: what to re-send (jobs out of re-sends end as failed)."""
    settings = settings or Settings()
    with session_scope(session_factory) as s:
        return rj.sweep_regrades(s, now=now or utcnow(), lease_s=settings.regrade_lease_s,
                                 max_sweeps=settings.regrade_max_sweeps)
