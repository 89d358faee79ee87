"""``/api/v1/lms``: the signed inbound submission webhook, the instructors' LMS settings (webhook
endpoints, inbound secrets, LTI registrations, LMS contexts, roster, gradebook columns), the delivery
log and the passback status. Thin: the rules are in ``grader.services.lms``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from grader.app import db_session, queue, settings
from grader.db.models import User
from grader.db.models.lms import WebhookDelivery
from grader.security.egress import EgressPolicy
from grader.security.egress_http import guarded_session
from grader.services import dispatch
from grader.services.errors import ServiceError
from grader.services.lms import contexts, course_settings as admin, inbound, outbox, roster
from grader.services.lms.passback_status import passback_status
from grader.web.request_user import current_user

api_bp = Blueprint("lms_api", __name__, url_prefix="/api/v1/lms")


@api_bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Any:
    db_session().rollback()
    return jsonify(error=exc.message), exc.status


@api_bp.post("/submissions")
def inbound_submission() -> Any:
    """A signed submission from the LMS: 202 (created), 200 (replayed), 401 (bad signature)."""
    result = inbound.receive(db_session(), queue(), request.headers, request.get_data(cache=True),
                             limits=settings().submission_limits())
    return jsonify(result.body), result.status


def _staff_course(course: str) -> Any:
    user = current_user()
    if not isinstance(user, User):
        raise inbound.Unauthorized("authentication required")
    return admin.staff_course(db_session(), user, course)


def _egress() -> EgressPolicy:
    """Where registered URLs may point (WEBHOOK_ALLOWED_HOSTS exempts development receivers)."""
    return EgressPolicy(allowed_hosts=settings().webhook_allowed_hosts)


def _json() -> dict[str, Any]:
    """The JSON object sent ({} for no body); 400 for a body that is not one (or nested too deeply)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = current_app.json.loads(raw)
    except ValueError as exc:  # not JSON, or nested deeper than the decoder goes (grader.app.JSONProvider)
        raise ServiceError(f"the body is not valid JSON: {exc}", status=400) from None
    if not isinstance(body, dict):
        raise ServiceError("the body must be a JSON object", status=400)
    return body


@api_bp.post("/courses/<course>/webhooks")
def add_webhook(course: str) -> Any:
    out = admin.add_endpoint(db_session(), _staff_course(course), _json(), egress=_egress())
    db_session().commit()
    return jsonify(out), 201


@api_bp.post("/courses/<course>/inbound-secrets")
def add_inbound_secret(course: str) -> Any:
    out = admin.rotate_inbound_secret(db_session(), _staff_course(course))
    db_session().commit()
    return jsonify(out), 201


@api_bp.post("/courses/<course>/lti-platforms")
def add_platform(course: str) -> Any:
    out = admin.add_platform(db_session(), _staff_course(course), _json(), egress=_egress())
    db_session().commit()
    created = out.pop("created")
    return jsonify(out), 201 if created else 200


@api_bp.post("/courses/<course>/lti-registration-url")
def registration_url(course: str) -> Any:
    """A Dynamic Registration URL for this course, for the LMS administrator to paste (expires)."""
    from grader.web.lti_pages import registration_url as make_url

    return jsonify(url=make_url(_staff_course(course).id)), 201


@api_bp.post("/courses/<course>/roster/sync")
def sync_roster(course: str) -> Any:
    """Fetch the LMS course roster (Names and Role Provisioning) of every connected LMS course."""
    with guarded_session(_egress()) as http:
        result = roster.sync_roster(db_session(), http, _staff_course(course))
    db_session().commit()
    return jsonify(contexts=result.contexts, members=result.members, errors=list(result.errors))


@api_bp.route("/courses/<course>/lti-contexts/<int:context_pk>/lineitems", methods=["GET", "POST"])
def context_lineitems(course: str, context_pk: int) -> Any:
    """GET: the LMS course's line items; POST {"assignment": key}: create its gradebook column (AGS),
    each only with the AGS scope the LMS granted there."""
    from grader.services.lms import lineitems

    staff = _staff_course(course)
    with guarded_session(_egress()) as http:
        if request.method == "GET":
            return jsonify(lineitems=lineitems.list_lineitems(db_session(), http, staff, context_pk))
        created = lineitems.create_lineitem(db_session(), http, staff, context_pk, _json().get("assignment"))
    return jsonify(created), 201


@api_bp.get("/courses/<course>/lti-contexts")
def list_contexts(course: str) -> Any:
    return jsonify(contexts=contexts.list_contexts(db_session(), _staff_course(course)))


@api_bp.post("/courses/<course>/lti-contexts")
def link_context(course: str) -> Any:
    """Connect an LMS course (issuer, deployment, context id) to this course before anyone launches."""
    out = contexts.link_context(db_session(), _staff_course(course), _json())
    db_session().commit()
    return jsonify(out), 201


@api_bp.delete("/courses/<course>/lti-contexts/<int:context_pk>")
def unlink_context(course: str, context_pk: int) -> Any:
    contexts.unlink_context(db_session(), _staff_course(course), context_pk)
    db_session().commit()
    return "", 204


@api_bp.get("/courses/<course>/deliveries")
def deliveries(course: str) -> Any:
    return jsonify(deliveries=admin.delivery_log(db_session(), _staff_course(course)))


@api_bp.get("/assignments/<key>/passback")
def passback(key: str) -> Any:
    """Per student: the LMS link and line item the score goes to, or why none."""
    user = current_user()
    if not isinstance(user, User):
        raise inbound.Unauthorized("authentication required")
    page = passback_status(db_session(), user, key)
    return jsonify(students=[asdict(r) for r in page.rows], not_submitted=page.not_submitted)


@api_bp.post("/courses/<course>/deliveries/<int:delivery_id>/redeliver")
def redeliver(course: str, delivery_id: int) -> Any:
    session = db_session()
    row: WebhookDelivery = admin.delivery_of_course(session, _staff_course(course), delivery_id)
    if not outbox.redeliver(session, row.id):
        return jsonify(error="the endpoint is disabled"), 409
    dispatch.pending(session).lms_deliveries.append(row.id)
    dispatch.commit_and_send(session, queue())
    return jsonify(admin.delivery_view(row)), 202
