"""Submitting answers (idempotently) and reading submissions back with their current results."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Callable, Mapping

from grader.assignments import due

from grader.db import Session
from grader.db.base import utcnow
from grader.db.models import SOURCES, Submission, User
from grader.db.queries import pages as wq
from grader.db.queries import submissions as qs
from grader.services.catalog import STAFF_ROLES, assignment_for, role_for
from grader.services.errors import Conflict, InvalidRequest, NotFound, TooLarge

DEFAULT_MAX_ANSWER_CHARS = 4000
MAX_IDEMPOTENCY_KEY = 200
DEFAULT_MAX_ANSWER_PARTS = 500  # values in one structured answer (an AD table's rows and adjoints)
DEFAULT_MAX_ANSWER_DEPTH = 4  # lists/objects inside one answer
MAX_CELLS, MAX_DEPTH = DEFAULT_MAX_ANSWER_PARTS, DEFAULT_MAX_ANSWER_DEPTH  # older names
# question types whose answer is one piece of text (an AD table takes lists and objects)
TEXT_ANSWER_TYPES = frozenset({"expression", "piecewise", "number", "limit", "free_text"})


def check_idempotency_key(key: str | None) -> str | None:
    """A usable key (printable ASCII, at most 200 characters) or None; raises otherwise."""
    if key is None or key == "":
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable() or not key.isascii():
        raise InvalidRequest("Idempotency-Key must be at most 200 printable ASCII characters", status=400)
    return key


def _check_value(qid: str, value: Any, max_chars: int, *, depth: int = 0, budget: list[int] | None = None,
                 max_parts: int = DEFAULT_MAX_ANSWER_PARTS, max_depth: int = DEFAULT_MAX_ANSWER_DEPTH) -> None:
    """An answer is text, a number, or (an AD table) lists/objects of those, bounded in size."""
    budget = [max_parts] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise InvalidRequest(f"answer to {qid!r} has more than {max_parts} parts")
    if depth > max_depth:
        raise InvalidRequest(f"answer to {qid!r} is nested too deeply")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidRequest(f"answer to {qid!r} is not a finite number (NaN and Infinity are not JSON)")
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return
    if isinstance(value, str):
        if len(value) > max_chars:
            raise TooLarge(f"answer to {qid!r} is {len(value)} characters; the limit is {max_chars}")
        return
    if isinstance(value, list):
        for item in value:
            _check_value(qid, item, max_chars, depth=depth + 1, budget=budget, max_parts=max_parts,
                         max_depth=max_depth)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if len(key) > 100:
                raise InvalidRequest(f"answer to {qid!r} has a field name over 100 characters")
            _check_value(qid, item, max_chars, depth=depth + 1, budget=budget, max_parts=max_parts,
                         max_depth=max_depth)
        return
    raise InvalidRequest(f"answer to {qid!r} must be text (or, for a table, lists and objects of text)")


def check_answers(answers: Any, question_ids: list[str], *, max_chars: int,
                  max_parts: int = DEFAULT_MAX_ANSWER_PARTS, max_depth: int = DEFAULT_MAX_ANSWER_DEPTH,
                  types: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Validate the ``answers`` object against the assignment's question ids and the limits; with
    ``types`` (question id -> type), a question answered in text must get a string."""
    if not isinstance(answers, dict):
        raise InvalidRequest('"answers" must be an object mapping question ids to answers')
    if not answers:
        raise InvalidRequest('"answers" is empty')
    unknown = sorted(str(k) for k in answers if k not in question_ids)
    if unknown:
        raise InvalidRequest(f"unknown question id(s): {', '.join(unknown)}")
    for qid, value in answers.items():
        _check_value(qid, value, max_chars, max_parts=max_parts, max_depth=max_depth)
        if types is not None and types.get(qid) in TEXT_ANSWER_TYPES and not isinstance(value, str):
            raise InvalidRequest(f"answer to {qid!r} must be text (a JSON string), not {_json_kind(value)}")
    return dict(answers)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def check_submission(session: Session, *, user: User, assignment_key: str, answers: Any,
                     max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS,
                     max_answer_parts: int = DEFAULT_MAX_ANSWER_PARTS,
                     max_answer_depth: int = DEFAULT_MAX_ANSWER_DEPTH) -> dict[str, Any]:
    """The checks ``submit_answers`` makes before storing anything (access, question ids, sizes),
    for a caller that must refuse a bad submission before it writes a row of its own."""
    _assignment, version, _role = assignment_for(session, user, assignment_key)
    questions = version.definition.get("questions", [])
    qids = [str(q["id"]) for q in questions]
    return check_answers(answers, qids, max_chars=max_answer_chars, max_parts=max_answer_parts,
                         max_depth=max_answer_depth, types={str(q["id"]): str(q.get("type")) for q in questions})


