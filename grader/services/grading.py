"""Grading use cases run by the worker: grade one submission, sweep stuck ones (regrades:
``grader.services.regrading``).

``grade_submission_by_id`` is idempotent and safe to run twice, concurrently or after a crash:

1. claim: a conditional UPDATE moves the submission from ``queued`` (or ``grading`` with an
   expired lease) to ``grading`` with a new lease and ``grading_attempts + 1`` (the fence), unless
   an earlier submission of the same student is unfinished (``db.queries.grading_turn``);
2. grade every question through ``grader.assignments.grade_submission``: cached verdicts first,
   the rest in a forked child with a soft and a hard time limit per answer (``grading_runner``);
   an answer out of time is ``needs_review`` and says so;
3. save: results inserted and status ``graded`` in one transaction, only if the fence still holds.

A graded submission is never graded again by it (regrades go through
``regrading.regrade_submission_by_id``, which adds rows and flips the old ones to not current).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from cachetools.func import lru_cache

from grader import __version__ as GRADER_VERSION
from grader.assignments.results import QuestionGrade, QuestionVerdict
from grader.config import Settings
from grader.db.queries import grading as q
from grader.db import SessionFactory
from grader.db.base import utcnow
from grader.db.session import session_scope
from grader.db.queries import grading_turn as turn
from grader.services import dispatch, fairness, variants
from grader.services.anticipated import merge_anticipated
from grader.services.compiled_assignments import compiled_assignment
from grader.services.hand_grades import carried_grade
from grader.services.grading_input import grading_input
from grader.services.grading_pool import pool
from grader.services.lms.graded_hook import notify_graded
from grader.services.queue import GradingQueue
from grader.services.verdict_cache import SharedVerdictCache, cache_key, open_cache

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_TIMEOUT_FEEDBACK = {
    "soft": "Grading this answer took longer than {soft:g} s, so it was stopped; an instructor will review it.",
    "hard": "Grading this answer did not finish within {hard:g} s and was stopped; an instructor will review it.",
    "crash": "The grader failed on this answer; an instructor will review it.",
    "exception": "The grader failed on this answer; an instructor will review it.",
    "attempts": "Grading this submission failed {attempts} times; an instructor will review it.",
}


def _assignment(content_hash: str, source_text: str, source_path: str) -> Any:
    """The assignment of a stored version (``compiled_assignments``: one cache per process)."""
    return compiled_assignment(content_hash, source_text, source_path)


@lru_cache(maxsize=64)
def _merged(content_hash: str, source_text: str, source_path: str, anticipated: Any) -> Any:
    """The version's assignment with the feedback attached from the dashboard (``anticipated``)."""
    return merge_anticipated(_assignment(content_hash, source_text, source_path), dict(anticipated))


def _assignment_for(inp: q.GradingInput) -> Any:
    """What ``inp`` is graded against: its version's assignment at the student's variant
    (``services.variants``), plus the attached feedback."""
    if inp.variant_seed:
        return _variant_merged(_assignment(inp.content_hash, inp.source_text, inp.source_path),
                               inp.variant_seed, inp.variant_override, inp.anticipated)
    if not inp.anticipated:
        return _assignment(inp.content_hash, inp.source_text, inp.source_path)
    return _merged(inp.content_hash, inp.source_text, inp.source_path, inp.anticipated)


@lru_cache(maxsize=256)
def _variant_merged(base: Any, seed: tuple[str, ...], override: str, anticipated: Any) -> Any:
    concrete = variants.concrete(base, seed, override)
    return merge_anticipated(concrete, dict(anticipated)) if anticipated else concrete


def _nothing(_arg: Any) -> None:
    return None


_warmed: set[int] = set()


def _warm(assignment: Any) -> None:
    """Warm an assignment once in this process before the grading child is forked from it
    (``grader.assignments.warm``); a fake assignment (tests) is left alone."""
    from grader.assignments.model import AssignmentSpec
    from grader.assignments.warm import warm

    if not isinstance(assignment, AssignmentSpec) or hash(assignment) in _warmed:
        return
    _warmed.add(hash(assignment))
    try:
        warm(assignment)
    except Exception:  # a key that cannot be used is reported by real grading, per answer
        log.warning("warming assignment %s failed", getattr(assignment, "id", "?"), exc_info=True)


