"""``/api/v1/lms/courses/<course>/...``: instructors list, revoke and edit what they registered
(webhook endpoints, inbound secrets, LTI platforms and their deployments) and change or delete
the LMS course's line items. Thin: the rules are in ``grader.services.lms.manage``,
``.deployments`` and ``.lineitems``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from grader.app import db_session
from grader.security.egress_http import guarded_session
from grader.services.lms import deployments, lineitems, manage
from grader.web.lms_api import _egress, _json, _staff_course
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


@bp.route("/courses/<course>/lti-platforms/<int:platform_id>/deployments", methods=["GET", "POST"])
def platform_deployments(course: str, platform_id: int) -> Any:
    """GET lists the deployments a registration accepts; POST {"deployment_id"} adds one."""
    staff = _staff_course(course)
    if request.method == "GET":
        return jsonify(deployments=deployments.list_deployments(db_session(), staff, platform_id))
    return _done(deployments.add_deployment(db_session(), staff, platform_id, _json()), 201)


@bp.route("/courses/<course>/lti-platforms/<int:platform_id>/deployments/<int:deployment_pk>",
          methods=["PATCH", "DELETE"])
def platform_deployment(course: str, platform_id: int, deployment_pk: int) -> Any:
    """PATCH {"deployment_id"} corrects the id; DELETE stops accepting the deployment (one rule: see ``platform``)."""
    staff = _staff_course(course)
    if request.method == "DELETE":
        return _done(deployments.delete_deployment(db_session(), staff, platform_id, deployment_pk))
    return _done(deployments.rename_deployment(db_session(), staff, platform_id, deployment_pk, _json()))


@bp.route("/courses/<course>/lti-contexts/<int:context_pk>/lineitem", methods=["PUT", "DELETE"])
def context_lineitem(course: str, context_pk: int) -> Any:
    """The line item ``?id=<its URL>`` of the LMS course: PUT changes it (AGS), DELETE deletes it."""
    staff = _staff_course(course)
    url = request.args.get("id")
    with guarded_session(_egress()) as http:
        if request.method == "DELETE":
            out = lineitems.delete_lineitem(db_session(), http, staff, context_pk, url)
        else:
            out = lineitems.update_lineitem(db_session(), http, staff, context_pk, url, _json())
    return _done(out)
