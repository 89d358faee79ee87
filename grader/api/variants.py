"""Instructor routes for students' variants: preview one student's, override it, clear it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from grader.api.common import json_body, require_user
from grader.app import db_session
from grader.services import variants

bp = Blueprint("variants", __name__)


@bp.get("/assignments/<key>/variants/<int:student_id>")
def preview_variant(key: str, student_id: int) -> Any:
    return variants.preview(db_session(), require_user(), key, student_id)


@bp.put("/assignments/<key>/variants/<int:student_id>")
def override_variant(key: str, student_id: int) -> Any:
    user = require_user()
    session = db_session()
    out = variants.override(session, user, key, student_id, json_body())
    session.commit()
    return out


@bp.delete("/assignments/<key>/variants/<int:student_id>")
def clear_variant(key: str, student_id: int) -> Any:
    user = require_user()
    session = db_session()
    out = variants.clear(session, user, key, student_id)
    session.commit()
    return out
