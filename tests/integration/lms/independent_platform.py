"""An LTI 1.3 platform built from ``lti1p3platform`` (an independent implementation from PyPI, not
our code and not our stand-in), driven in process: OIDC login initiation, the signed launch
(resource link or Deep Linking request) and the check of the tool's Deep Linking answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

ISSUER = "https://independent-platform.test"
AUTH_URL = ISSUER + "/auth"


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class Platform(LTI1P3PlatformConfAbstract):
    """``init_platform_config(tool=..., private_pem=..., tool_jwks=...)``."""

    def init_platform_config(self, **kwargs: Any) -> None:
        tool, private_pem = kwargs["tool"], kwargs["private_pem"]
        self._registration = (Registration().set_iss(ISSUER).set_client_id("indep-client")
                              .set_deployment_id("indep-dep").set_oidc_login_url(tool + "/lti/login")
                              .set_launch_url(tool + "/lti/launch").set_deeplink_launch_url(tool + "/lti/launch")
                              .set_platform_private_key(private_pem).set_platform_public_key(public_pem(private_pem))
                              .set_tool_key_set(kwargs["tool_jwks"]))

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration

    def get_registration(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration


class _Request(Request):
    def build_metadata(self, request: Any) -> Any:
        return {"method": "GET", "form_data": {}, "get_data": request, "headers": {}, "content_type": None,
                "path": "/auth", "json": None}


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return launch_data


def login_url(platform: Platform, *, user: str) -> str:
    """The platform's redirect to the tool's login initiation URL."""
    login = Login(None, platform)
    login.set_lti_message_hint(hint="msg-1")
    return str(login.initiate_login(user))


def launch_form(platform: Platform, auth_redirect: str, *, user: str, roles: list[str], **claims: Any
                ) -> dict[str, Any]:
    """What the platform posts to the tool after its auth endpoint got the tool's redirect
    (``auth_redirect``): ``id_token``, ``state`` and ``launch_url``. ``claims``: resource_link,
    context, custom, ags (lineitem URL), deep_link (return URL)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_redirect).query).items()}
    launch = Launch(_Request(query), platform)
    launch.set_user_data(user, roles, full_name="Indie Pendent")
    if "resource_link" in claims:
        launch.set_resource_link_claim(claims["resource_link"])
    if "context" in claims:
        launch.set_launch_context_claim(claims["context"], context_title="Independent course")
    if "custom" in claims:
        launch.set_custom_parameters_claim(claims["custom"])
    if "ags" in claims:
        launch.set_ags(lineitems_url=ISSUER + "/lineitems", lineitem_url=claims["ags"])
    if "deep_link" in claims:
        launch.set_dl(claims["deep_link"], title="Add content", accept_types={"ltiResourceLink"},
                      extra_data={"data": "independent-data"})
    return dict(launch.lti_launch())


class ServiceEndpoints:
    """The platform's token and score endpoints on 127.0.0.1, answered by the library: the tool's
    client assertion is checked by ``get_access_token``, each score's bearer token by
    ``validate_token``. ``with ServiceEndpoints(platform) as svc:``; ``svc.url``, ``svc.scores``."""

    def __init__(self, platform: Platform) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs

        self.scores: list[tuple[str, dict[str, Any]]] = []
        self.refused: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def _reply(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    try:
                        return self._reply(200, dict(platform.get_access_token(form)))
                    except Exception as exc:  # the library refused the assertion
                        outer.refused.append(f"token: {exc!r}")
                        return self._reply(401, {"error": "invalid_client"})
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    ok = platform.validate_token(token, allowed_scopes=[
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"])
                except Exception as exc:
                    outer.refused.append(f"score: {exc!r}")
                    ok = False
                if not ok:
                    return self._reply(401, {"error": "invalid token"})
                outer.scores.append((self.path, json.loads(body)))
                self._reply(200, {})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "ServiceEndpoints":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
