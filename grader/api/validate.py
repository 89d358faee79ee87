"""``POST /api/v1/validate``: the live preview (parse only; nothing graded or stored)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from grader.api.common import json_body, require_user
from grader.app import db_session, settings
from grader.services.validation import validate_answer

bp = Blueprint("validate", __name__)


@bp.post("/validate")
def validate() -> Any:
    user = require_user()
    body = json_body()
    return validate_answer(
        db_session(), user,
        answer=body.get("answer"), syntax=body.get("syntax", "auto"),
        assignment_key=body.get("assignment_id"), question_id=body.get("question_id"),
        max_chars=settings().max_answer_chars,
    )
