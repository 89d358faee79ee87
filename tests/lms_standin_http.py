"""The HTTP side of the LMS stand-in (``tests/lms_standin.py``): routes, checks, injected failures."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

# the platform's side of the 1EdTech client-side postMessage storage: a frame named lti_storage on
# the platform's OIDC auth origin, beside the tool's frame; values are kept per sending origin
STORAGE_FRAME_SCRIPT = """<script>
window.ltiStorage = {};
window.addEventListener("message", function (event) {
  var d = event.data;
  if (!d || typeof d !== "object" || typeof d.key !== "string") { return; }
  var key = event.origin + " " + d.key, answer = {message_id: d.message_id, key: d.key};
  if (d.subject === "lti.put_data") {
    window.ltiStorage[key] = d.value; answer.subject = "lti.put_data.response"; answer.value = d.value;
  } else if (d.subject === "lti.get_data") {
    answer.subject = "lti.get_data.response";
    if (key in window.ltiStorage) { answer.value = window.ltiStorage[key]; }
    else { answer.error = {code: "bad_request", message: "no such key"}; }
  } else { return; }
  event.source.postMessage(answer, event.origin);
});
</script>"""
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass
class Received:
    """One request as the stand-in saw it."""

    kind: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    verified: bool
    note: str = ""
    at: float = field(default_factory=time.time)

    def json(self) -> Any:
        return json.loads(self.body)


def make_handler(lms: Any) -> type[BaseHTTPRequestHandler]:
    """The request handler class of one stand-in ``lms`` (an ``LmsStandIn``)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: Any) -> None:
            pass

        def _reply(self, status: int, body: Any = b"", ctype: str = "application/json") -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _fail(self, kind: str, seen: Received) -> bool:
            mode = lms._take_failure(kind)
            if mode is None:
                return False
            seen.status, seen.note = (0 if mode == "timeout" else 200 if mode == "html" else int(mode)), f"injected {mode}"
            lms._record(seen)
            if mode == "html":  # a 200 that is not the service's JSON: the LMS's login page
                self._reply(200, b"<html><body><h1>Log in to the LMS</h1></body></html>", "text/html")
                return True
            if mode == "timeout":
                time.sleep(lms.timeout_sleep_s)
                self.close_connection = True
                return True
            self._reply(int(mode), {"error": f"injected {mode}"})
            return True

        def do_GET(self) -> None:
            path = urlsplit(self.path)
            if path.path == "/jwks":
                return self._reply(200, lms.public_jwks())
            if path.path == "/auth":
                return self._auth(parse_qs(path.query))
            if path.path == "/course":  # the LMS course page: the tool in an iframe
                src = parse_qs(path.query).get("src", [""])[0].replace('"', "%22")
                page = f'<h1>LMS course</h1><iframe id="tool" src="{src}" width="1100" height="850"></iframe>'
                return self._reply(200, page.encode(), "text/html")
            if path.path == "/course-storage":  # the same with the platform's storage frame beside it
                src = parse_qs(path.query).get("src", [""])[0].replace('"', "%22")
                page = (f'<h1>LMS course</h1><iframe id="tool" data-src="{src}" width="1100" height="850"></iframe>'
                        # the tool loads once the storage frame listens
                        f'<iframe name="lti_storage" src="{lms.url}/storage-frame" hidden '
                        'onload="var t = document.getElementById(\'tool\'); t.src = t.dataset.src;"></iframe>')
                return self._reply(200, page.encode(), "text/html")
            if path.path == "/storage-frame":  # on the platform's OIDC auth origin
                return self._reply(200, STORAGE_FRAME_SCRIPT.encode(), "text/html")
            if path.path in ("/memberships", "/lineitems"):
                return self._service_get(path.path, parse_qs(path.query))
            if path.path == "/.well-known/openid-configuration":
                headers = {k.lower(): v for k, v in self.headers.items()}
                ok = headers.get("authorization") == f"Bearer {lms.registration_token}"
                lms._record(Received("openid_configuration", path.path, headers, b"", 200 if ok else 401, ok))
                return self._reply(200, lms.openid_configuration()) if ok else self._reply(401, {"error": "token"})
            self._reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = urlsplit(self.path).path
            if path.startswith("/webhook"):
                return self._webhook(path, headers, body)
            if path == "/token":
                return self._token(headers, body)
            if re.fullmatch(r"/lineitems/\d+/lineitem/scores", path):
                return self._score(path, headers, body)
            if path == "/lineitems":
                return self._create_lineitem(headers, body)
            if path == "/register":
                return self._register(headers, body)
            if path == "/deep-link-return":
                return self._deep_link_return(headers, body)
            self._reply(404, {"error": "not found"})

        def do_PUT(self) -> None:
            self._lineitem_change("PUT")

        def do_DELETE(self) -> None:
            self._lineitem_change("DELETE")

        def _lineitem_change(self, method: str) -> None:
            """AGS PUT (replace) or DELETE of one line item of ``lms.created_lineitems``."""
            from lms_standin import LINEITEM_SCOPE

            body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = urlsplit(self.path).path
            kind = "lineitem_update" if method == "PUT" else "lineitem_delete"
            ok = self._scoped(LINEITEM_SCOPE) and (
                method == "DELETE" or headers.get("content-type") == "application/vnd.ims.lis.v2.lineitem+json")
            item = next((i for i in lms.created_lineitems if i["id"] == lms.url + path), None)
            status = 401 if not ok else 404 if item is None else 200 if method == "PUT" else 204
            lms._record(Received(kind, path, headers, body, status, ok))
            if status != 200 and status != 204:
                return self._reply(status, {"error": "token, content type or line item"})
            assert item is not None
            index = lms.created_lineitems.index(item)
            if method == "DELETE":
                del lms.created_lineitems[index]
                return self._reply(204)
            lms.created_lineitems[index] = {**json.loads(body), "id": item["id"]}
            self._reply(200, lms.created_lineitems[index])

        def _scoped(self, scope: str) -> bool:
            auth = self.headers.get("Authorization", "")
            token = auth[7:] if auth.startswith("Bearer ") else ""
            with lms._lock:
                return lms.tokens.get(token, 0) > time.time() and scope in lms.token_scopes.get(token, set())

        def _service_get(self, path: str, query: dict[str, list[str]]) -> None:
            """NRPS memberships (two pages, linked by rel="next") and the AGS line items container."""
            from lms_standin import LINEITEM_SCOPE, NRPS_SCOPE

            headers = {k.lower(): v for k, v in self.headers.items()}
            if path == "/memberships":
                ok = self._scoped(NRPS_SCOPE) and headers.get("accept", "").startswith(
                    "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
                if ok and self._fail("memberships", Received("memberships", path, headers, b"", 0, True)):
                    return None
                lms._record(Received("memberships", path, headers, b"", 200 if ok else 401, ok))
                if not ok:
                    return self._reply(401, {"error": "token or accept"})
                page = int(query.get("page", ["1"])[0])
                half = (len(lms.members) + 1) // 2
                body = {"id": lms.url + "/memberships", "context": {"id": "ctx-1"},
                        "members": lms.members[:half] if page == 1 else lms.members[half:]}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
                if page == 1:
                    self.send_header("Link", f'<{lms.url}/memberships?page=2>; rel="next"')
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            ok = self._scoped(LINEITEM_SCOPE) or self._scoped(LINEITEM_SCOPE + ".readonly")  # reading: either
            lms._record(Received("lineitems", path, headers, b"", 200 if ok else 401, ok))
            return self._reply(200, lms.created_lineitems) if ok else self._reply(401, {"error": "token"})

        def _create_lineitem(self, headers: dict[str, str], body: bytes) -> None:
            from lms_standin import LINEITEM_SCOPE

            ok = self._scoped(LINEITEM_SCOPE) and headers.get("content-type") == "application/vnd.ims.lis.v2.lineitem+json"
            lms._record(Received("lineitem_create", "/lineitems", headers, body, 201 if ok else 401, ok))
            if not ok:
                return self._reply(401, {"error": "token or content type"})
            item = {**json.loads(body), "id": f"{lms.url}/lineitems/{100 + len(lms.created_lineitems)}/lineitem"}
            lms.created_lineitems.append(item)
            self._reply(201, item)

        def _register(self, headers: dict[str, str], body: bytes) -> None:
            """The platform's registration endpoint (LTI DR 1.0 section 3.4): a bearer token, a JSON
            client registration with the LTI tool configuration; answers with a client id."""
            problem = ""
            if headers.get("authorization") != f"Bearer {lms.registration_token}":
                problem = "bad registration token"
            try:
                request = json.loads(body)
            except ValueError:
                request, problem = {}, problem or "not JSON"
            tool = request.get("https://purl.imsglobal.org/spec/lti-tool-configuration") or {}
            if not problem and not (request.get("initiate_login_uri") and request.get("redirect_uris")
                                    and request.get("jwks_uri") and tool.get("target_link_uri")
                                    and request.get("token_endpoint_auth_method") == "private_key_jwt"):
                problem = "incomplete registration"
            lms._record(Received("register", "/register", headers, body, 400 if problem else 200, not problem, problem))
            if problem:
                return self._reply(400, {"error": problem})
            lms.registrations.append(request)
            answer = {**request, "client_id": lms.registered_client_id,
                      "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                          **tool, "deployment_id": lms.registered_deployment_id}}
            self._reply(200, answer)

        def _deep_link_return(self, headers: dict[str, str], body: bytes) -> None:
            """The platform's side of Deep Linking: verify the tool's signed response, keep its items."""
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            problem, claims = lms._verify_deep_link(form.get("JWT", ""))
            lms._record(Received("deep_link", "/deep-link-return", headers, body, 400 if problem else 200,
                                 not problem, problem))
            if not problem:
                with lms._lock:
                    lms.deep_link_responses.append(claims)
            self._reply(400 if problem else 200, {"error": problem} if problem else b"<p>Link created</p>",
                        "application/json" if problem else "text/html")

        def _webhook(self, path: str, headers: dict[str, str], body: bytes) -> None:
            problem = lms._verify_webhook(headers, body)
            if not problem and self._fail("webhook", Received("webhook", path, headers, body, 0, True)):
                return
            status = 401 if problem else 204
            lms._record(Received("webhook", path, headers, body, status, not problem, problem))
            self._reply(status, {"error": problem} if problem else b"")

        def _token(self, headers: dict[str, str], body: bytes) -> None:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            problem = lms._verify_assertion(form)
            if not problem and self._fail("token", Received("token", "/token", headers, body, 0, True)):
                return
            lms._record(Received("token", "/token", headers, body, 401 if problem else 200, not problem, problem))
            if problem:
                return self._reply(401, {"error": problem})
            token = secrets.token_urlsafe(24)
            with lms._lock:
                lms.tokens[token] = time.time() + 3600
                lms.token_scopes[token] = set(form.get("scope", "").split())
            self._reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                              "scope": SCORE_SCOPE})

        def _score(self, path: str, headers: dict[str, str], body: bytes) -> None:
            auth = headers.get("authorization", "")
            token = auth[7:] if auth.startswith("Bearer ") else ""
            with lms._lock:
                valid = lms.tokens.get(token, 0) > time.time()
            problem = "" if valid else "bad token"
            if valid and headers.get("content-type", "").split(";")[0].strip() != SCORE_TYPE:
                problem = "wrong content type"
            if problem:
                lms._record(Received("score", path, headers, body, 401 if not valid else 415, False, problem))
                return self._reply(401 if not valid else 415, {"error": problem})
            if self._fail("score", Received("score", path, headers, body, 0, True)):
                return
            score = json.loads(body)
            key = (path, score["userId"])
            stamp = datetime.fromisoformat(score["timestamp"])
            with lms._lock:
                old = lms.grades.get(key)
                stale = old is not None and datetime.fromisoformat(old["timestamp"]) >= stamp
                if not stale:
                    lms.grades[key] = score
            lms._record(Received("score", path, headers, body, 409 if stale else 200, True,
                                 "timestamp not newer" if stale else ""))
            self._reply(409 if stale else 200, {"error": "stale"} if stale else {})

        def _auth(self, query: dict[str, list[str]]) -> None:
            q = {k: v[0] for k, v in query.items()}
            ok = (q.get("client_id") == lms.client_id and q.get("response_type") == "id_token"
                  and q.get("scope") == "openid" and q.get("redirect_uri") == lms.tool_redirect_uri
                  and q.get("nonce") and q.get("state") and q.get("login_hint"))
            if not ok:
                return self._reply(400, {"error": "invalid_request", "got": q})
            token = lms.id_token(nonce=q["nonce"])
            form = (f'<form method="post" action="{q["redirect_uri"]}">'
                    f'<input type="hidden" name="id_token" value="{token}">'
                    f'<input type="hidden" name="state" value="{q["state"]}"></form>'
                    '<script>document.forms[0].submit()</script>')  # a browser posts it at once
            self._reply(200, form.encode(), "text/html")

    return Handler
