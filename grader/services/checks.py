"""Checking one question from the form: the result of that question in a submission, the
attempts left, and the key once the assignment allows it.

A check is an ordinary submission (the same ``submit_answers`` path as the form and the API,
graded by the worker): the page sends the checked answer with the other answers as they were
last stored, so only the checked one can cost an attempt. Framework-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from grader.db import Session
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


def revealed_key(question: Mapping[str, Any], left: int | None) -> Any | None:
    """The key of a question once its attempts are used up (never while attempts remain or when
    they are unlimited: the assignment has no deadline yet to reveal it after)."""
    if left is None or left > 0:
        return None
    if question.get("type") == "ad_table":
        return question.get("key")
    if question.get("type") == "piecewise":
        return question.get("cases")
    return question.get("key") or question.get("value")


def question_check(session: Session, user: User, submission_id: int, question_id: str) -> QuestionCheck:
    """The check of ``question_id`` in a submission the user may read (404 otherwise)."""
    found = submission_for(session, user, submission_id)
    questions = [dict(q) for q in found.assignment_version.definition.get("questions", [])]
    question = next((q for q in questions if str(q.get("id")) == question_id), None)
    if question is None:
        raise NotFound(f"question {question_id!r} not found")
    subs = past_submissions(session, found.user, found.assignment_version.assignment_id)
    this = next(s for s in subs if s.id == submission_id)
    left = attempts_left(questions, subs)[question_id]
    return QuestionCheck(submission_id=submission_id, status=this.status, question=question,
                         result=this.results.get(question_id), attempts_left=left,
                         attempts_used=attempts_used(questions, subs)[question_id],
                         key=revealed_key(question, left) if this.status == "graded" else None)


def revealed_keys(questions: list[dict[str, Any]], subs: list[Any]) -> dict[str, Any]:
    """question id -> key, for the questions whose key the student may now see."""
    left = attempts_left(questions, subs)
    return {str(q["id"]): key for q in questions if (key := revealed_key(q, left[str(q["id"])])) is not None}