@lru_cache(maxsize=4)
def cache_for(settings: Settings) -> SharedVerdictCache:
    """The verdict cache the settings name, opened once per process."""
    return open_cache(settings)


def _grade_one(assignment: Any, answers: dict[str, Any], seed: int,
               before_answer: Callable[[Any], None] = _nothing) -> Callable[[str], dict[str, Any]]:
    """Grade one question (run inside the forked child), exactly as ``grade_submission`` does:
    the same per-question function, with every answer in view (a table's adjoints need the graph
    given in another answer)."""
    from grader.assignments.grading import Env, grade_question

    env = Env(assignment, answers, seed)
    questions = {question.id: question for question in assignment.questions}

    def grade(qid: str) -> dict[str, Any]:
        before_answer(answers.get(qid))
        return grade_question(questions[qid], answers.get(qid), env).to_json()

    return grade


@dataclass(frozen=True)
class GradingHooks:
    """The seams of grading, injected through ``grader.bootstrap`` (production uses the defaults).

    ``assignment_for(inp)`` builds what a stored version is graded against; ``question_grader``
    makes the per-question function run in the forked child (it and its arguments are pickled to
    the long-lived child of ``grading_pool``); ``warm(assignment)`` prepares it in the parent
    before that child is forked; ``after_claim(fence)`` runs once a
    claim is won; ``before_answer(answer)`` runs in the child before each answer (the worker's
    tests make one answer slow there, the unit tests grade with a fake assignment)."""

    assignment_for: Callable[[q.GradingInput], Any] = _assignment_for
    question_grader: Callable[..., Callable[[str], dict[str, Any]]] = _grade_one
    after_claim: Callable[[int], None] = _nothing
    before_answer: Callable[[Any], None] = _nothing
    warm: Callable[[Any], None] = _warm


NO_HOOKS = GradingHooks()


def _cached_answer(question: Any, answers: dict[str, Any]) -> Any:
    """What a question's verdict depends on: its answer, and the answers it reads (``graph_from``)."""
    deps = [d for d in (getattr(question, "graph_from", None),) if d]
    own = answers.get(question.id)
    return own if not deps else {"answer": own, "uses": {d: answers.get(d) for d in deps}}


def grade_answers(inp: q.GradingInput, settings: Settings, *, cache: SharedVerdictCache | None = None,
                  on_progress: Callable[[], None] | None = None, seed: int = 0,
                  hooks: GradingHooks = NO_HOOKS, only: set[str] | None = None,
                  timed_out: set[str] | None = None, reuse_timeouts: bool = False,
                  record_timeouts: bool = False, soft_cpu: bool = False) -> list[q.ResultRow]:
    """Grade every question of ``inp``'s assignment version (or the ``only`` ones); one
    ``ResultRow`` each, in order. Questions whose answer ran out of time are added to
    ``timed_out``; ``record_timeouts`` remembers such answers in the cache, and ``reuse_timeouts``
    makes a remembered one ``needs_review`` without running it again (``services.fairness``);
    ``soft_cpu`` counts the soft limit in the answer's CPU time (the fast budget)."""
    assignment = hooks.assignment_for(inp)
    extra = dict(inp.anticipated)
    cache = cache_for(settings) if cache is None else cache
    qids = [question.id for question in assignment.questions if only is None or question.id in only]
    max_points = {question.id: float(question.points) for question in assignment.questions}
    answers = {k: v for k, v in inp.answers.items() if k in max_points}  # the API refuses others
    version_key = inp.content_hash + variants.fingerprint(assignment)
    keys = {question.id: cache_key(version_key, question.id, _cached_answer(question, answers),
                                   GRADER_VERSION, extra.get(question.id, ()))
            for question in assignment.questions}
    found: dict[str, dict[str, Any]] = {}
    for qid in qids:
        hit = cache.get(keys[qid])
        if hit is not None:
            found[qid] = {"ok": hit, "ms": 0, "cached": True}
        elif reuse_timeouts:
            memo = cache.get(fairness.timeout_key(keys[qid]))
            if memo is not None:
                found[qid] = {"error": memo["error"], "ms": 0, "cached": True}
    todo = [qid for qid in qids if qid not in found]
    if todo:
        hooks.warm(assignment)
        found.update(pool().run(hooks.question_grader, (assignment, answers, seed, hooks.before_answer), todo,
                                soft_s=settings.answer_soft_time_s, hard_s=settings.answer_hard_time_s,
                                on_progress=on_progress, soft_cpu=soft_cpu))
    rows = []
    for qid in qids:
        outcome = found[qid]
        if "ok" in outcome:  # the child's and the cache's JSON becomes the typed grade here
            grade = QuestionGrade.from_json(qid, outcome["ok"])
            if not outcome.get("cached") and _cacheable(grade):
                cache.put(keys[qid], grade.to_json())
            rows.append(_row(grade, outcome.get("ms", 0)))
        else:
            if outcome["error"] in fairness.TIMED_OUT and not outcome.get("cached"):
                if timed_out is not None:
                    timed_out.add(qid)
                if record_timeouts:
                    cache.put(fairness.timeout_key(keys[qid]), {"error": outcome["error"]})
            log.warning("submission %s question %s: %s %s", inp.submission_id, qid, outcome["error"],
                        outcome.get("message", ""))
            rows.append(_review_row(qid, max_points[qid], outcome["error"], settings, outcome.get("ms", 0)))
    return rows


