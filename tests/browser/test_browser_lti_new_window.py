"""Issue 14, problem 3, the last fallback: a launch in an iframe whose browser keeps no cookie at
all there (Safari, or strict privacy settings: no third-party and no partitioned cookie) completed
through the LMS's storage frame, but every page after it needs the session cookie, so the student
was bounced to a login page. Now the frame shows "open the grader in a new window"; its button
opens a one-time continuation URL in a new top-level window, which asks "continue as <name>?"; its
button logs the student in there, and they submit.

How the blocked cookies are simulated: Chromium's ``--test-third-party-cookie-phaseout`` still keeps
CHIPS (partitioned) cookies, and no switch refuses those inside a frame while a top-level window
keeps its own; blocking every cookie in the browser would also break the new window, which is not
what such browsers do. So the LMS tab's requests to the tool (all of them come from the iframe:
the tab's top page is the LMS's) go through a route handler that sends no Cookie and lets no
Set-Cookie through, so the frame never stores one; the new window is another page, not routed: a
first-party window with cookies.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "lms"))

from lms_standin import LTI, LmsStandIn  # noqa: E402
from test_browser_lti_storage import BROWSER_ARGS, _course_page, _port, _without_cookies  # noqa: E402
from test_browser_pages import KEY, fill_seed_answers  # noqa: E402
from tls_front import TlsFront  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LiveServer = Any


def test_with_every_cookie_blocked_in_the_frame_the_student_continues_in_a_new_window_and_submits(
        playwright: Any, live_server: LiveServer) -> None:
    with LmsStandIn(client_id="new-window-client") as lms, TlsFront(int(_port(live_server.url))) as front:
        course_page, seen = _course_page(live_server, lms, front, "/course-storage"), []
        lms.launch_claims = {LTI + "custom": {"assignment": KEY}, "sub": "new-window-student", "name": "New Window"}
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS + BROWSER_ARGS)
        try:
            context = browser.new_context(ignore_https_errors=True, viewport={"width": 1200, "height": 950})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.route(front.url + "/**", _without_cookies(seen, str(front.cert)))
            page.goto(course_page)
            tool = page.frame_locator("#tool")
            message = tool.locator("#lti-blocked")
            message.wait_for()
            assert "Your browser blocks cookies inside" in message.inner_text()
            # the check answered the new-window page (Playwright does not route the redirect's target, but
            # the frame holds no cookie to send with it: every Set-Cookie was stripped)
            assert any(f.url.startswith(front.url + "/lti/launch/check?t=") for f in page.frames)
            assert context.cookies(front.url) == []
            continuation = tool.locator("#lti-open-new-window").get_attribute("href")
            assert continuation and continuation.startswith("/lti/continue?t=")
            with page.expect_popup() as opened:
                tool.locator("#lti-open-new-window").click()
            window = opened.value
            window.set_default_timeout(30_000)
            # the link itself logs nobody in: the new window asks first, then its button does
            window.locator("#lti-continue-go").wait_for()
            assert "Continue as New Window" in window.locator("#lti-continue").inner_text()
            assert window.request.get(front.url + "/api/v1/me").status == 401  # not signed in yet
            window.click("#lti-continue-go")
            window.wait_for_url(re.compile(rf".*/assignments/{KEY}$"))  # logged in, on the assignment page
            window.locator("#answer-1e").wait_for()
            fill_seed_answers(window)
            window.click("#submit-answers")
            window.locator("#confirm-dialog").wait_for(state="visible")  # the seed's 1c restates the question
            window.click("#confirm-go")
            window.wait_for_url(re.compile(r".*/submissions/\d+$"))
            window.locator("#score").wait_for(timeout=120_000)
            assert "correct" in window.locator("#result-1a").inner_text()
            me = window.request.get(front.url + "/api/v1/me")  # the new window's cookie: the launch's user
            assert me.ok and me.json()["name"] == "New Window", me.text()
        finally:
            browser.close()
        assert not any(cookie for *_rest, cookie in seen)  # no cookie ever reached the tool from the frame
        assert not any(s[0].endswith(f"/assignments/{KEY}") for s in seen)  # the frame never reached the form
        again = requests.get(front.url + continuation, verify=str(front.cert), allow_redirects=False, timeout=30)
        assert again.status_code == 410  # a copy of the link logs nobody in: it worked once
