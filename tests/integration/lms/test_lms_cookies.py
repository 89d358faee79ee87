"""Issue 14, problem 3 (in part): inside an LMS iframe with third-party cookies blocked the state
cookie was not sent and /lti/launch answered a bare 401. The login and session cookies are now
CHIPS (``Partitioned``) cookies, which such browsers keep per LMS site, and a launch whose cookie
did not come back explains what to do (open in a new window)."""

from __future__ import annotations

import pytest

from lms_fixtures import add_platform, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI, form_fields  # type: ignore[import-not-found]

pytestmark = pytest.mark.integration


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    return tool_client(create_app(settings, session_factory=db_factory, queue=queue,
                                  blueprints=[("grader.api", True), ("grader.web.lms", True)]))


def test_the_login_and_session_cookies_are_partitioned(client, lms) -> None:  # type: ignore[no-untyped-def]
    lms.tool_redirect_uri = "https://tool.test/lti/launch"
    login = client.get("/lti/login", query_string=lms.login_params())
    (state_cookie,) = [c for c in login.headers.getlist("Set-Cookie") if c.startswith("lti_state_")]
    assert "Partitioned" in state_cookie and "SameSite=None" in state_cookie and "Secure" in state_cookie
    response = launch(client, lms)
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Partitioned" in session_cookie and "SameSite=None" in session_cookie


def test_a_launch_whose_cookie_was_blocked_says_to_open_a_new_window(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    import requests

    lms.tool_redirect_uri = "https://tool.test/lti/launch"
    login = client.get("/lti/login", query_string=lms.login_params())
    form = form_fields(requests.get(login.headers["Location"], timeout=5).text)
    blocked = tool_client(client.application)  # a browser that did not keep the cookie
    response = blocked.post("/lti/launch", data=form)
    assert response.status_code == 401 and response.mimetype == "text/html"
    assert "Open the activity in a new window" in response.get_data(as_text=True)


def test_login_initiation_checks_the_deployment_and_the_target_link(client, lms) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: /lti/login did not check the deployment or the target link."""
    lms.tool_redirect_uri = "https://tool.test/lti/launch"
    assert client.get("/lti/login", query_string=lms.login_params()).status_code == 302
    other_deployment = {**lms.login_params(), "lti_deployment_id": "dep-9"}
    assert client.get("/lti/login", query_string=other_deployment).status_code == 400
    elsewhere = {**lms.login_params(), "target_link_uri": "https://evil.test/lti/launch"}
    assert client.get("/lti/login", query_string=elsewhere).status_code == 400
