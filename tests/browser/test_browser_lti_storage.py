"""Issue 14, problem 3, the part left open: with every cookie blocked for the tool's frame (not
even a partitioned one kept) an LMS iframe launch could not complete. The stand-in LMS course page
holds the 1EdTech storage frame (``lti_storage_target=lti_storage``, on the LMS's auth origin): the tool's login page puts state
and nonce there with ``lti.put_data``, the launch page gets them back with ``lti.get_data`` and the
launch completes. A page that offers no storage frame gets the "open in a new window" message."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "lms"))

from lms_standin import LTI, LmsStandIn  # noqa: E402
from test_browser_pages import KEY  # noqa: E402
from tls_front import TlsFront  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LiveServer = Any
LMS_HOST = "lms.test"  # the LMS's own site (the tool is 127.0.0.1), resolved by Chromium only
BROWSER_ARGS = ["--test-third-party-cookie-phaseout", "--ignore-certificate-errors",
                f"--host-resolver-rules=MAP {LMS_HOST} 127.0.0.1",
                # all parties share 127.0.0.1 here: Chromium's local-network checks would refuse the script's
                # navigation from the https tool to the http stand-in's sign-in (public LMSs are not affected)
                "--disable-features=LocalNetworkAccessChecks"]


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def _without_cookies(seen: list[tuple[str, int, str, str]], cert: str) -> Any:
    """A route handler for the tool's URLs: no Cookie goes out, no Set-Cookie comes in (every
    cookie blocked for the frame, whatever the browser's own policy); records each answer."""

    def handle(route: Any) -> None:
        request = route.request
        # fetched here, not with route.fetch (whose cookie jar would add the tool's cookies back)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "cookie"}
        response = requests.request(request.method, request.url, headers=headers, data=request.post_data_buffer,
                                    verify=cert, allow_redirects=False, timeout=60)
        kept = {k: v for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-encoding",
                                                                                "transfer-encoding", "content-length")}
        seen.append((request.url, response.status_code, kept.get("Location", ""), request.headers.get("cookie", "")))
        route.fulfill(status=response.status_code, headers=kept, body=response.content)

    return handle


def _course_page(live_server: LiveServer, lms: LmsStandIn, front: TlsFront, course_path: str) -> str:
    """Register the stand-in for the live server's course; the LMS course page that launches the tool."""
    token = live_server.tokens["instructor@example.com"]
    course = requests.get(live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                          timeout=30).json()["courses"][0]["id"]
    lms_site = f"http://{LMS_HOST}:{_port(lms.url)}"
    registered = requests.post(f"{live_server.url}/api/v1/lms/courses/{course}/lti-platforms", json={
        "issuer": lms.issuer, "client_id": lms.client_id, "deployment_id": lms.deployment_id,
        "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url},
        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert registered.status_code == 201, registered.text
    lms.tool_redirect_uri = front.url + "/lti/launch"
    lms.launch_claims = {LTI + "custom": {"assignment": KEY}, "sub": "storage-student", "name": "Stor Age"}
    login = front.url + "/lti/login?" + urlencode({**lms.login_params(), "lti_storage_target": "lti_storage"})
    return lms_site + course_path + "?" + urlencode({"src": login})


def test_a_launch_with_every_cookie_blocked_completes_through_the_storage_frame(playwright: Any, live_server: LiveServer) -> None:
    with LmsStandIn(client_id="storage-client") as lms, TlsFront(int(_port(live_server.url))) as front:
        course_page, seen = _course_page(live_server, lms, front, "/course-storage"), []
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS + BROWSER_ARGS)
        try:
            context = browser.new_context(ignore_https_errors=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.route(front.url + "/**", _without_cookies(seen, str(front.cert)))
            with page.expect_response(lambda r: r.url == front.url + "/lti/launch/storage") as answer:
                page.goto(course_page)
            assert answer.value.status == 303  # launched: on to the check of the session cookie, which
            assert answer.value.headers["location"].startswith("/lti/launch/check?t=")  # this frame never keeps
            storage = page.frame(name="lti_storage")
            assert storage is not None
            kept = storage.evaluate("() => Object.keys(window.ltiStorage)")
        finally:
            browser.close()
        assert sorted(k.split(" ")[1].split("_")[0] for k in kept) == ["nonce", "state"]
        assert all(k.startswith(front.url + " ") for k in kept)  # kept per the tool's origin
        assert not any(cookie for *_rest, cookie in seen)  # no cookie ever reached the tool
        launch = [s for s in seen if s[0] == front.url + "/lti/launch"]
        assert launch and launch[0][1] == 200  # the launch page that asks the frame, not a refusal


def test_without_a_storage_frame_or_cookie_the_launch_says_to_open_a_new_window(playwright: Any, live_server: LiveServer) -> None:
    with LmsStandIn(client_id="no-storage-client") as lms, TlsFront(int(_port(live_server.url))) as front:
        course_page, seen = _course_page(live_server, lms, front, "/course"), []  # no storage frame there
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS + BROWSER_ARGS)
        try:
            page = browser.new_context(ignore_https_errors=True).new_page()
            page.set_default_timeout(30_000)
            page.route(front.url + "/**", _without_cookies(seen, str(front.cert)))
            page.goto(course_page)
            message = page.frame_locator("#tool").locator("#lti-storage-failed")
            message.wait_for(state="visible")
            assert "Open the activity in a new window" in message.inner_text()
        finally:
            browser.close()
        assert not any(s[0] == front.url + "/lti/launch/storage" for s in seen)
