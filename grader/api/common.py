"""Helpers every API route uses: the authenticated user, the JSON body, query parameters."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from grader.db.models import User
from grader.web.request_user import current_user
from grader.services.errors import InvalidRequest, ServiceError


class NotAuthenticated(Unauthorized):
    description = "authentication required: send Authorization: Bearer <token>"


def require_user() -> User:
    """The authenticated user, or 401 with ``WWW-Authenticate: Bearer``."""
    user = current_user()
    if user is None:
        raise NotAuthenticated(www_authenticate=WWWAuthenticate("Bearer", {"realm": "grader"}))
    return user


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 for another content type, 400 for bad JSON or non-object."""
    if not request.is_json:
        abort(415, description="send a JSON body with Content-Type: application/json")
    try:
        body = current_app.json.loads(request.get_data(cache=True))
    except ValueError as exc:  # not JSON, bad UTF-8, or nested too deeply (grader.app.JSONProvider)
        raise InvalidRequest(f"the body is not valid JSON: {exc}", status=400) from None
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object", status=400)
    return body


MAX_INT_ARG = 2**31 - 1  # what the database can compare with (PostgreSQL INTEGER)


def int_arg(name: str, default: int) -> int:
    """An integer query parameter (400 when it is not one, or not within +-2**31-1)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(f"query parameter {name!r} must be an integer", status=400) from None
    if abs(value) > MAX_INT_ARG:
        raise InvalidRequest(f"query parameter {name!r} is out of range (at most {MAX_INT_ARG})", status=400)
    return value


def service_error(exc: ServiceError) -> Any:
    """``{"error": message}`` with the error's status."""
    return jsonify(error=exc.message), exc.status
