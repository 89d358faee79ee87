"""The instructor's LMS page of an assignment: where each student's score goes in the LMS
gradebook, or why it goes nowhere, and what the last score post did. Installed with the pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from grader.app import db_session
from grader.services.errors import ServiceError
from grader.services.lms.passback_status import passback_status
from grader.web.common import login_required, user

bp = Blueprint("lms_pages", __name__, url_prefix="/instructor", template_folder="templates")


@bp.get("/assignments/<key>/lms")
@login_required
def passback(key: str) -> Any:
    try:
        page = passback_status(db_session(), user(), key)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    return render_template("lms_passback.html", key=key, rows=page.rows, not_submitted=page.not_submitted,
                           deliveries=page.deliveries)
