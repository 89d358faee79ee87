"""``/api/v1/lms/courses/<course>/...``: instructors list, revoke and edit what they registered
(webhook endpoints, inbound secrets, LTI platforms). Thin: the rules are in ``grader.services.lms.manage``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from grader.app import db_session
from grader.services.lms import manage
from grader.web.lms import _egress, _json, _staff_course
from grader.services.errors import ServiceError

bp = Blueprint("lms_manage", __name__, url_prefix="/api/v1/lms")


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Any:
    db_session().rollback()
    return jsonify(error=exc.message), exc.status


def _done(out: Any, status: int = 200) -> Any:
    db_session().commit()
    return (jsonify(out), status) if out is not None else ("", 204)


@bp.get("/courses/<course>/webhooks")
def list_webhooks(course: str) -> Any:
    return jsonify(webhooks=manage.list_endpoints(db_session(), _staff_course(course)))


@bp.delete("/courses/<course>/webhooks/<int:endpoint_id>")
def delete_webhook(course: str, endpoint_id: int) -> Any:
    manage.delete_endpoint(db_session(), _staff_course(course), endpoint_id)
    return _done(None)


@bp.post("/courses/<course>/webhooks/<int:endpoint_id>/enable")
def enable_webhook(course: str, endpoint_id: int) -> Any:
    return _done(manage.enable_endpoint(db_session(), _staff_course(course), endpoint_id))


@bp.post("/courses/<course>/webhooks/<int:endpoint_id>/disable")
def disable_webhook(course: str, endpoint_id: int) -> Any:
    return _done(manage.disable_endpoint(db_session(), _staff_course(course), endpoint_id))


@bp.get("/courses/<course>/inbound-secrets")
def list_inbound_secrets(course: str) -> Any:
    return jsonify(secrets=manage.list_secrets(db_session(), _staff_course(course)))


@bp.post("/courses/<course>/inbound-secrets/rotate")
def rotate_inbound_secret(course: str) -> Any:
    staff = _staff_course(course)
    body = _json()
    return _done(manage.rotate_secret(db_session(), staff, body.get("overlap_hours", manage.DEFAULT_OVERLAP_HOURS)),
                 201)


@bp.delete("/courses/<course>/inbound-secrets/<int:secret_id>")
def retire_inbound_secret(course: str, secret_id: int) -> Any:
    return _done(manage.retire_secret(db_session(), _staff_course(course), secret_id))


@bp.get("/courses/<course>/lti-platforms")
def list_platforms(course: str) -> Any:
    return jsonify(platforms=manage.list_platforms(db_session(), _staff_course(course)))


@bp.route("/courses/<course>/lti-platforms/<int:platform_id>", methods=["PATCH", "DELETE"])
def platform(course: str, platform_id: int) -> Any:
    """PATCH edits, DELETE removes. One rule for both: with two, an id too large for the database
    answered 405 instead of 404 (werkzeug counts the other rule's method as a match)."""
    staff = _staff_course(course)
    if request.method == "DELETE":
        manage.delete_platform(db_session(), staff, platform_id)
        return _done(None)
    return _done(manage.edit_platform(db_session(), staff, platform_id, _json(), egress=_egress()))