def submit_answers(
    session: Session,
    *,
    user: User,
    assignment_key: str,
    answers: Any,
    idempotency_key: str | None,
    source: str = "api",
    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS,
    max_answer_parts: int = DEFAULT_MAX_ANSWER_PARTS,
    max_answer_depth: int = DEFAULT_MAX_ANSWER_DEPTH,
    now: datetime | None = None,
) -> tuple[Submission, bool]:
    """Store a submission (status ``queued``) against the assignment's current version.

    Returns ``(submission, created)``: the same idempotency key again gives the stored submission
    and ``created=False`` (409 if it was used for different answers). The caller commits, and only
    then sends the grading task.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    key = check_idempotency_key(idempotency_key)
    assignment, version, _role = assignment_for(session, user, assignment_key)
    if key is not None:
        existing = qs.submission_by_idempotency_key(session, user.id, key)
        if existing is not None:
            return _replay(existing, assignment.id, answers), False
    questions = version.definition.get("questions", [])
    qids = [str(q["id"]) for q in questions]
    clean = check_answers(answers, qids, max_chars=max_answer_chars, max_parts=max_answer_parts,
                          max_depth=max_answer_depth, types={str(q["id"]): str(q.get("type")) for q in questions})
    if _role not in STAFF_ROLES:
        refuse_late(version.definition, clean, now or utcnow(),
                    previous=lambda: _latest_answers(session, user.id, assignment.id))
    submission = Submission(
        user_id=user.id, assignment_version_id=version.id, answers=clean, source=source,
        idempotency_key=key, status="queued", grading_attempts=0,
    )
    stored = qs.insert_submission_once(session, submission)
    if stored is not submission:
        return _replay(stored, assignment.id, answers), False
    return stored, True


def refuse_late(definition: Mapping[str, Any], answers: Mapping[str, Any], now: datetime,
                previous: Callable[[], Mapping[str, Any]] = dict) -> None:
    """Conflict when ``answers`` give a new answer to a question past its ``due`` that refuses
    late answers. An answer equal to the newest one stored (``previous()``, asked only when a
    question is closed) is no new answer: a check of another question resends it."""
    shut = [str(q["id"]) for q in definition.get("questions", [])
            if _answered(answers.get(str(q["id"]))) and due.closed(definition, q, now)]
    if shut:
        before = previous()
        shut = [qid for qid in shut if answers.get(qid) != before.get(qid)]
    if shut:
        when = ", ".join(f"{qid} (due {_when(definition, qid)})" for qid in shut)
        raise Conflict(f"the deadline has passed and late answers are refused for question(s) {when}")


def _latest_answers(session: Session, user_id: int, assignment_id: int) -> dict[str, Any]:
    """question id -> the newest answer this user stored for it (any version)."""
    out: dict[str, Any] = {}
    for sub in wq.submissions_of_user(session, user_id, assignment_id):   # newest first
        for qid, value in (sub.answers or {}).items():
            out.setdefault(str(qid), value)
    return out


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _when(definition: Mapping[str, Any], qid: str) -> str:
    q = next(q for q in definition.get("questions", []) if str(q["id"]) == qid)
    deadline = due.due_of(definition, q)
    return "" if deadline is None else deadline.isoformat()


def _replay(existing: Submission, assignment_id: int, answers: Any) -> Submission:
    if existing.assignment_version.assignment_id != assignment_id or existing.answers != answers:
        raise Conflict("this Idempotency-Key was already used for a different submission")
    return existing


def replayed_submission(session: Session, user: User, idempotency_key: str | None) -> Submission | None:
    """The user's submission already stored under ``idempotency_key`` (a form posted twice)."""
    key = check_idempotency_key(idempotency_key)
    return None if key is None else qs.submission_by_idempotency_key(session, user.id, key)


def submission_for(session: Session, user: User, submission_id: int) -> Submission:
    """A submission the user may read: their own, or any in a course they teach; else 404."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"submission {submission_id} not found")
    if submission.user_id == user.id:
        return submission
    role = role_for(session, user, submission.assignment_version.assignment)
    if role not in STAFF_ROLES:
        raise NotFound(f"submission {submission_id} not found")
    return submission


def as_number(x: float) -> float | int:
    """Whole numbers as ints (3, not 3.0), others rounded to 4 places."""
    r = round(float(x), 4)
    return int(r) if r == int(r) else r


def results_view(results: list[Any]) -> dict[str, Any]:
    """``{"questions": {qid: {...}}, "total", "max_total"}`` from current result rows."""
    questions = {
        r.question_id: {
            "verdict": r.verdict, "points": as_number(r.points), "max_points": as_number(r.max_points),
            "feedback": r.feedback, "method": r.method,
        }
        for r in results
    }
    return {
        "questions": questions,
        "total": as_number(sum(r.points for r in results)),
        "max_total": as_number(sum(r.max_points for r in results)),
    }


def submission_view(
    submission: Submission, results: list[Any] | None, *, include_answers: bool = True
) -> dict[str, Any]:
    """The JSON of a submission: status, and its current results once graded."""
    out: dict[str, Any] = {
        "id": submission.id,
        "assignment_id": submission.assignment_version.assignment.key,
        "version": submission.assignment_version.content_hash[:12],
        "user": submission.user.email,
        "status": submission.status,
        "source": submission.source,
        "created_at": submission.created_at.isoformat(),
        "graded_at": submission.graded_at.isoformat() if submission.graded_at else None,
    }
    if include_answers:
        out["answers"] = submission.answers
    if results:
        out.update(results_view(results))
    return out


def read_submission(session: Session, user: User, submission_id: int) -> dict[str, Any]:
    """``GET /api/v1/submissions/<id>``."""
    submission = submission_for(session, user, submission_id)
    results = qs.current_results(session, [submission.id]).get(submission.id, [])
    return submission_view(submission, results)