def _cacheable(grade: QuestionGrade) -> bool:
    """Definite verdicts, and answers that always wait for a person (free text, method ``manual``);
    not an engine's "undecided", which may have run out of its time budget on a busy machine."""
    return grade.verdict is not QuestionVerdict.NEEDS_REVIEW or grade.method == "manual"


def _row(grade: QuestionGrade, ms: int) -> q.ResultRow:
    """The grade as the row to insert (the database stores the verdict's value)."""
    return q.ResultRow(question_id=grade.question_id, verdict=grade.verdict.value, points=grade.points,
                       max_points=grade.max_points, feedback=grade.feedback, method=grade.method,
                       duration_ms=int(ms))


def _review_row(qid: str, max_points: float, why: str, settings: Settings, ms: int,
                attempts: int = 0) -> q.ResultRow:
    feedback = _TIMEOUT_FEEDBACK[why].format(soft=settings.answer_soft_time_s,
                                             hard=settings.answer_hard_time_s, attempts=attempts)
    return _row(QuestionGrade(qid, QuestionVerdict.NEEDS_REVIEW, 0.0, max_points, feedback, f"limit:{why}"), ms)


def grade_submission_by_id(session_factory: SessionFactory, submission_id: int, *,
                           now: datetime | None = None, settings: Settings | None = None,
                           cache: SharedVerdictCache | None = None, hooks: GradingHooks = NO_HOOKS,
                           queue: GradingQueue | None = None, slow: bool = False) -> bool:
    """Grade a queued (or abandoned) submission; True when this call graded it, else False.
    The LMS notifications it makes are sent through ``queue`` after the commit.

    Fairness (``services.fairness``): a submission behind the same student's unfinished earlier
    one is left queued (that one sends it on when done); the fast pass (``slow=False``) grades
    with the fast budget and hands a submission with an answer over it to the slow queue."""
    settings = settings or Settings()
    now = now or utcnow()
    lease = settings.grading_lease_s
    with session_scope(session_factory) as s:
        claimed = turn.claim_in_turn(s, submission_id, now=now, lease_s=lease)
        if claimed is None:
            return False
        inp = grading_input(s, claimed)
    fence = claimed.fence
    hooks.after_claim(fence)
    try:
        if fence > MAX_ATTEMPTS:  # it keeps killing workers: hand it to a person instead of looping
            raise RuntimeError(f"claimed {fence} times")
        over: set[str] = set()
        final = slow or not fairness.has_slow_pass(settings)
        rows = grade_answers(inp, settings if final else fairness.fast_settings(settings), cache=cache,
                             hooks=hooks, on_progress=_heartbeat(session_factory, submission_id, fence, lease),
                             timed_out=over, reuse_timeouts=True, record_timeouts=final, soft_cpu=not final)
        if over and not final:
            return _to_slow_queue(session_factory, submission_id, fence, sorted(over), lease, queue)
    except Exception:
        if fence < MAX_ATTEMPTS:  # give the claim back: the task's retry (or the sweeper) tries again
            with session_scope(session_factory) as s:
                q.release(s, submission_id, fence=fence, now=utcnow(), retry_after_s=lease)
            raise
        log.exception("submission %s: giving up after %s attempts; every question needs review",
                      submission_id, fence)
        rows = [_review_row(qid, points, "attempts", settings, 0, attempts=fence)
                for qid, points in inp.questions]
    with session_scope(session_factory) as s:
        saved = turn.save_in_turn(s, claimed, rows, grader_version=GRADER_VERSION, now=utcnow(),
                                  carry=carried_grade)
        if saved is not None:
            if saved.has_lms:  # a course without an LMS integration has nothing to notify
                notify_graded(s, submission_id, regrade=False)
        outgoing = dispatch.take(s)
    outgoing.send(queue)  # only once the grade is committed
    if saved is not None:
        _send_next_in_line(session_factory, claimed.user_id, submission_id, queue)
    if saved is None:
        log.info("submission %s: claim %s lost (re-claimed after its lease); results dropped",
                 submission_id, fence)
    return saved is not None


