"""LTI Advantage services beyond score posting, pure apart from the injected HTTP client:
Names and Role Provisioning (the course roster) and AGS line items (read and create).

Both use the client-credentials token of ``grader.lms_protocol.ags`` with their own scope; both
page through ``Link: <...>; rel="next"`` headers up to ``MAX_PAGES``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from grader.lms_protocol.ags import PlatformAuth, TokenCache, TokenError, access_token
from grader.lms_protocol.jwks import ToolKey

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READ_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
MAX_PAGES = 50
TIMEOUT_S = 10.0
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class ServiceCallError(Exception):
    """The platform refused or failed a service call (the message says how)."""


@dataclass(frozen=True)
class Member:
    """One person of the LMS course roster."""

    user_id: str
    name: str
    roles: tuple[str, ...]
    status: str


def _get_all(http: Any, url: str, token: str, accept: str, key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        try:
            response = http.get(url, headers={"Authorization": f"Bearer {token}", "Accept": accept},
                                timeout=TIMEOUT_S, allow_redirects=False)
        except Exception as exc:
            raise ServiceCallError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise ServiceCallError(f"HTTP {response.status_code} from {url}")
        body = _json(response, url)
        if key and not isinstance(body, dict):
            raise ServiceCallError(f"the LMS answered JSON that is not an object from {url}")
        page = (body.get(key) if key else body) or []
        if not isinstance(page, list):
            raise ServiceCallError(f"the LMS answered {key or 'a body'} that is not a list from {url}")
        items.extend(i for i in page if isinstance(i, dict))
        found = _NEXT.search(response.headers.get("Link", ""))
        if not found:
            return items
        url = found.group(1)
    raise ServiceCallError(f"more than {MAX_PAGES} pages")


def _json(response: Any, url: str) -> Any:
    """The answer's JSON; ServiceCallError for a 200 that is not JSON (typically the LMS's login page)."""
    try:
        return response.json()
    except ValueError as exc:  # requests' JSONDecodeError is one
        ctype = str(getattr(response, "headers", {}).get("Content-Type") or "no content type").split(";")[0].strip()
        raise ServiceCallError(f"the LMS answered {ctype}, not JSON, from {url} (a login page? check the LMS's "
                               "service URL and that the tool's access is allowed there)") from exc


def _token(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, scope: str) -> str:
    try:
        return access_token(http, auth, key, cache, scope=scope)
    except TokenError as exc:
        raise ServiceCallError(f"no access token for {scope.rsplit('/', 1)[-1]}: {exc}") from exc


def memberships(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, url: str) -> list[Member]:
    """The course roster from the context memberships URL of a launch's NRPS claim."""
    token = _token(http, auth, key, cache, NRPS_SCOPE)
    return [Member(user_id=str(m.get("user_id") or ""), name=str(m.get("name") or "")[:200],
                   roles=tuple(r for r in m.get("roles") or [] if isinstance(r, str)),
                   status=str(m.get("status") or "Active"))
            for m in _get_all(http, url, token, MEMBERSHIPS_TYPE, "members") if m.get("user_id")]


def lineitems(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, url: str, *,
              scope: str = LINEITEM_SCOPE) -> list[dict[str, Any]]:
    """The line items of the context (the AGS claim's ``lineitems`` URL); ``scope``: the token's
    (``LINEITEM_READ_SCOPE`` where the platform granted reading only)."""
    token = _token(http, auth, key, cache, scope)
    return _get_all(http, url, token, LINEITEMS_TYPE, "")


def create_lineitem(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, url: str, *,
                    label: str, score_maximum: float, resource_id: str, resource_link_id: str | None
                    ) -> dict[str, Any]:
    """Create a line item (bound to the resource link when given); the platform's copy, with its ``id``."""
    token = _token(http, auth, key, cache, LINEITEM_SCOPE)
    body: dict[str, Any] = {"label": label, "scoreMaximum": score_maximum, "resourceId": resource_id}
    if resource_link_id:
        body["resourceLinkId"] = resource_link_id
    try:
        response = http.post(url, json=body, headers={"Authorization": f"Bearer {token}", "Content-Type": LINEITEM_TYPE,
                                                      "Accept": LINEITEM_TYPE}, timeout=TIMEOUT_S, allow_redirects=False)
    except Exception as exc:
        raise ServiceCallError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code not in (200, 201):
        raise ServiceCallError(f"HTTP {response.status_code} creating a line item")
    created = _json(response, url)
    if not isinstance(created, dict) or not isinstance(created.get("id"), str):
        raise ServiceCallError("the platform answered without the line item's id")
    return created
