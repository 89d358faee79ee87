"""Instructor actions on a course's LMS settings: webhook endpoints, the inbound secret, LTI
platform registrations, and the delivery log. Callers check that the user teaches the course."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from grader.db.queries import lms as q
from grader.db.models.lms import InboundWebhookSecret, LtiDeployment, LtiPlatform, WebhookDelivery, WebhookEndpoint
from grader.db.models import Course, User
from grader.db.session import Session
from grader.lms_protocol.signatures import generate_secret
from grader.lms_protocol.webhooks import EVENT_TYPES
from grader.services.errors import Forbidden, InvalidRequest, NotFound

STAFF = ("instructor", "admin")
PLATFORM_FIELDS = ("issuer", "client_id", "deployment_id", "auth_login_url", "token_url", "jwks_url",
                   "public_key_pem", "lineitem_url")


def staff_course(session: Session, user: User, course_ref: str) -> Course:
    """The course, when ``user`` teaches it (404 when it does not exist or is not visible)."""
    course = q.course_by_ref(session, course_ref)
    enrolment = q.enrollment(session, user.id, course.id) if course is not None else None
    if course is None or enrolment is None:
        raise NotFound(f"course {course_ref!r} not found")
    if enrolment.role not in STAFF:
        raise Forbidden("only the course's instructors manage its LMS settings")
    return course


def _url(value: Any, name: str, *, required: bool = True) -> str | None:
    if value in (None, "") and not required:
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        raise InvalidRequest(f'"{name}" must be an http(s) URL')
    return str(value)


def add_endpoint(session: Session, course: Course, body: dict[str, Any]) -> dict[str, Any]:
    """Register a webhook endpoint; the secret is returned here only."""
    events = body.get("events") or list(EVENT_TYPES)
    if not isinstance(events, list) or any(e not in EVENT_TYPES for e in events):
        raise InvalidRequest(f'"events" must be a list of {", ".join(EVENT_TYPES)}')
    endpoint = WebhookEndpoint(course_id=course.id, url=_url(body.get("url"), "url"), events=events,
                               secret=generate_secret(), active=True)
    session.add(endpoint)
    session.flush()
    return {"id": endpoint.id, "url": endpoint.url, "events": events, "secret": endpoint.secret}


def rotate_inbound_secret(session: Session, course: Course) -> dict[str, Any]:
    """A new inbound secret; the previous ones stay valid until ``retire`` is asked for."""
    row = InboundWebhookSecret(course_id=course.id, secret=generate_secret(), active=True)
    session.add(row)
    session.flush()
    return {"id": row.id, "secret": row.secret}


def add_platform(session: Session, course: Course, body: dict[str, Any]) -> dict[str, Any]:
    """Register an LTI 1.3 platform for the course."""
    values = {k: body.get(k) or None for k in PLATFORM_FIELDS}
    for name in ("issuer", "client_id"):
        if not isinstance(values[name], str):
            raise InvalidRequest(f'"{name}" is required')
    for name in ("auth_login_url", "token_url"):
        values[name] = _url(values[name], name)
    for name in ("jwks_url", "lineitem_url"):
        values[name] = _url(values[name], name, required=False)
    if not values["jwks_url"] and not values["public_key_pem"]:
        raise InvalidRequest('give "jwks_url" or "public_key_pem"')
    issuer = str(values["issuer"])
    registered = q.platforms_by_issuer(session, issuer, values["client_id"])
    if registered:
        return _add_deployment(session, registered[0], values)
    # Users are linked by (issuer, sub) across courses: a second registration of an issuer with keys
    # of its own could sign id_tokens for that issuer's existing users and log in as any of them.
    for other in q.platforms_by_issuer(session, issuer):
        if (other.jwks_url, other.public_key_pem) != (values["jwks_url"], values["public_key_pem"]):
            raise InvalidRequest("this issuer is already registered with other keys: use the same "
                                 '"jwks_url" (or "public_key_pem") as its first registration', status=409)
    platform = LtiPlatform(course_id=course.id, **values)
    session.add(platform)
    session.flush()
    if platform.deployment_id:
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=platform.deployment_id))
        session.flush()
    return {**_platform_view(session, platform), "created": True}


def _platform_view(session: Session, platform: LtiPlatform) -> dict[str, Any]:
    return {"id": platform.id, **{k: getattr(platform, k) for k in PLATFORM_FIELDS if k != "public_key_pem"},
            "deployment_ids": q.deployments_of(session, platform.id)}


def _add_deployment(session: Session, platform: LtiPlatform, values: dict[str, Any]) -> dict[str, Any]:
    """One registration (issuer, client id) serves many deployments: registering it again with the
    same keys and another deployment adds that deployment (launches from it map their own courses)."""
    deployment = values["deployment_id"]
    same_keys = (platform.jwks_url, platform.public_key_pem) == (values["jwks_url"], values["public_key_pem"])
    accepted = q.deployments_of(session, platform.id)
    if not isinstance(deployment, str) or not same_keys or not accepted or deployment in accepted:
        raise InvalidRequest("this issuer and client id are already registered (to add a deployment, give a new "
                             '"deployment_id" and the same keys)', status=409)
    session.add(LtiDeployment(platform_id=platform.id, deployment_id=deployment[:200]))
    session.flush()
    return {**_platform_view(session, platform), "created": False}


def delivery_view(row: WebhookDelivery) -> dict[str, Any]:
    """One line of the delivery log."""
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": row.id, "event_id": row.event_id, "event_type": row.event_type, "endpoint_id": row.endpoint_id,
        "url": row.endpoint.url, "submission_id": row.submission_id, "status": row.status,
        "attempts": row.attempts, "last_status_code": row.last_status_code, "last_error": row.last_error,
        "last_attempt_at": iso(row.last_attempt_at), "next_attempt_at": iso(row.next_attempt_at),
        "delivered_at": iso(row.delivered_at), "created_at": iso(row.created_at),
    }


def delivery_log(session: Session, course: Course, *, limit: int = 100) -> list[dict[str, Any]]:
    return [delivery_view(r) for r in q.deliveries_of_course(session, course.id, limit=limit)]


def delivery_of_course(session: Session, course: Course, delivery_id: int) -> WebhookDelivery:
    row = session.get(WebhookDelivery, delivery_id)
    if row is None or row.endpoint.course_id != course.id:
        raise NotFound(f"delivery {delivery_id} not found")
    return row
