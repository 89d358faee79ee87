"""Issue 14, problem 3: a launch inside an LMS iframe failed when the browser blocks third-party
cookies (the state cookie was not sent; /lti/launch answered 401). Chromium with third-party
cookies blocked opens an LMS course page (the stand-in, on its own site) that embeds the tool
(behind a loopback TLS front); the launch completes in the iframe and the student submits there."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "lms"))

from lms_standin import LTI, LmsStandIn  # noqa: E402
from test_browser_pages import KEY, fill_seed_answers  # noqa: E402
from tls_front import TlsFront  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LiveServer = Any
# a separate site for the LMS page (the tool is 127.0.0.1), resolved by Chromium only
LMS_HOST = "lms.test"
BLOCK_THIRD_PARTY = ["--test-third-party-cookie-phaseout", "--ignore-certificate-errors",
                     f"--host-resolver-rules=MAP {LMS_HOST} 127.0.0.1"]


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def test_a_launch_in_an_iframe_with_third_party_cookies_blocked_completes_a_submission(
        playwright: Any, live_server: LiveServer) -> None:
    with LmsStandIn(client_id="iframe-client") as lms, TlsFront(int(_port(live_server.url))) as front:
        token = live_server.tokens["instructor@example.com"]
        course = requests.get(live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                              timeout=30).json()["courses"][0]["id"]
        registered = requests.post(f"{live_server.url}/api/v1/lms/courses/{course}/lti-platforms", json={
            "issuer": lms.issuer, "client_id": lms.client_id, "deployment_id": lms.deployment_id,
            "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url},
            headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert registered.status_code == 201, registered.text
        lms.tool_redirect_uri = front.url + "/lti/launch"
        lms.launch_claims = {LTI + "custom": {"assignment": KEY}, "sub": "iframe-student", "name": "Ifra Me"}
        login = front.url + "/lti/login?" + urlencode(lms.login_params())
        course_page = f"http://{LMS_HOST}:{_port(lms.url)}/course?" + urlencode({"src": login})

        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS + BLOCK_THIRD_PARTY)
        try:
            page = browser.new_context(viewport={"width": 1200, "height": 950}).new_page()
            page.set_default_timeout(30_000)
            page.goto(course_page)
            tool = page.frame_locator("#tool")
            tool.locator("#answer-1e").wait_for()  # launched: the assignment page, logged in
            frame = next(f for f in page.frames if f.url.startswith(front.url + "/assignments/"))
            # the tool's frame really is third-party with its cookies blocked
            assert frame.evaluate("() => document.hasStorageAccess()") is False
            fill_seed_answers(frame)
            frame.click("#submit-answers")
            frame.locator("#confirm-dialog").wait_for(state="visible")  # the seed's 1c restates the question
            frame.click("#confirm-go")
            frame.wait_for_url(re.compile(r".*/submissions/\d+$"))
            frame.locator("#score").wait_for(timeout=120_000)
            assert "correct" in frame.locator("#result-1a").inner_text()
        finally:
            browser.close()
