"""The instructor's LMS pages, installed with the pages: per assignment, where each student's score
goes in the LMS gradebook (or why nowhere) and what the last score post did; per course, the LMS
courses connected to it (unlink), their rosters and the "Sync roster from the LMS" button, also
shown on the assignment dashboard (``roster_card``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from grader.app import db_session, settings
from grader.db.models import Course
from grader.security.egress_http import guarded_session
from grader.services.catalog import assignment_for
from grader.services.errors import ServiceError
from grader.services.lms import contexts, roster
from grader.services.lms.course_settings import staff_course
from grader.services.lms.passback_status import passback_status
from grader.web.common import login_required, page_user, user
from grader.web.csrf import check_csrf

bp = Blueprint("lms_pages", __name__, url_prefix="/instructor", template_folder="templates")
bp.before_request(check_csrf)  # once, at import: blueprints are shared by every app


@bp.get("/assignments/<key>/lms")
@login_required
def passback(key: str) -> Any:
    try:
        page = passback_status(db_session(), user(), key)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    return render_template("lms_passback.html", key=key, rows=page.rows, not_submitted=page.not_submitted,
                           deliveries=page.deliveries)


def _course(ref: str) -> Course:
    try:
        return staff_course(db_session(), user(), ref)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)


@bp.get("/courses/<course>/lms")
@login_required
def course(course: str) -> Any:
    found = _course(course)
    return render_template("lms_course.html", course=found, contexts=roster.roster_status(db_session(), found),
                           sync_hours=settings().roster_sync_hours)


def roster_card(assignment_key: str) -> dict[str, Any] | None:
    """What the dashboard's "LMS roster" section shows (None: the course has no LMS course connected)."""
    who = page_user()
    if who is None:
        return None
    session = db_session()
    try:
        assignment, _version, _role = assignment_for(session, who, assignment_key, staff=True)
    except ServiceError:
        return None
    found = session.get(Course, assignment.course_id)
    rows = roster.roster_status(session, found) if found is not None else []
    if found is None or not rows:
        return None
    return {"course": found, "contexts": rows, "sync_hours": settings().roster_sync_hours,
            "not_submitted": roster.not_submitted(session, found.id, assignment.id)}


def _back(found: Course) -> Any:
    """Back to the dashboard the form was on (``assignment``), else to the course's LMS page."""
    key = request.form.get("assignment", "")
    if key:
        return redirect(url_for("instructor.dashboard", key=key, at="lms-roster", _anchor="lms-roster"))
    return redirect(url_for("lms_pages.course", course=found.key))


def sync_message(result: roster.SyncResult) -> list[tuple[str, str]]:
    """The flashed (category, message) lines of one roster sync."""
    lines = []
    if result.contexts:
        lines.append(("info", f"Synced {result.members} member(s) from {result.contexts} LMS course(s)."))
    lines += [("error", f"The LMS refused the roster of {e}") for e in result.errors]
    lines += [("error", f"{title}: the LMS did not offer the course roster in its launches (no Names and Role "
                        "Provisioning claim). Ask the LMS administrator to enable it for the tool, then open "
                        "the tool from the LMS course once.") for title in result.no_service]
    if not lines:
        lines.append(("error", "No LMS course is connected to this course yet: open the tool from the LMS first."))
    return lines


@bp.post("/courses/<course>/lms/roster-sync")
@login_required
def sync(course: str) -> Any:
    """The "Sync roster from the LMS" button: the same use case as the API's roster sync."""
    found = _course(course)
    session = db_session()
    from grader.web.lms_api import _egress

    with guarded_session(_egress()) as http:
        result = roster.sync_roster(session, http, found)
    session.commit()
    for category, message in sync_message(result):
        flash(message, category)
    return _back(found)


@bp.post("/courses/<course>/lms/contexts/<int:context_pk>/unlink")
@login_required
def unlink(course: str, context_pk: int) -> Any:
    """Disconnect an LMS course (its next instructor launch connects it again)."""
    found = _course(course)
    session = db_session()
    try:
        contexts.unlink_context(session, found, context_pk)
    except ServiceError as exc:
        session.rollback()
        abort(exc.status, description=exc.message)
    session.commit()
    flash("The LMS course is no longer connected to this course; its next instructor launch connects it again.",
          "info")
    return redirect(url_for("lms_pages.course", course=found.key))
