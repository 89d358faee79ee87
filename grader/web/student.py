"""Student pages: the list of assignments, an assignment's form, a submission's results."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from grader.app import db_session, now, queue, settings
from grader.services.catalog import STAFF_ROLES, visible_assignments
from grader.services.checks import revealed_keys
from grader.services.documents import read_document_answers
from grader.services.errors import InvalidRequest, ServiceError
from grader.services.student_form import latest_answers, submitted_answers
from grader.services.student_pages import answers_from_form, past_submissions, student_page, table_rows
from grader.services.submissions import replayed_submission, submission_for
from grader.services.submit import submit as submit_answers_once
from grader.services.variants import student_questions
from grader.web.common import flash_error, login_required, user
from grader.web.csrf import check_csrf

bp = Blueprint("student", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
bp.before_request(check_csrf)  # once, at import: blueprints are shared by every app


@bp.get("/")
@login_required
def home() -> Any:
    items = visible_assignments(db_session(), user())
    return render_template("home.html", items=items, staff_roles=STAFF_ROLES)


@bp.get("/assignments/<key>")
@login_required
def assignment(key: str) -> Any:
    try:
        page = student_page(db_session(), user(), key)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    return _form(page, latest_answers(page.submissions))


def _form(page: Any, answers: dict[str, Any], found: dict[str, Any] | None = None) -> Any:
    """The assignment form pre-filled with ``answers`` (past ones, or those found in a document)."""
    tables = {str(q["id"]): table_rows(q, answers.get(str(q["id"]))) for q in page.questions
              if q.get("type") == "ad_table"}
    return render_template("assignment.html", page=page, last=answers, tables=tables, found=found,
                           idempotency_key=secrets.token_urlsafe(16), now=now())


@bp.post("/assignments/<key>/document")
@login_required
def document(key: str) -> Any:
    """Read a handed-in document: the form comes back filled with what was found, for checking."""
    session = db_session()
    upload = request.files.get("document")
    try:
        page = student_page(session, user(), key)
        if upload is None or not upload.filename:
            raise InvalidRequest("Choose a file to hand in first.")
        found = read_document_answers(session, user(), key, data=upload.read(), filename=upload.filename,
                                      max_bytes=settings().max_request_bytes)
        session.commit()
    except ServiceError as exc:
        session.rollback()
        if exc.status == 404:
            abort(404, description=exc.message)
        flash_error(exc.message)
        return redirect(url_for("student.assignment", key=key, _anchor="document-h"))
    return _form(page, found["answers"], found)


@bp.post("/assignments/<key>/submit")
@login_required
def submit(key: str) -> Any:
    session = db_session()
    try:
        page = student_page(session, user(), key)
        again = replayed_submission(session, user(), request.form.get("idempotency_key") or None)
        if again is not None:  # the same form posted twice (a double click): its submission, not "nothing changed"
            return redirect(url_for("student.submission", submission_id=again.id))
        answers = submitted_answers(answers_from_form(page.questions, request.form), page.questions, page.submissions)
        if not answers:
            flash_error("Type at least one answer before submitting.")
            return redirect(url_for("student.assignment", key=key))
        raw_document = request.form.get("document_id", "")
        done = submit_answers_once(session, queue(), user=user(), assignment_key=key, answers=answers,
                                   idempotency_key=request.form.get("idempotency_key") or None, source="web",
                                   limits=settings().submission_limits(), now=now(),
                                   document_id=int(raw_document) if raw_document.isdigit() else None)
    except ServiceError as exc:
        session.rollback()
        if exc.status == 404:
            abort(404, description=exc.message)
        flash_error(exc.message)
        return redirect(url_for("student.assignment", key=key))
    return redirect(url_for("student.submission", submission_id=done.submission.id))


@bp.get("/submissions/<int:submission_id>")
@login_required
def submission(submission_id: int) -> Any:
    session = db_session()
    try:
        found = submission_for(session, user(), submission_id)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    assignment = found.assignment_version.assignment
    subs = past_submissions(session, found.user, assignment.id)
    this = next(s for s in subs if s.id == submission_id)
    questions = student_questions(session, assignment, found.assignment_version, found.user_id)
    keys = revealed_keys(questions, subs, definition=found.assignment_version.definition, now=now())
    return render_template("submission.html", sub=this, questions=questions, assignment=assignment,
                           owner=found.user, mine=found.user_id == user().id, keys=keys)


@bp.get("/help/documents")
@login_required
def documents_help() -> Any:
    return render_template("documents_help.html")
