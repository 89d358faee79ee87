"""Issue 14, problems 2 and 7 in a browser: an instructor's first launch from a new LMS course
shows a choice (a new grader course, or one they teach) instead of silently making a course, a
student of that LMS course meanwhile gets an explanation; then the dashboard's "Sync roster from
the LMS" button fetches the roster (Names and Role Provisioning) and lists who has not submitted.
All inside the LMS page's iframe with third-party cookies blocked, as in test_browser_lti_iframe."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "lms"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lms_standin import LTI, LmsStandIn  # noqa: E402
from test_browser_lti_iframe import BLOCK_THIRD_PARTY, LMS_HOST, _port  # noqa: E402
from test_browser_pages import KEY  # noqa: E402
from tls_front import TlsFront  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def _api(live_server: Any, method: str, path: str, **kwargs: Any) -> Any:
    token = live_server.tokens["instructor@example.com"]
    return requests.request(method, live_server.url + path, headers={"Authorization": f"Bearer {token}"},
                            timeout=30, **kwargs)


def test_an_instructor_links_a_new_lms_course_then_syncs_its_roster_from_the_dashboard(
        playwright: Any, live_server: Any, shot: Any) -> None:
    with LmsStandIn(client_id="choice-client", tool_jwks_url=live_server.url + "/lti/jwks.json") as lms, \
            TlsFront(int(_port(live_server.url))) as front:
        course = _api(live_server, "GET", "/api/v1/me").json()["courses"][0]
        platform = _api(live_server, "POST", f"/api/v1/lms/courses/{course['id']}/lti-platforms", json={
            "issuer": lms.issuer, "client_id": lms.client_id, "deployment_id": lms.deployment_id,
            "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url})
        assert platform.status_code == 201, platform.text
        # last year's LMS course was connected to the grader course already
        linked = _api(live_server, "POST", f"/api/v1/lms/courses/{course['id']}/lti-contexts", json={
            "platform_id": platform.json()["id"], "deployment_id": lms.deployment_id, "context_id": "ctx-2025",
            "title": "Calculus 2025"})
        assert linked.status_code == 201, linked.text
        lms.tool_redirect_uri = front.url + "/lti/launch"
        lms.members = [{"user_id": "prof-choice", "name": "Prof Choice", "roles": [M + "Instructor"], "status": "Active"},
                       {"user_id": "stu-never", "name": "Nev Er Submitted", "roles": [M + "Learner"], "status": "Active"}]
        base = {LTI + "custom": {"assignment": KEY},
                NRPS: {"context_memberships_url": lms.url + "/memberships", "service_versions": ["2.0"]}}
        instructor = {"sub": "prof-choice", "name": "Prof Choice", LTI + "roles": [M + "Instructor"]}
        new_course = {LTI + "context": {"id": "ctx-2026", "label": "CALC", "title": "Calculus 2026"}}
        course_page = f"http://{LMS_HOST}:{_port(lms.url)}/course?" + urlencode(
            {"src": front.url + "/lti/login?" + urlencode(lms.login_params())})

        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS + BLOCK_THIRD_PARTY)
        try:
            # a student of the new LMS course before any instructor opened it: an explanation, no account
            student = browser.new_context().new_page()
            student.set_default_timeout(30_000)
            lms.launch_claims = {**base, **new_course, "sub": "stu-never", "name": "Nev Er Submitted"}
            student.goto(course_page)
            student.frame_locator("#tool").get_by_text("your instructor must open the tool once").wait_for()

            page = browser.new_context(viewport={"width": 1200, "height": 950}).new_page()
            page.set_default_timeout(30_000)
            tool = page.frame_locator("#tool")
            lms.launch_claims = {**base, **instructor,
                                 LTI + "context": {"id": "ctx-2025", "title": "Calculus 2025"}}
            page.goto(course_page)
            tool.locator("#lms-roster").wait_for()  # the dashboard of the connected course: they teach it

            lms.launch_claims = {**base, **instructor, **new_course}
            page.goto(course_page)
            tool.locator("#context-choice").wait_for()
            assert "Create a new course for “Calculus 2026”" in tool.locator("#context-choice").inner_text()
            shot(page, "lti-course-choice")
            tool.locator(f"#choice-{course['id']}").check()  # the API's course id is its key
            tool.locator("#choice-submit").click()

            section = tool.locator("#lms-roster")
            section.wait_for()  # where the launch would have gone: the assignment's dashboard
            assert "Calculus 2026" in section.inner_text() and "never" in section.inner_text()
            tool.locator("#roster-sync").click()
            section.locator(".flash").first.wait_for()
            text = section.inner_text()
            assert "Synced 4 member(s) from 2 LMS course(s)." in text, text
            tool.locator("#roster-not-submitted summary").click()
            # listed by both LMS courses, named once
            assert tool.locator("#roster-not-submitted li").all_inner_texts() == ["Nev Er Submitted"]
            shot(page, "lti-roster-synced")

            # the student's next launch lands in the grader course the instructor chose
            lms.launch_claims = {**base, **new_course, "sub": "stu-never", "name": "Nev Er Submitted"}
            student.goto(course_page)
            student.frame_locator("#tool").locator("#answer-1e").wait_for()
        finally:
            browser.close()
