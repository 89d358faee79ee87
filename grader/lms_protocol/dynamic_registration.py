"""1EdTech LTI Dynamic Registration 1.0 (the tool's side), pure: check the platform's
OpenID configuration and build the tool's client registration request; read the answer.

The flow: the LMS opens the tool's registration URL with ``openid_configuration`` (a URL) and
``registration_token``; the tool fetches that configuration, POSTs its registration (OpenID
Connect Dynamic Client Registration plus the ``lti-tool-configuration`` object) to the
configuration's ``registration_endpoint`` with the token as a bearer token, and stores the
``client_id`` (and ``deployment_id``) the platform answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = ("https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly")
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")


class RegistrationError(ValueError):
    """The platform's configuration or answer cannot be used (the message says why)."""


@dataclass(frozen=True)
class PlatformConfig:
    """What the tool needs from the platform's OpenID configuration."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    product: str


@dataclass(frozen=True)
class ToolUrls:
    """The tool's public URLs (built behind the proxy settings, so https in production)."""

    login: str
    launch: str
    jwks: str
    name: str = "Derivative grader"


def platform_config(document: Any, *, configuration_url: str) -> PlatformConfig:
    """The checked configuration: every endpoint present and http(s), the issuer on the host the
    configuration came from (a configuration cannot speak for another platform)."""
    if not isinstance(document, Mapping):
        raise RegistrationError("the openid configuration is not a JSON object")
    values = {}
    for name in REQUIRED:
        value = document.get(name)
        if not isinstance(value, str) or urlsplit(value).scheme not in ("https", "http") or not urlsplit(value).netloc:
            raise RegistrationError(f'the openid configuration has no usable "{name}"')
        values[name] = value
    if urlsplit(values["issuer"]).netloc != urlsplit(configuration_url).netloc:
        raise RegistrationError("the openid configuration's issuer is not on the host it was fetched from")
    lti = document.get(PLATFORM_CONFIG)
    product = str(lti.get("product_family_code") or "") if isinstance(lti, Mapping) else ""
    return PlatformConfig(product=product[:100], **values)


def registration_request(tool: ToolUrls) -> dict[str, Any]:
    """The tool's registration (LTI DR 1.0 section 3.3): launches, Deep Linking, AGS and NRPS."""
    domain = urlsplit(tool.launch).netloc
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool.login,
        "redirect_uris": [tool.launch],
        "client_name": tool.name,
        "jwks_uri": tool.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIG: {
            "domain": domain,
            "target_link_uri": tool.launch,
            "claims": ["iss", "sub", "name"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": tool.launch, "label": tool.name},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": tool.launch, "label": f"{tool.name}: add assignment",
                 "placements": ["ContentArea", "assignment_selection", "link_selection"]},
            ],
        },
    }


def registration_answer(document: Any) -> tuple[str, str | None]:
    """(client id, deployment id or None) from the platform's answer."""
    if not isinstance(document, Mapping) or not isinstance(document.get("client_id"), str) or not document["client_id"]:
        raise RegistrationError("the platform's answer has no client_id")
    tool = document.get(TOOL_CONFIG)
    deployment = tool.get("deployment_id") if isinstance(tool, Mapping) else None
    return document["client_id"][:200], (str(deployment)[:200] if deployment not in (None, "") else None)
