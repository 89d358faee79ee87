"""Issue 14, problem 8: behind a TLS-terminating proxy the tool built
``http://127.0.0.1:<port>/lti/launch`` as its redirect URI (the platform refuses it). With
TRUSTED_PROXIES=1 (Werkzeug's ProxyFix) the public https URLs are used. Tested through a real
loopback TLS front (self-signed certificate) in front of a real HTTP server running the app."""

from __future__ import annotations

import threading
import time
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from lms_standin import LmsStandIn  # type: ignore[import-not-found]
from tls_front import TlsFront  # type: ignore[import-not-found]
from grader.db.models import Course
from grader.db.models.lms import LtiPlatform

pytestmark = pytest.mark.integration


@pytest.fixture
def served(settings, committed_factory, queue, lms: LmsStandIn) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Start the app (with the given TRUSTED_PROXIES) behind the TLS front; yields (front, proxies)."""
    from grader.app import create_app

    with committed_factory() as s:
        course = Course(key="c1", title="Course 1")
        s.add(course)
        s.flush()
        s.add(LtiPlatform(course_id=course.id, issuer=lms.issuer, client_id=lms.client_id,
                          deployment_id=lms.deployment_id, auth_login_url=lms.auth_url, token_url=lms.token_url,
                          jwks_url=lms.jwks_url))
        s.commit()
    running: list[Any] = []

    def start(proxies: int) -> TlsFront:
        app = create_app(settings.replace(trusted_proxies=proxies), session_factory=committed_factory, queue=queue,
                         blueprints=[("grader.api", True), ("grader.web.lms", True)])
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        front = TlsFront(server.server_port).__enter__()
        running.append((server, front))
        return front

    yield start
    for server, front in running:
        front.__exit__(None, None, None)
        server.shutdown()
        server.server_close()
    # A request thread sends its response before Flask's teardown gives the session's connection back:
    # wait for that, or the engine's dispose misses the connection and a later test's garbage
    # collection reports it (an unclosed psycopg connection: ResourceWarning, an error under -W error).
    pool = committed_factory.kw["bind"].pool
    deadline = time.monotonic() + 10
    while pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.checkedout() == 0, "a request thread kept its database connection"


def _login(front: TlsFront, lms: LmsStandIn) -> requests.Response:
    return requests.get(front.url + "/lti/login", params=lms.login_params(), verify=str(front.cert),
                        allow_redirects=False, timeout=10)


def test_without_trusted_proxies_the_redirect_uri_is_the_internal_http_one(served, lms) -> None:  # type: ignore[no-untyped-def]
    front = served(0)
    response = _login(front, lms)
    assert response.status_code == 302
    redirect_uri = parse_qs(urlsplit(response.headers["Location"]).query)["redirect_uri"][0]
    assert redirect_uri.startswith("http://127.0.0.1:") and not redirect_uri.startswith(front.url)


def test_behind_one_trusted_proxy_the_tool_uses_its_public_https_urls(served, lms) -> None:  # type: ignore[no-untyped-def]
    front = served(1)
    response = _login(front, lms)
    assert response.status_code == 302, response.text
    redirect_uri = parse_qs(urlsplit(response.headers["Location"]).query)["redirect_uri"][0]
    assert redirect_uri == front.url + "/lti/launch"
    state_cookie = next(c for c in response.headers.get("Set-Cookie", "").split(", lti") if "state" in c)
    assert "Secure" in state_cookie and "SameSite=None" in state_cookie
    jwks = requests.get(front.url + "/lti/jwks.json", verify=str(front.cert), timeout=10)
    assert jwks.status_code == 200 and jwks.json()["keys"]
    print("\nBEHIND A TLS FRONT: redirect_uri =", redirect_uri)
