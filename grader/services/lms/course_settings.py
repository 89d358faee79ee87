"""Instructor actions on a course's LMS settings: webhook endpoints, the inbound secret, LTI
platform registrations, and the delivery log. Callers check that the user teaches the course."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from grader.db.queries import lms as q
from grader.db.models.lms import InboundWebhookSecret, LtiDeployment, LtiPlatform, WebhookDelivery, WebhookEndpoint
from grader.db.models import Course, User
from grader.db.session import Session
from grader.lms_protocol.platform_keys import PlatformKeyError, check_public_key_pem
from grader.lms_protocol.signatures import generate_secret
from grader.lms_protocol.webhooks import EVENT_TYPES
from grader.security.egress import EgressPolicy, EgressRefused
from grader.services.errors import Forbidden, InvalidRequest, NotFound
from grader.services.lms import deployments

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


def _url(value: Any, name: str, *, required: bool = True, egress: EgressPolicy | None = None) -> str | None:
    """An http(s) URL; with ``egress``, one the server may send requests to (no credentials, no
    internal address in any spelling: ``grader.security.egress``)."""
    if value in (None, "") and not required:
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        raise InvalidRequest(f'"{name}" must be an http(s) URL')
    if egress is not None:
        try:
            egress.check_static(str(value))
        except EgressRefused as exc:
            raise InvalidRequest(f'"{name}": {exc}') from None
    return str(value)


def add_endpoint(session: Session, course: Course, body: dict[str, Any], *,
                 egress: EgressPolicy | None = None) -> dict[str, Any]:
    """Register a webhook endpoint; the secret is returned here only. ``egress`` (default: no
    internal host allowed) refuses URLs the worker must not reach."""
    events = body.get("events") or list(EVENT_TYPES)
    if not isinstance(events, list) or any(e not in EVENT_TYPES for e in events):
        raise InvalidRequest(f'"events" must be a list of {", ".join(EVENT_TYPES)}')
    url = _url(body.get("url"), "url", egress=egress or EgressPolicy())
    endpoint = WebhookEndpoint(course_id=course.id, url=url, events=events, secret=generate_secret(), active=True)
    session.add(endpoint)
    session.flush()
    return {"id": endpoint.id, "url": endpoint.url, "events": events, "secret": endpoint.secret}


def rotate_inbound_secret(session: Session, course: Course) -> dict[str, Any]:
    """A new inbound secret; the previous ones stay valid until ``retire`` is asked for."""
    row = InboundWebhookSecret(course_id=course.id, secret=generate_secret(), active=True)
    session.add(row)
    session.flush()
    return {"id": row.id, "secret": row.secret}


def add_platform(session: Session, course: Course, body: dict[str, Any], *,
                 egress: EgressPolicy | None = None) -> dict[str, Any]:
    """Register an LTI 1.3 platform for the course; the same issuer and client id again, with the
    same keys and a new deployment id, adds that deployment (``"created": False``)."""
    issuer, client_id = body.get("issuer"), body.get("client_id")
    existing = (q.platforms_by_issuer(session, issuer, client_id)
                if isinstance(issuer, str) and isinstance(client_id, str) and client_id else [])
    if existing:
        values = platform_values(session, body, egress=egress, replacing=existing[0].id)
        return _add_deployment(session, existing[0], values)
    platform = LtiPlatform(course_id=course.id, **platform_values(session, body, egress=egress))
    if platform.deployment_id:
        deployments.refuse_foreign(session, platform, platform.deployment_id)
    session.add(platform)
    session.flush()
    if platform.deployment_id:
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=platform.deployment_id))
        session.flush()
    return {**platform_view(platform), "deployment_ids": q.deployments_of(session, platform.id), "created": True}


def _add_deployment(session: Session, platform: LtiPlatform, values: dict[str, Any]) -> dict[str, Any]:
    """One registration (issuer, client id) serves many deployments: registering it again with the
    same keys and another deployment adds that deployment (launches from it map their own courses)."""
    deployment = values["deployment_id"]
    same_keys = (platform.jwks_url, platform.public_key_pem) == (values["jwks_url"], values["public_key_pem"])
    accepted = q.deployments_of(session, platform.id)
    if not isinstance(deployment, str) or not same_keys or not accepted or deployment in accepted:
        raise InvalidRequest("this issuer and client id are already registered (to add a deployment, give a new "
                             '"deployment_id" and the same keys)', status=409)
    deployments.refuse_foreign(session, platform, deployment[:200])
    session.add(LtiDeployment(platform_id=platform.id, deployment_id=deployment[:200]))
    session.flush()
    return {**platform_view(platform), "deployment_ids": q.deployments_of(session, platform.id), "created": False}


def platform_view(platform: LtiPlatform) -> dict[str, Any]:
    return {"id": platform.id, **{k: getattr(platform, k) for k in PLATFORM_FIELDS if k != "public_key_pem"}}


def platform_values(session: Session, body: dict[str, Any], *, egress: EgressPolicy | None = None,
                    replacing: int | None = None) -> dict[str, Any]:
    """Checked registration fields (``replacing``: the id of the platform being edited). The URLs
    the server itself fetches (token, JWKS, line item) must pass ``egress``; the login URL is only
    ever visited by browsers."""
    egress = egress or EgressPolicy()
    values = {k: body.get(k) or None for k in PLATFORM_FIELDS}
    for name in ("issuer", "client_id"):
        if not isinstance(values[name], str):
            raise InvalidRequest(f'"{name}" is required')
    values["auth_login_url"] = _url(values["auth_login_url"], "auth_login_url")
    values["token_url"] = _url(values["token_url"], "token_url", egress=egress)
    for name in ("jwks_url", "lineitem_url"):
        values[name] = _url(values[name], name, required=False, egress=egress)
    if not values["jwks_url"] and not values["public_key_pem"]:
        raise InvalidRequest('give "jwks_url" or "public_key_pem"')
    for name in ("token_url", "jwks_url"):  # keys and tokens travel here: never in clear to the internet
        url = values[name]
        if isinstance(url, str) and not url.startswith("https://") and not egress.allows_host(
                urlsplit(url).hostname or ""):
            raise InvalidRequest(f'"{name}" must be an https URL')
    if values["public_key_pem"] is not None:
        try:
            values["public_key_pem"] = check_public_key_pem(values["public_key_pem"])
        except PlatformKeyError as exc:
            raise InvalidRequest(str(exc)) from None
    others = [p for p in q.platforms_by_issuer(session, str(values["issuer"])) if p.id != replacing]
    if any(p.client_id == values["client_id"] for p in others):
        raise InvalidRequest("this issuer and client id are already registered", status=409)
    # Users are linked by (issuer, sub) across courses: a second registration of an issuer with keys
    # of its own could sign id_tokens for that issuer's existing users and log in as any of them.
    for other in others:
        if (other.jwks_url, other.public_key_pem) != (values["jwks_url"], values["public_key_pem"]):
            raise InvalidRequest("this issuer is already registered with other keys: use the same "
                                 '"jwks_url" (or "public_key_pem") as its first registration', status=409)
    return values


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
