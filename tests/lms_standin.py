"""A small LMS stand-in on 127.0.0.1 for the LMS tests: a webhook receiver and an LTI 1.3 platform.

It checks what it receives the way a platform would, with its own code (not ``grader.lms``):
Standard Webhooks signatures (HMAC-SHA256 of ``id.timestamp.body``, 5-minute tolerance), the
client-credentials grant's RS256 assertion (against the tool's JWKS URL, ``iss`` = ``sub`` =
client id, ``aud`` = token URL, ``jti`` once), bearer tokens and the score content type; like
Moodle it answers 409 to a score whose timestamp is not newer than the stored one. It records
everything, can fail the first N calls of a kind (``fail("webhook", 2, 500)``, ``"timeout"``,
409, 410), and plays the platform in a launch (auth endpoint issuing a signed ``id_token``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any


import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from lms_standin_http import SCORE_SCOPE, SCORE_TYPE, Received, make_handler  # noqa: F401

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READ_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


@functools.lru_cache(maxsize=1)
def platform_key_pem() -> str:
    """The stand-in platform's signing key (one per test process: key generation is slow)."""
    return new_rsa_pem()


def new_rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class LmsStandIn:
    """Start with ``with LmsStandIn(webhook_secret=...) as lms:``; ``lms.url`` is its base URL."""

    def __init__(self, *, webhook_secret: str = "", client_id: str = "tool-client-1",
                 deployment_id: str = "dep-1", tool_jwks_url: str = "", timeout_sleep_s: float = 1.5) -> None:
        self.webhook_secret = webhook_secret
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool_jwks_url = tool_jwks_url
        self.tool_jwks: dict[str, Any] | None = None  # given instead of a URL when no tool server runs
        self.tool_redirect_uri = ""
        self.timeout_sleep_s = timeout_sleep_s
        self.key_pem = platform_key_pem()
        self.kid = "platform-key-1"
        self.received: list[Received] = []
        self.tokens: dict[str, float] = {}
        self.used_jti: set[str] = set()
        self.grades: dict[tuple[str, str], dict[str, Any]] = {}
        self.launch_claims: dict[str, Any] = {}
        self.deep_link_responses: list[dict[str, Any]] = []
        self.registration_token = "reg-token-1"
        self.registered_client_id, self.registered_deployment_id = "dyn-client-1", "dyn-dep-1"
        self.registrations: list[dict[str, Any]] = []
        self.granted_scopes = {SCORE_SCOPE, NRPS_SCOPE, LINEITEM_SCOPE}
        self.token_scopes: dict[str, set[str]] = {}
        self.members: list[dict[str, Any]] = []
        self.created_lineitems: list[dict[str, Any]] = []
        self._failures: dict[str, list[Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.issuer = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # lifecycle --------------------------------------------------------------------------------
    def __enter__(self) -> "LmsStandIn":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # configuration ----------------------------------------------------------------------------
    def fail(self, kind: str, times: int, mode: int | str) -> None:
        """Answer the next ``times`` calls of ``kind`` (webhook, token, score, memberships) with ``mode``:
        an HTTP status, "timeout", or "html" (a 200 with an HTML login page instead of JSON)."""
        with self._lock:
            self._failures.setdefault(kind, []).extend([mode] * times)

    def of(self, kind: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.kind == kind]

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.url + "/jwks"

    @property
    def auth_url(self) -> str:
        return self.url + "/auth"

    def lineitem(self, n: int = 1) -> str:
        return f"{self.url}/lineitems/{n}/lineitem"

    def public_jwks(self) -> dict[str, Any]:
        private = serialization.load_pem_private_key(self.key_pem.encode(), password=None)
        jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)  # type: ignore[arg-type]
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return {"keys": [jwk]}

    # the platform's side of a launch ---------------------------------------------------------
    def login_params(self, *, login_hint: str = "user-hint") -> dict[str, str]:
        """What the platform sends to the tool's login initiation URL."""
        return {"iss": self.issuer, "login_hint": login_hint, "target_link_uri": self.tool_redirect_uri,
                "lti_message_hint": "msg-hint", "client_id": self.client_id,
                "lti_deployment_id": self.deployment_id}

    def id_token(self, *, nonce: str, key_pem: str | None = None, now: float | None = None,
                 lifetime_s: int = 300, **overrides: Any) -> str:
        """A signed id_token for the configured launch (``key_pem`` to forge one)."""
        issued = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": self.client_id, "sub": "lms-user-1", "iat": issued,
            "exp": issued + lifetime_s, "nonce": nonce, "name": "Ada Student", "email": "ada@example.edu",
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id, LTI + "target_link_uri": self.tool_redirect_uri,
            LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "resource_link": {"id": "rl-1"},
        }
        claims.update(self.launch_claims)
        claims.update(overrides)
        return jwt.encode(claims, key_pem or self.key_pem, algorithm="RS256", headers={"kid": self.kid})

    # request handling ----------------------------------------------------------------------------
    def _take_failure(self, kind: str) -> Any:
        with self._lock:
            queue = self._failures.get(kind) or []
            return queue.pop(0) if queue else None

    def _record(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)

    def _verify_webhook(self, headers: dict[str, str], body: bytes) -> str:
        msg_id, stamp, sigs = (headers.get(h, "") for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
        if not (msg_id and stamp.isdigit() and sigs):
            return "missing headers"
        if abs(time.time() - int(stamp)) > 300:
            return "stale timestamp"
        key = base64.b64decode(self.webhook_secret.removeprefix("whsec_"))
        expected = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
        ok = any(hmac.compare_digest(expected, s.split(",", 1)[1].encode()) for s in sigs.split() if s.startswith("v1,"))
        return "" if ok else "bad signature"

    def _verify_assertion(self, form: dict[str, str]) -> str:
        if form.get("grant_type") != "client_credentials":
            return "unsupported_grant_type"
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return "invalid_client: assertion type"
        if not set(form.get("scope", "").split()) & (self.granted_scopes):
            return "invalid_scope"
        token = form.get("client_assertion", "")
        try:
            if self.tool_jwks is not None:
                kid = jwt.get_unverified_header(token).get("kid")
                jwk = next(k for k in self.tool_jwks["keys"] if k["kid"] == kid)
                key = jwt.PyJWK(jwk).key
            else:
                key = jwt.PyJWKClient(self.tool_jwks_url, cache_jwk_set=False).get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=self.token_url, issuer=self.client_id,
                                options={"require": ["iss", "sub", "aud", "iat", "exp", "jti"]})
        except (jwt.PyJWTError, StopIteration) as exc:
            return f"invalid_client: {exc!r}"
        if claims["sub"] != self.client_id:
            return "invalid_client: sub"
        with self._lock:
            if claims["jti"] in self.used_jti:
                return "invalid_client: jti replayed"
            self.used_jti.add(claims["jti"])
        return ""

    def openid_configuration(self) -> dict[str, Any]:
        """The platform's OpenID configuration (LTI DR 1.0 section 3.2)."""
        return {"issuer": self.issuer, "authorization_endpoint": self.auth_url, "token_endpoint": self.token_url,
                "jwks_uri": self.jwks_url, "registration_endpoint": self.url + "/register",
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "standin", "version": "1.0",
                    "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}]}}

    def _tool_key(self, token: str) -> Any:
        if self.tool_jwks is not None:
            kid = jwt.get_unverified_header(token).get("kid")
            return jwt.PyJWK(next(k for k in self.tool_jwks["keys"] if k["kid"] == kid)).key
        return jwt.PyJWKClient(self.tool_jwks_url, cache_jwk_set=False).get_signing_key_from_jwt(token).key

    def deep_linking_claims(self, data: str = "opaque-platform-data") -> dict[str, Any]:
        """The claims that make the next launch an LtiDeepLinkingRequest."""
        return {LTI + "message_type": "LtiDeepLinkingRequest",
                DL + "deep_linking_settings": {
                    "deep_link_return_url": self.url + "/deep-link-return", "accept_types": ["ltiResourceLink"],
                    "accept_presentation_document_targets": ["iframe", "window"], "accept_multiple": False,
                    "data": data}}

    def _verify_deep_link(self, token: str) -> tuple[str, dict[str, Any]]:
        """Deep Linking 2.0 section 4.2, as a platform checks the tool's answer."""
        try:
            claims = jwt.decode(token, self._tool_key(token), algorithms=["RS256"], audience=self.issuer,
                                issuer=self.client_id, options={"require": ["iss", "aud", "iat", "exp", "nonce"]})
        except (jwt.PyJWTError, StopIteration) as exc:
            return f"invalid JWT: {exc!r}", {}
        if claims.get(LTI + "message_type") != "LtiDeepLinkingResponse" or claims.get(LTI + "version") != "1.3.0":
            return "not a deep linking response", {}
        if claims.get(LTI + "deployment_id") != self.deployment_id:
            return "wrong deployment", {}
        if claims.get(DL + "data") != "opaque-platform-data":
            return "data not echoed", {}
        return "", claims


def form_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the auto-submit form the auth endpoint returns."""
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
