"""Assignments for the authenticated user, and submitting answers to one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

from grader.api.common import json_body, require_user
from grader.app import db_session, now, queue, settings
from grader.services.catalog import STAFF_ROLES, assignment_for, assignment_view, visible_assignments
from grader.services.errors import InvalidRequest
from grader.services.submissions import submission_view
from grader.services.submit import submit as submit_answers_once
from grader.services.variants import with_variant

bp = Blueprint("assignments", __name__)


@bp.get("/assignments")
def list_assignments() -> Any:
    user = require_user()
    session = db_session()
    items = []
    for assignment, role in visible_assignments(session, user):
        _a, version, _r = assignment_for(session, user, assignment.key)
        items.append({**assignment_view(assignment, version, include_keys=False, with_questions=False),
                      "role": role})
    return {"items": items}


@bp.get("/assignments/<key>")
def get_assignment(key: str) -> Any:
    user = require_user()
    session = db_session()
    assignment, version, role = assignment_for(session, user, key)
    view = assignment_view(assignment, version, include_keys=role in STAFF_ROLES)
    return {**with_variant(view, session, assignment, version, user.id), "role": role}


@bp.post("/assignments/<key>/submissions")
def submit(key: str) -> Any:
    user = require_user()
    body = json_body()
    if "answers" not in body:
        raise InvalidRequest('the body must have "answers"', status=400)
    done = submit_answers_once(db_session(), queue(), user=user, assignment_key=key, answers=body["answers"],
                               idempotency_key=request.headers.get("Idempotency-Key"), source="api",
                               limits=settings().submission_limits(), document_id=body.get("document_id"),
                               now=now())
    submission, created = done.submission, done.created
    location = url_for("api.submissions.get_submission", submission_id=submission.id)
    headers = {"Location": location}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    body = submission_view(submission, None)
    return body, 202 if created else 200, headers
