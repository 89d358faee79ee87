"""Revoking what instructors registered for a course: webhook endpoints (list, delete, re-enable),
inbound secrets (list, rotate with an overlap window, retire) and LTI platforms (list, edit,
delete). Callers check that the user teaches the course (``course_settings.staff_course``); rows of other
courses are 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from grader.db.base import utcnow
from grader.db.models import Course
from grader.db.models.lms import InboundWebhookSecret, LtiPlatform, WebhookEndpoint
from grader.db.queries import lms_manage as qm
from grader.db.session import Session
from grader.lms_protocol.signatures import generate_secret
from grader.security.egress import EgressPolicy
from grader.services.errors import InvalidRequest, NotFound
from grader.services.lms import deployments
from grader.services.lms.course_settings import platform_values, platform_view

DEFAULT_OVERLAP_HOURS = 24
MAX_OVERLAP_HOURS = 24 * 30


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _of_course(session: Session, model: type, row_id: int, course: Course, what: str) -> Any:
    row = session.get(model, row_id)
    if row is None or row.course_id != course.id:
        raise NotFound(f"{what} {row_id} not found")
    return row


# --- webhook endpoints ---------------------------------------------------------------------------

def endpoint_view(row: WebhookEndpoint) -> dict[str, Any]:
    """An endpoint without its secret."""
    return {"id": row.id, "url": row.url, "events": row.events, "active": row.active,
            "disabled_reason": row.disabled_reason, "created_at": _iso(row.created_at)}


def list_endpoints(session: Session, course: Course) -> list[dict[str, Any]]:
    return [endpoint_view(r) for r in qm.endpoints_of_course(session, course.id)]


def delete_endpoint(session: Session, course: Course, endpoint_id: int) -> None:
    """Remove an endpoint and its deliveries (nothing more is sent to it)."""
    session.delete(_of_course(session, WebhookEndpoint, endpoint_id, course, "webhook endpoint"))
    session.flush()


def enable_endpoint(session: Session, course: Course, endpoint_id: int) -> dict[str, Any]:
    """Re-enable an endpoint disabled by a 410 (or by hand); later events are delivered again."""
    row = _of_course(session, WebhookEndpoint, endpoint_id, course, "webhook endpoint")
    row.active, row.disabled_reason = True, ""
    session.flush()
    return endpoint_view(row)


def disable_endpoint(session: Session, course: Course, endpoint_id: int) -> dict[str, Any]:
    row = _of_course(session, WebhookEndpoint, endpoint_id, course, "webhook endpoint")
    row.active, row.disabled_reason = False, f"disabled by an instructor at {utcnow().isoformat()}"
    session.flush()
    return endpoint_view(row)


# --- inbound secrets -----------------------------------------------------------------------------

def secret_view(row: InboundWebhookSecret) -> dict[str, Any]:
    """A secret's state, never the secret."""
    now = utcnow()
    usable = row.active and (row.expires_at is None or row.expires_at > now)
    return {"id": row.id, "active": usable, "created_at": _iso(row.created_at), "expires_at": _iso(row.expires_at)}


def list_secrets(session: Session, course: Course) -> list[dict[str, Any]]:
    return [secret_view(r) for r in qm.secrets_of_course(session, course.id)]


def rotate_secret(session: Session, course: Course, overlap_hours: Any = DEFAULT_OVERLAP_HOURS) -> dict[str, Any]:
    """A new secret (returned once); every other usable secret keeps working for ``overlap_hours``
    (time to configure the LMS with the new one), then stops."""
    if (not isinstance(overlap_hours, (int, float)) or isinstance(overlap_hours, bool)
            or not 0 <= overlap_hours <= MAX_OVERLAP_HOURS):
        raise InvalidRequest(f'"overlap_hours" must be a number from 0 to {MAX_OVERLAP_HOURS}')
    until = utcnow() + timedelta(hours=overlap_hours)
    for row in qm.secrets_of_course(session, course.id, active_only=True):
        if row.expires_at is None or row.expires_at > until:
            row.expires_at = until
    new = InboundWebhookSecret(course_id=course.id, secret=generate_secret(), active=True)
    session.add(new)
    session.flush()
    return {**secret_view(new), "secret": new.secret, "previous_secrets_expire_at": until.isoformat()}


def retire_secret(session: Session, course: Course, secret_id: int) -> dict[str, Any]:
    """Stop accepting a secret now."""
    row = _of_course(session, InboundWebhookSecret, secret_id, course, "inbound secret")
    row.active = False
    session.flush()
    return secret_view(row)


# --- LTI platforms -------------------------------------------------------------------------------

def list_platforms(session: Session, course: Course) -> list[dict[str, Any]]:
    return [platform_view(r) for r in qm.platforms_of_course(session, course.id)]


def edit_platform(session: Session, course: Course, platform_id: int, body: dict[str, Any], *,
                  egress: EgressPolicy | None = None) -> dict[str, Any]:
    """Change a registration: the fields given replace the stored ones, checked like a new one."""
    row = _of_course(session, LtiPlatform, platform_id, course, "LTI platform")
    merged = {k: getattr(row, k) for k in ("issuer", "client_id", "deployment_id", "auth_login_url", "token_url",
                                           "jwks_url", "public_key_pem", "lineitem_url")}
    merged.update({k: v for k, v in body.items() if k in merged})
    values = platform_values(session, merged, egress=egress, replacing=row.id)
    new_deployment = values.pop("deployment_id")
    if new_deployment != row.deployment_id:
        if new_deployment:  # the primary deployment is renamed (its mappings follow)
            deployments.change_primary(session, row, new_deployment)
        elif qm.deployment_rows(session, row.id):
            raise InvalidRequest('"deployment_id" cannot be removed: delete deployments through '
                                 f"/lti-platforms/{row.id}/deployments")
        else:
            row.deployment_id = None
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return platform_view(row)


def delete_platform(session: Session, course: Course, platform_id: int) -> None:
    """Remove a registration: its launches stop working and its pending score posts are dropped."""
    session.delete(_of_course(session, LtiPlatform, platform_id, course, "LTI platform"))
    session.flush()
