"""``GET /api/v1/me``: who the token (or login session) belongs to, and their courses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from grader.api.common import require_user
from grader.app import db_session
from grader.db.queries.users import roles_by_course
from grader.db.models import Course

bp = Blueprint("me", __name__)


@bp.get("/me")
def me() -> Any:
    user = require_user()
    session = db_session()
    roles = roles_by_course(session, user.id)
    courses = [
        {"id": course.key, "title": course.title, "role": roles[course.id]}
        for course in (session.get(Course, cid) for cid in sorted(roles))
        if course is not None
    ]
    return {"id": user.id, "email": user.email, "name": user.display_name, "courses": courses}