def _send_next_in_line(session_factory: SessionFactory, user_id: int, submission_id: int,
                       queue: GradingQueue | None) -> None:
    """Send on the student's next queued submission, looked up once this one's grade is committed
    (its own claim may have been refused while this one was being saved)."""
    with session_scope(session_factory) as s:
        found = turn.next_in_line(s, user_id, submission_id)
        if found is not None:
            dispatch.pending(s).grading.append(found)
        outgoing = dispatch.take(s)
    outgoing.send(queue)


def _to_slow_queue(session_factory: SessionFactory, submission_id: int, fence: int, over: list[str],
                   lease: float, queue: GradingQueue | None) -> bool:
    """Give the claim back and send the submission to the slow queue (False: not graded here)."""
    with session_scope(session_factory) as s:
        if q.release(s, submission_id, fence=fence, now=utcnow(), retry_after_s=lease):
            dispatch.pending(s).grading_slow.append(submission_id)
        outgoing = dispatch.take(s)
    outgoing.send(queue)
    log.info("submission %s: %s over the fast budget; finishing on the slow queue", submission_id, over)
    return False


def lease_left(session_factory: SessionFactory, submission_id: int, *, now: datetime | None = None) -> float | None:
    """Seconds until the claim on a submission being graded runs out (0 if it already has);
    None when it is not being graded."""
    with session_scope(session_factory) as s:
        found = q.lease_of(s, submission_id)
    if found is None or found[0] != q.GRADING or found[1] is None:
        return None
    return max(0.0, (found[1] - (now or utcnow())).total_seconds())


def _heartbeat(session_factory: SessionFactory, submission_id: int, fence: int,
               lease_s: float) -> Callable[[], None]:
    """Renew the lease at most every third of it while answers keep coming."""
    last = [time.monotonic()]

    def beat() -> None:
        if time.monotonic() - last[0] >= lease_s / 3:
            last[0] = time.monotonic()
            with session_scope(session_factory) as s:
                q.renew_lease(s, submission_id, fence=fence, now=utcnow(), lease_s=lease_s)

    return beat


def sweep_stuck(session_factory: SessionFactory, *, now: datetime | None = None,
                settings: Settings | None = None) -> list[int]:
    """Submissions left queued or grading past their lease (given a new one): re-enqueue these."""
    settings = settings or Settings()
    with session_scope(session_factory) as s:
        return q.find_stuck(s, now=now or utcnow(), lease_s=settings.grading_lease_s)
