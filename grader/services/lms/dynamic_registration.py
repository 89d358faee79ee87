"""Dynamic Registration: an LMS administrator pastes one URL (an invitation made by an instructor
of the course) and the LMS and the tool exchange the rest.

The invitation is signed and expires (``INVITE_MAX_AGE_S``); the platform's configuration and
answer are fetched without redirects, with a timeout and a size limit, and the resulting
registration is checked exactly like one typed by hand (``course_settings.add_platform``).
"""

from __future__ import annotations

import json
from typing import Any

from grader.db.models import Course
from grader.db.session import Session
from grader.lms_protocol import dynamic_registration as dr
from grader.security.egress import EgressPolicy, EgressRefused
from grader.services.errors import InvalidRequest
from grader.services.lms.course_settings import add_platform

TIMEOUT_S = 10.0
MAX_DOCUMENT_BYTES = 64 * 1024
INVITE_MAX_AGE_S = 7 * 24 * 3600


class RegistrationFailed(InvalidRequest):
    """The platform could not be registered (shown to the administrator, status 400 or 502)."""


def _json(response: Any, what: str) -> Any:
    if not 200 <= response.status_code < 300:
        raise RegistrationFailed(f"the platform answered HTTP {response.status_code} to the {what}", status=502)
    body = response.content
    if len(body) > MAX_DOCUMENT_BYTES:
        raise RegistrationFailed(f"the platform's {what} answer is larger than {MAX_DOCUMENT_BYTES} bytes", status=502)
    try:
        return json.loads(body)
    except ValueError:
        raise RegistrationFailed(f"the platform's {what} answer is not JSON", status=502) from None


def register(session: Session, http: Any, course: Course, *, openid_configuration: str,
             registration_token: str, tool: dr.ToolUrls, egress: EgressPolicy | None = None) -> dict[str, Any]:
    """Fetch the platform's configuration, register the tool there, store the platform for ``course``.
    ``http`` is a ``requests.Session`` (``get`` and ``post`` with ``timeout`` and ``allow_redirects``)."""
    if not openid_configuration.startswith(("https://", "http://")):
        raise RegistrationFailed('"openid_configuration" must be an http(s) URL')
    auth = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        response = http.get(openid_configuration, headers={**auth, "Accept": "application/json"},
                            timeout=TIMEOUT_S, allow_redirects=False)
    except EgressRefused as exc:
        raise RegistrationFailed(f'"openid_configuration": {exc}') from None
    except Exception as exc:  # the network: the administrator sees why
        raise RegistrationFailed(f"could not fetch the openid configuration: {type(exc).__name__}", status=502) from None
    try:
        config = dr.platform_config(_json(response, "openid configuration"), configuration_url=openid_configuration)
    except dr.RegistrationError as exc:
        raise RegistrationFailed(str(exc)) from None
    try:
        answer = http.post(config.registration_endpoint, json=dr.registration_request(tool),
                           headers={**auth, "Content-Type": "application/json"}, timeout=TIMEOUT_S,
                           allow_redirects=False)
    except EgressRefused as exc:
        raise RegistrationFailed(f'"registration_endpoint": {exc}') from None
    except Exception as exc:
        raise RegistrationFailed(f"could not reach the registration endpoint: {type(exc).__name__}", status=502) from None
    try:
        client_id, deployment_id = dr.registration_answer(_json(answer, "registration"))
    except dr.RegistrationError as exc:
        raise RegistrationFailed(str(exc), status=502) from None
    return add_platform(session, course, {
        "issuer": config.issuer, "client_id": client_id, "deployment_id": deployment_id,
        "auth_login_url": config.authorization_endpoint, "token_url": config.token_endpoint,
        "jwks_url": config.jwks_uri,
    }, egress=egress)
