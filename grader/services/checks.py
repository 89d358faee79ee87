"""Checking one question from the form: the result of that question in a submission, the
attempts left, and the key once the assignment allows it.

A check is an ordinary submission (the same ``submit_answers`` path as the form and the API,
graded by the worker): the page sends the checked answer with the other answers as they were
last stored, so only the checked one can cost an attempt. Framework-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from grader.assignments.due import question_deadlines
from grader.db import Session
from grader.db.base import utcnow
from grader.db.models import User
from grader.services.errors import NotFound
from grader.services.student_pages import attempts_left, attempts_used, past_submissions
from grader.services.submissions import submission_for


@dataclass(frozen=True)
class QuestionCheck:
    """One question's result in one submission, as the form shows it beside the answer."""

    submission_id: int
    status: str
    question: dict[str, Any]
    result: Any | None
    attempts_left: int | None
    attempts_used: int
    key: Any | None


def revealed_key(question: Mapping[str, Any], left: int | None, *, past_due: bool = False) -> Any | None:
    """The key of a question once its attempts are used up or its ``due`` has passed (never
    before either: with unlimited attempts and no deadline, never)."""
    if not past_due and (left is None or left > 0):
        return None
    if question.get("type") == "ad_table":
        return question.get("key")
    if question.get("type") == "piecewise":
        return question.get("cases")
    return question.get("key") or question.get("value")


def question_check(session: Session, user: User, submission_id: int, question_id: str, *,
                   now: datetime | None = None) -> QuestionCheck:
    """The check of ``question_id`` in a submission the user may read (404 otherwise); ``now``
    (the caller's clock, default the current time) decides whether the deadline has passed."""
    found = submission_for(session, user, submission_id)
    definition = found.assignment_version.definition
    questions = [dict(q) for q in definition.get("questions", [])]
    question = next((q for q in questions if str(q.get("id")) == question_id), None)
    if question is None:
        raise NotFound(f"question {question_id!r} not found")
    subs = past_submissions(session, found.user, found.assignment_version.assignment_id)
    this = next(s for s in subs if s.id == submission_id)
    left = attempts_left(questions, subs)[question_id]
    return QuestionCheck(submission_id=submission_id, status=this.status, question=question,
                         result=this.results.get(question_id), attempts_left=left,
                         attempts_used=attempts_used(questions, subs)[question_id],
                         key=(revealed_key(question, left, past_due=_passed(definition, question_id, now))
                              if this.status == "graded" else None))


def revealed_keys(questions: list[dict[str, Any]], subs: list[Any], *, definition: Mapping[str, Any] | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """question id -> key, for the questions whose key the student may now see: attempts used
    up, or past the deadline ``definition`` (the raw assignment document) gives it at ``now``."""
    left = attempts_left(questions, subs)
    return {str(q["id"]): key for q in questions
            if (key := revealed_key(q, left[str(q["id"])],
                                    past_due=_passed(definition or {}, str(q["id"]), now))) is not None}


def _passed(definition: Mapping[str, Any], question_id: str, now: datetime | None) -> bool:
    deadline = question_deadlines(definition).get(question_id)
    return deadline is not None and (now or utcnow()) >= deadline
