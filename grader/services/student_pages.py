"""What the student pages show: the assignment with its questions, past submissions, attempts left.

Framework-free; the answers a form posts are turned into the submission's shape here too
(``answers_from_form``), so the blueprint stays a thin adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from grader.assignments.due import late_policy, parse_due, question_deadlines
from grader.db import Session
from grader.db.queries import pages as wq
from grader.db.models import User
from grader.db.queries import submissions as qs
from grader.services.catalog import assignment_for
from grader.services.variants import student_questions
from grader.verdicts import NOT_ATTEMPTS

MAX_TABLE_ROWS = 20


@dataclass(frozen=True)
class PastSubmission:
    """One of the student's submissions with its current results (empty until graded)."""

    id: int
    status: str
    created_at: Any
    answers: dict[str, Any]
    results: dict[str, Any]
    total: float | None
    max_total: float | None


@dataclass(frozen=True)
class StudentPage:
    """The assignment page of one student."""

    key: str
    title: str
    description: str
    role: str
    questions: list[dict[str, Any]]
    submissions: list[PastSubmission]
    attempts_left: dict[str, int | None] = field(default_factory=dict)
    attempts_used: dict[str, int] = field(default_factory=dict)
    due: datetime | None = None   # the assignment's deadline; each question's own is its "due"
    late: str = "accept"


def past_submissions(session: Session, user: User, assignment_id: int) -> list[PastSubmission]:
    """The user's submissions to the assignment, newest first, with current results."""
    subs = wq.submissions_of_user(session, user.id, assignment_id)
    results = qs.current_results(session, [s.id for s in subs])
    out = []
    for s in subs:
        mine = results.get(s.id, [])
        graded = s.status == "graded" and bool(mine)
        out.append(PastSubmission(
            id=s.id, status=s.status, created_at=s.created_at, answers=dict(s.answers or {}),
            results={r.question_id: r for r in mine},
            total=sum(r.points for r in mine) if graded else None,
            max_total=sum(r.max_points for r in mine) if graded else None,
        ))
    return out


def attempts_used(questions: list[dict[str, Any]], subs: list[PastSubmission]) -> dict[str, int]:
    """question id -> graded attempts. Invalid and unanswered answers do not count, nor does an
    answer carried over unchanged from the previous submission (a check of one question or a
    submit of changed answers stores the others again, and they must not cost an attempt)."""
    from grader.services.student_form import same_answer

    used = {str(q["id"]): 0 for q in questions}
    previous: dict[str, Any] = {}
    for s in reversed(subs):  # oldest first
        for qid in used:
            answer = s.answers.get(qid)
            r = s.results.get(qid)
            counted = r is not None and r.verdict not in NOT_ATTEMPTS
            if counted and not (qid in previous and same_answer(answer, previous[qid])):
                used[qid] += 1
            if answer is not None:
                previous[qid] = answer
    return used


def attempts_left(questions: list[dict[str, Any]], subs: list[PastSubmission]) -> dict[str, int | None]:
    """question id -> attempts left (None: unlimited)."""
    used = attempts_used(questions, subs)
    return {str(q["id"]): None if q.get("attempts_allowed") is None
            else max(0, int(q["attempts_allowed"]) - used[str(q["id"])]) for q in questions}


def student_page(session: Session, user: User, key: str) -> StudentPage:
    """The assignment as a student sees it (no keys), with their submissions."""
    assignment, version, role = assignment_for(session, user, key)
    questions = student_questions(session, assignment, version, user.id)  # the student's own numbers
    visible: list[dict[str, Any]] = [{k: q[k] for k in ("id", "type", "points", "prompt", "attempts_allowed", "inputs", "point",
                                 "part", "graph_from") if k in q} for q in questions]
    deadlines = question_deadlines(version.definition)
    for q in visible:
        q["due"] = deadlines.get(str(q["id"]))
        q["late"] = late_policy(version.definition, next(
            (d for d in version.definition.get("questions", []) if str(d.get("id")) == str(q["id"])), {}))
    raw_due = version.definition.get("due")
    subs = past_submissions(session, user, assignment.id)
    return StudentPage(
        key=assignment.key, title=assignment.title,
        description=str(version.definition.get("description") or ""), role=role,
        questions=visible, submissions=subs, attempts_left=attempts_left(visible, subs),
        attempts_used=attempts_used(visible, subs),
        due=None if raw_due is None else parse_due(raw_due), late=late_policy(version.definition, {}),
    )


def answers_from_form(questions: list[dict[str, Any]], form: Mapping[str, str],
                      get_list: Callable[[str], list[str]] | None = None) -> dict[str, Any]:
    """The submission's ``answers`` from form fields; blank answers are left out.

    Fields: ``answer-<qid>`` for text answers; for an AD table ``<qid>-name-<i>``,
    ``<qid>-expr-<i>``, ``<qid>-value-<i>`` (forward rows, a list of row objects) or
    ``<qid>-name-<i>`` and ``<qid>-adjoint-<i>`` (adjoints, an object name -> value).
    """
    answers: dict[str, Any] = {}
    for q in questions:
        qid = str(q["id"])
        if q.get("type") != "ad_table":
            text = (form.get(f"answer-{qid}") or "").strip()
            if text:
                answers[qid] = text
            continue
        rows: list[Any] = []  # (name, adjoint) pairs, or forward-row objects
        for i in range(MAX_TABLE_ROWS):
            name = (form.get(f"{qid}-name-{i}") or "").strip()
            if not name:
                continue
            if q.get("part") == "adjoint":
                value = (form.get(f"{qid}-adjoint-{i}") or "").strip()
                if value:
                    rows.append((name, value))
                continue
            expr = (form.get(f"{qid}-expr-{i}") or "").strip()
            value = (form.get(f"{qid}-value-{i}") or "").strip()
            if expr or value:
                rows.append({"name": name, "expr": expr, "value": value or None})
        if rows:
            answers[qid] = dict(rows) if q.get("part") == "adjoint" else rows
    return answers


def table_rows(question: dict[str, Any], answer: Any, *, minimum: int = 8) -> list[dict[str, str]]:
    """Rows to pre-fill an AD table form with: a past answer (else the input rows), then blank rows (at least
    ``minimum`` rows in all, and always two blank ones to add rows in, up to ``MAX_TABLE_ROWS``)."""
    rows: list[dict[str, str]] = []
    if answer is None and question.get("inputs"):
        from grader.services.student_form import input_rows

        rows = input_rows(question)  # the inputs' rows are given: the student starts below them
    elif question.get("part") == "adjoint" and isinstance(answer, Mapping):
        source = answer.get("adjoints", answer)
        rows = [{"name": str(k), "adjoint": str(v)} for k, v in source.items() if k != "rows"]
    elif isinstance(answer, list):
        rows = [{"name": str(r.get("name", "")), "expr": str(r.get("expr", "")),
                 "value": "" if r.get("value") is None else str(r.get("value"))}
                for r in answer if isinstance(r, Mapping)]
    target = min(MAX_TABLE_ROWS, max(minimum, len(rows) + 2))
    while len(rows) < target:
        rows.append({})
    return rows[:MAX_TABLE_ROWS]
