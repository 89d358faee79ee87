"""Instructor pages: the dashboard of an assignment, manual grading, feedback on errors, regrades."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from grader.app import db_session, queue
from grader.services import dispatch, regrade
from grader.services.dashboard_actions import attach_feedback, dashboard_data, grade_manually
from grader.services.errors import ServiceError
from grader.services.student_pages import past_submissions
from grader.services.variants import student_questions, student_variant
from grader.web.charts import bins_svg
from grader.web.common import flash_error, login_required, user
from grader.web.csrf import check_csrf

bp = Blueprint("instructor", __name__, url_prefix="/instructor", template_folder="templates")
bp.before_request(check_csrf)  # once, at import: blueprints are shared by every app


def _fail(exc: ServiceError) -> None:
    abort(exc.status, description=exc.message)


@bp.get("/assignments/<key>")
@login_required
def dashboard(key: str) -> Any:
    try:
        data = dashboard_data(db_session(), user(), key)
    except ServiceError as exc:
        _fail(exc)
    chart = bins_svg(data.summary.bins, title=f"Scores (latest submission per student, out of "
                                              f"{data.summary.max_score:g})")
    return render_template("dashboard.html", data=data, chart=chart, job_id=request.args.get("job", type=int))


@bp.post("/assignments/<key>/regrade")
@login_required
def start_regrade(key: str) -> Any:
    session = db_session()
    try:
        job = regrade.request_regrade(session, user(), key)
        if job.total:
            dispatch.pending(session).regrades.append(job.id)
        dispatch.commit_and_send(session, queue())
    except ServiceError as exc:
        _fail(exc)
    flash(f"Regrading {job.total} submission(s).", "info")
    return redirect(url_for("instructor.dashboard", key=key, job=job.id, at="regrade", _anchor="regrade"))


@bp.post("/assignments/<key>/feedback")
@login_required
def feedback(key: str) -> Any:
    session = db_session()
    qid = request.form.get("question_id", "")
    try:
        attach_feedback(session, user(), key, question_id=qid, answer=request.form.get("answer", ""),
                        feedback=request.form.get("feedback", ""))
        session.commit()
        flash(f"Feedback attached to a wrong answer of question {qid}; regrade to apply it.", "info")
    except ServiceError as exc:
        dispatch.rollback(session)
        if exc.status in (403, 404):
            _fail(exc)
        flash_error(exc.message)
    return redirect(url_for("instructor.dashboard", key=key, at=f"wrong-{qid}", _anchor=f"wrong-{qid}"))


@bp.post("/results/<int:result_id>/grade")
@login_required
def grade(result_id: int) -> Any:
    session = db_session()
    key = request.form.get("assignment", "")
    item = request.form.get("item", "")  # the grading form's element: the message is shown there
    try:
        row = grade_manually(session, user(), result_id, points=request.form.get("points"),
                             comment=request.form.get("comment", ""))
        dispatch.commit_and_send(session, queue())  # the grade, then the LMS is told
        flash(f"Saved {row.points:g}/{row.max_points:g} for question {row.question_id} "
              f"of submission {row.submission_id}.", "info")
    except ServiceError as exc:
        dispatch.rollback(session)
        if exc.status in (403, 404):
            _fail(exc)
        flash_error(exc.message)
    if not key:
        return redirect(url_for("student.home"))
    if item.startswith("manual-"):
        return redirect(url_for("instructor.dashboard", key=key, at=item, _anchor=item))
    return redirect(url_for("instructor.dashboard", key=key, _anchor="manual"))


@bp.get("/assignments/<key>/students/<int:user_id>")
@login_required
def student(key: str, user_id: int) -> Any:
    from grader.db.models import User
    from grader.services.catalog import assignment_for

    session = db_session()
    try:
        assignment, version, _role = assignment_for(session, user(), key, staff=True)
    except ServiceError as exc:
        _fail(exc)
    person = session.get(User, user_id)
    if person is None:
        abort(404)
    subs = past_submissions(session, person, assignment.id)
    if not subs:
        abort(404)
    questions = student_questions(session, assignment, version, person.id)  # the student's own numbers
    return render_template("student_detail.html", person=person, subs=subs, questions=questions,
                           assignment=assignment,
                           variant=student_variant(session, assignment, version, person.id))
