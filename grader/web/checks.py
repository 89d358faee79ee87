"""The per-question check's result as an HTML fragment the form puts beside the answer
(verdict, points, feedback drawn as math, attempts left). The check itself is an ordinary
submission made through ``POST /api/v1/assignments/<key>/submissions``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from grader.app import db_session, now
from grader.services.checks import question_check
from grader.services.errors import ServiceError
from grader.web.common import login_required, user
from grader.web.csrf import check_csrf

bp = Blueprint("checks", __name__, template_folder="templates")
bp.before_request(check_csrf)


@bp.get("/submissions/<int:submission_id>/questions/<question_id>/check")
@login_required
def question_result(submission_id: int, question_id: str) -> Any:
    try:
        check = question_check(db_session(), user(), submission_id, question_id, now=now())
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    return render_template("_check_result.html", check=check)
