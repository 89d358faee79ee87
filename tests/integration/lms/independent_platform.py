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
from lti1p3platform.exceptions import LineItemNotFoundException
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.service_connector import AssignmentsGradesService

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
    context (its title: context_title), custom, ags (lineitem URL), deep_link (return URL)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_redirect).query).items()}
    launch = Launch(_Request(query), platform)
    launch.set_user_data(user, roles, full_name="Indie Pendent")
    if "resource_link" in claims:
        launch.set_resource_link_claim(claims["resource_link"])
    if "context" in claims:
        launch.set_launch_context_claim(claims["context"], context_title=claims.get("context_title",
                                                                                "Independent course"))
    if "custom" in claims:
        launch.set_custom_parameters_claim(claims["custom"])
    if "ags" in claims:  # the library's claim: scopes lineitem, result.readonly and score
        launch.set_ags(lineitems_url=claims.get("lineitems", ISSUER + "/lineitems"), lineitem_url=claims["ags"])
    if "deep_link" in claims:
        launch.set_dl(claims["deep_link"], title="Add content", accept_types={"ltiResourceLink"},
                      extra_data={"data": "independent-data"})
    return dict(launch.lti_launch())


class _ServiceRequest(Request):
    def build_metadata(self, request: Any) -> Any:
        return {"method": request["method"], "form_data": {}, "get_data": {}, "headers": request["headers"],
                "content_type": request["headers"].get("Content-Type"), "path": request["path"],
                "json": request["json"]}


class LineItems(AssignmentsGradesService):
    """The library's AGS line item service (its ``handle_*`` check the bearer token, method and
    media type) over ``store``: line items by URL."""

    def __init__(self, request: Request, platform: Platform, lineitems_url: str, store: dict[str, Any]) -> None:
        super().__init__(request, platform, lineitems_url)
        self.store = store

    def find_lineitems(self, page: int = 1, limit: int | None = None, line_item_id: str | None = None,
                       resource_link_id: str | None = None, resource_id: str | None = None,
                       tag: str | None = None) -> Any:
        return {"content": list(self.store.values()), "has_next": False, "next": None}

    def find_lineitem(self, line_item_id: str) -> Any:
        if line_item_id not in self.store:
            raise LineItemNotFoundException("no such line item")
        return self.store[line_item_id]

    def create_lineitem(self, creation_data: Any) -> Any:
        url = f"{self.ags.lineitems_url}/{100 + len(self.store)}/lineitem"
        self.store[url] = {**creation_data, "id": url}
        return self.store[url]

    def update_lineitem(self, update_data: Any) -> Any:
        self.find_lineitem(update_data["id"])
        self.store[update_data["id"]] = dict(update_data)
        return self.store[update_data["id"]]

    def delete_lineitem(self, line_item_id: str) -> None:
        self.find_lineitem(line_item_id)
        del self.store[line_item_id]

    def update_score(self, line_item_id: str, score: Any) -> Any:
        raise NotImplementedError  # scores are answered by ServiceEndpoints itself

    def get_results(self, line_item_id: str, page: int = 1, limit: int | None = None,
                    user_id: str | None = None) -> Any:
        raise NotImplementedError


class ServiceEndpoints:
    """The platform's token, score and line item endpoints on 127.0.0.1, answered by the library:
    the tool's client assertion is checked by ``get_access_token``, each score's bearer token by
    ``validate_token``, line item reads, updates (PUT) and deletes by its ``AssignmentsGradesService``.
    ``with ServiceEndpoints(platform) as svc:``; ``svc.url``, ``svc.scores``, ``svc.lineitems``
    (by URL), ``svc.calls`` (method, path, status of each line item call)."""

    def __init__(self, platform: Platform) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs

        self.scores: list[tuple[str, dict[str, Any]]] = []
        self.refused: list[str] = []
        self.lineitems: dict[str, Any] = {}
        self.calls: list[tuple[str, str, int]] = []
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

            def _lineitems(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = _ServiceRequest({"method": method, "headers": dict(self.headers.items()),
                                           "path": self.path, "json": json.loads(body) if body else None})
                service = LineItems(request, platform, outer.url + "/lineitems", outer.lineitems)
                item = outer.url + self.path
                handler: Any = {"GET": service.handle_get_lineitems, "PUT": service.handle_update_lineitem,
                                "DELETE": service.handle_delete_lineitem}[method]
                try:
                    resp = service.handle_resp(handler, **({} if method == "GET" else {"line_item_id": item}))
                except Exception as exc:  # the library refused the bearer token
                    outer.refused.append(f"lineitems: {exc!r}")
                    resp = None
                status = resp.code if resp is not None else 401
                outer.calls.append((method, self.path, status))
                if resp is None or resp.code >= 400:
                    return self._reply(status, {"error": resp.message if resp else "invalid token"})
                if status == 204:
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                result = resp.result["content"] if method == "GET" else resp.result  # as its Django adapter
                return self._reply(status, result)

            def do_GET(self) -> None:
                if self.path == "/lineitems":
                    return self._lineitems("GET")
                self._reply(404, {"error": "not found"})

            def do_PUT(self) -> None:
                self._lineitems("PUT")

            def do_DELETE(self) -> None:
                self._lineitems("DELETE")

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
