"""LTI Deep Linking 2.0: read a platform's ``LtiDeepLinkingRequest`` settings and build the
tool's signed ``LtiDeepLinkingResponse`` carrying one ``ltiResourceLink`` content item with a
``lineItem`` (so the platform creates the gradebook column itself).

The response JWT (Deep Linking 2.0, section 4.2): ``iss`` = the tool's client id, ``aud`` = the
platform's issuer, ``nonce``, the deployment id, the content items and the request's opaque
``data`` echoed unchanged; signed RS256 with a key of the tool's JWKS.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Mapping

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
REQUEST = "LtiDeepLinkingRequest"
RESPONSE = "LtiDeepLinkingResponse"
RESOURCE_LINK = "ltiResourceLink"
RESPONSE_LIFETIME_S = 600


class DeepLinkingError(ValueError):
    """A deep linking request the tool cannot answer (the message says why)."""


@dataclass(frozen=True)
class DeepLinkSettings:
    """What the platform asked for (``deep_linking_settings``)."""

    return_url: str
    data: str | None
    accept_multiple: bool
    title: str


def settings_of(claims: Mapping[str, Any]) -> DeepLinkSettings:
    """The request's settings; DeepLinkingError when it cannot take an LTI resource link."""
    raw = claims.get(DL + "deep_linking_settings")
    if not isinstance(raw, dict) or not isinstance(raw.get("deep_link_return_url"), str):
        raise DeepLinkingError("the deep linking request has no deep_link_return_url")
    if not raw["deep_link_return_url"].startswith(("https://", "http://")):
        raise DeepLinkingError("the deep_link_return_url is not an http(s) URL")
    accepted = raw.get("accept_types") or []
    if RESOURCE_LINK not in accepted:
        raise DeepLinkingError("the LMS does not accept LTI resource links here (accept_types "
                               f"{', '.join(map(str, accepted)) or 'empty'})")
    data = raw.get("data")
    return DeepLinkSettings(return_url=raw["deep_link_return_url"], data=data if isinstance(data, str) else None,
                            accept_multiple=bool(raw.get("accept_multiple")), title=str(raw.get("title") or ""))


def resource_link_item(*, url: str, title: str, assignment_key: str, score_maximum: float) -> dict[str, Any]:
    """An ``ltiResourceLink`` content item for an assignment, with its gradebook line item."""
    return {
        "type": RESOURCE_LINK, "title": title, "url": url,
        "custom": {"assignment": assignment_key},
        "lineItem": {"scoreMaximum": score_maximum, "label": title, "resourceId": assignment_key},
    }


def response_claims(*, client_id: str, issuer: str, deployment_id: str, settings: DeepLinkSettings,
                    items: list[dict[str, Any]], now: float) -> dict[str, Any]:
    """The claims of the ``LtiDeepLinkingResponse`` JWT (sign them with the tool key)."""
    claims: dict[str, Any] = {
        "iss": client_id, "aud": issuer, "iat": int(now), "exp": int(now) + RESPONSE_LIFETIME_S,
        "nonce": secrets.token_urlsafe(16),
        LTI + "message_type": RESPONSE, LTI + "version": "1.3.0", LTI + "deployment_id": deployment_id,
        DL + "content_items": items,
    }
    if settings.data is not None:
        claims[DL + "data"] = settings.data
    return claims
