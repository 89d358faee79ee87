"""Instructor routes for students' variants: preview one student's, override it, clear it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from grader.api.common import json_body, require_user
from grader.app import db_session
from grader.services import variants

bp = Blueprint("variants", __name__)


@bp.route("/assignments/<key>/variants/<int:student_id>", methods=["GET", "PUT", "DELETE"])
def student_variant(key: str, student_id: int) -> Any:
    """GET previews, PUT overrides, DELETE clears. One rule for the three: with one rule each, an
    id too large for the database answered 405 instead of 404 (werkzeug checks a rule's methods
    before its converters, so the other rules' methods counted as a match)."""
    user = require_user()
    session = db_session()
    if request.method == "GET":
        return variants.preview(session, user, key, student_id)
    if request.method == "PUT":
        out = variants.override(session, user, key, student_id, json_body())
    else:
        out = variants.clear(session, user, key, student_id)
    session.commit()
    return out
