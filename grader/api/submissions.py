"""``GET /api/v1/submissions/<id>``: status and current results (own, or of a course taught)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from grader.api.common import require_user
from grader.app import db_session
from grader.services.submissions import read_submission

bp = Blueprint("submissions", __name__)


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int) -> Any:
    user = require_user()
    return read_submission(db_session(), user, submission_id)
