"""The instructors' LMS settings API refuses cookie-authenticated posts without the CSRF token."""

from __future__ import annotations

from typing import Any

from tests.unit.web.test_pages import env, logged_in, token_of  # noqa: F401 - the fixture

COURSE_PATH = "/api/v1/lms/courses/{}/inbound-secrets"


def course_key(env: dict[str, Any]) -> str:  # noqa: F811
    from grader.db.models import Assignment
    from grader.db.session import session_scope

    with session_scope(env["factory"]) as s:
        return s.query(Assignment).filter_by(key="assignment-4").one().course.key


def test_a_cross_site_post_with_the_login_cookie_is_refused(env: dict[str, Any]) -> None:  # noqa: F811
    client = logged_in(env, "prof@example.com")
    url = COURSE_PATH.format(course_key(env))
    r = client.post(url)  # what a form on another site would send
    assert r.status_code == 403, r.text
    token = token_of(client.get("/").text)
    r = client.post(url, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text


def test_a_cross_site_regrade_with_the_login_cookie_is_refused(env: dict[str, Any]) -> None:  # noqa: F811
    client = logged_in(env, "prof@example.com")
    url = "/api/v1/assignments/assignment-4/regrade"
    assert client.post(url).status_code == 403
    token = token_of(client.get("/").text)
    assert client.post(url, headers={"X-CSRF-Token": token}).status_code == 202
