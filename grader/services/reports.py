"""Instructor views of an assignment: submission lists, per-question statistics, gradebook."""

from __future__ import annotations

import csv
import io
from typing import Any

from grader.db import Session
from grader.db.models import SubmissionStatus, User
from grader.db.queries import reports as qr
from grader.db.queries import submissions as qs
from grader.db.queries import users as qu
from grader.services.catalog import assignment_for
from grader.services.errors import InvalidRequest
from grader.services.submissions import as_number, submission_view

MAX_PAGE = 200
STATUSES = tuple(s.value for s in SubmissionStatus)


def list_submissions(
    session: Session, user: User, key: str, *, student: str | None = None, status: str | None = None,
    limit: int = 50, offset: int = 0,
) -> dict[str, Any]:
    """A page of an assignment's submissions (newest first), filtered by student email and status."""
    assignment, _version, _role = assignment_for(session, user, key, staff=True)
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise InvalidRequest(f"limit must be 1..{MAX_PAGE} and offset >= 0", status=400)
    if status is not None and status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)}", status=400)
    user_id: int | None = None
    if student:
        found = qu.user_by_email(session, student)
        if found is None:
            return {"items": [], "total": 0, "limit": limit, "offset": offset}
        user_id = found.id
    page, total = qs.submissions_of_assignment(
        session, assignment.id, user_id=user_id, status=status, limit=limit, offset=offset
    )
    results = qs.current_results(session, [s.id for s in page])
    items = [submission_view(s, results.get(s.id, []), include_answers=True) for s in page]
    out: dict[str, Any] = {"items": items, "total": total, "limit": limit, "offset": offset}
    if offset + len(items) < total:
        out["next_offset"] = offset + len(items)
    return out


def question_statistics(session: Session, user: User, key: str) -> dict[str, Any]:
    """Per question, over every submission's current result: count, percent correct, mean points,
    invalid rate; questions without results yet are listed with a count of 0."""
    assignment, version, _role = assignment_for(session, user, key, staff=True)
    by_id = {s.question_id: s for s in qr.question_stats(session, assignment.id)}
    rows = []
    for q in version.definition.get("questions", []):
        qid = str(q["id"])
        s = by_id.get(qid)
        count = s.count if s else 0
        rows.append({
            "question_id": qid,
            "count": count,
            "percent_correct": round(100.0 * s.correct / count, 2) if s and count else None,
            "mean_points": round(s.mean_points, 4) if s and count else None,
            "max_points": as_number(float(q.get("points", 0))),
            "invalid_rate": round(s.invalid / count, 4) if s and count else None,
            "unanswered_rate": round(s.unanswered / count, 4) if s and count else None,
        })
    return {"assignment_id": assignment.key, "questions": rows}


def gradebook_csv(session: Session, user: User, key: str) -> str:
    """One row per student of the course: their latest submission's points per question and total.

    Students without a submission get empty cells; so do ungraded questions. ``pending`` names the
    questions still waiting for an instructor (their 0 and the total are provisional).
    """
    assignment, version, _role = assignment_for(session, user, key, staff=True)
    qids = [str(q["id"]) for q in version.definition.get("questions", [])]
    latest = qs.latest_submissions_by_user(session, assignment.id)
    results = qs.current_results(session, [s.id for s in latest.values()])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "submission_id", "submitted_at", "status", *qids, "total", "pending"])
    for student in qu.students_of_course(session, assignment.course_id):
        sub = latest.get(student.id)
        if sub is None:
            writer.writerow([_safe(student.email), _safe(student.display_name), "", "", "", *([""] * len(qids)), "", ""])
            continue
        points = {r.question_id: r.points for r in results.get(sub.id, [])}
        cells = [as_number(points[q]) if q in points else "" for q in qids]
        total = as_number(sum(points.values())) if points else ""
        waiting = " ".join(r.question_id for r in results.get(sub.id, []) if r.verdict == "needs_review")
        if sub.status != "graded":
            waiting = "grading"
        writer.writerow([
            _safe(student.email), _safe(student.display_name), sub.id, sub.created_at.isoformat(), sub.status,
            *cells, total, _safe(waiting),
        ])
    return out.getvalue()


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas in user-controlled cells (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
