"""LTI 1.3 launch with the stand-in as the platform: a genuine launch logs in; forged, expired,
replayed and mis-addressed id_tokens are refused."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask.testing import FlaskClient

from lms_fixtures import add_platform, checked  # type: ignore[import-not-found]
from lms_standin import LTI, form_fields, new_rsa_pem  # type: ignore[import-not-found]
from grader.db.models.lms import LtiResourceLink, LtiUserLink

pytestmark = pytest.mark.integration
TOOL = "https://tool.test"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


class HttpsClient(FlaskClient):
    """A browser talking to the tool over HTTPS (the LMS iframe's case)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", TOOL)
        return super().open(*args, **kwargs)


@pytest.fixture
def tool(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False)
    world.session.commit()
    lms.tool_redirect_uri = TOOL + "/lti/launch"
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"},
                         AGS: {"lineitem": lms.lineitem(2), "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]}}
    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    app.test_client_class = HttpsClient
    return app.test_client()


def _login(client, lms) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Login initiation; returns the auth redirect URL and its query."""
    response = client.get("/lti/login", query_string=lms.login_params())
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith(lms.auth_url)
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _platform_form(location: str) -> dict[str, str]:
    page = requests.get(location, timeout=5)
    assert page.status_code == 200, page.text
    return form_fields(page.text)


def test_a_launch_logs_the_student_in_inside_the_iframe(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    location, query = _login(tool, lms)
    assert query["response_type"] == "id_token" and query["scope"] == "openid" and query["prompt"] == "none"
    assert query["redirect_uri"] == TOOL + "/lti/launch" and query["lti_message_hint"] == "msg-hint"
    response = tool.post("/lti/launch", data=_platform_form(location))
    assert response.status_code == 303, response.get_data(as_text=True)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "SameSite=None" in session_cookie and "Secure" in session_cookie and "HttpOnly" in session_cookie
    me = tool.get("/api/v1/me").get_json()
    assert me["name"] == "Ada Student" and me["courses"] == [{"id": "c1", "title": "Course 1", "role": "student"}]
    link = world.session.query(LtiUserLink).filter_by(sub="lms-user-1").one()
    assert link.issuer == lms.issuer
    resource = world.session.query(LtiResourceLink).filter_by(resource_link_id="rl-1").one()
    assert resource.assignment_id == world.version.assignment_id and resource.lineitem_url == lms.lineitem(2)


def test_the_login_cookie_is_cross_site(tool, lms) -> None:  # type: ignore[no-untyped-def]
    response = tool.get("/lti/login", query_string=lms.login_params())
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lti_state_")]
    assert "SameSite=None" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_an_instructor_role_makes_an_instructor(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    lms.launch_claims[LTI + "roles"] = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
    location, _ = _login(tool, lms)
    assert tool.post("/lti/launch", data=_platform_form(location)).status_code == 303
    assert tool.get("/api/v1/me").get_json()["courses"][0]["role"] == "instructor"


def test_a_second_launch_reuses_the_linked_user(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        location, _ = _login(tool, lms)
        assert tool.post("/lti/launch", data=_platform_form(location)).status_code == 303
    assert world.session.query(LtiUserLink).filter_by(sub="lms-user-1").count() == 1


def _refused(tool, lms, world, make_token: Any, *, status: int = 401) -> None:  # type: ignore[no-untyped-def]
    location, query = _login(tool, lms)
    form = _platform_form(location)
    form["id_token"] = make_token(query["nonce"])
    response = tool.post("/lti/launch", data=form)
    assert response.status_code == status, response.get_data(as_text=True)
    assert tool.get("/api/v1/me").status_code == 401  # not logged in
    assert world.session.query(LtiUserLink).filter_by(sub="lms-user-1").count() == 0
    form["id_token"] = lms.id_token(nonce=query["nonce"])  # a refused launch used up its state
    assert tool.post("/lti/launch", data=form).status_code == 401


def test_a_forged_id_token_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, key_pem=new_rsa_pem()))


def test_an_expired_id_token_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, now=time.time() - 3600))


def test_an_id_token_for_another_tool_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, aud="another-tool"))


def test_an_id_token_authorised_for_another_party_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, azp="another-tool"))


def test_an_id_token_from_another_issuer_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, iss="https://evil.test"))


def test_an_id_token_with_another_nonce_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce="not-" + nonce))


def test_an_id_token_for_another_deployment_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce, **{LTI + "deployment_id": "dep-9"}))


def test_a_replayed_launch_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    location, _ = _login(tool, lms)
    form = _platform_form(location)
    assert tool.post("/lti/launch", data=form).status_code == 303
    assert tool.post("/lti/launch", data=form).status_code == 401  # same state again
    _, query = _login(tool, lms)  # a fresh login: the old token's nonce does not match it
    replay = {"id_token": form["id_token"], "state": query["state"]}
    assert tool.post("/lti/launch", data=replay).status_code == 401


def test_a_launch_without_the_browsers_state_cookie_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    location, _ = _login(tool, lms)
    form = _platform_form(location)
    other_browser = tool.application.test_client()
    assert other_browser.post("/lti/launch", data=form).status_code == 401


def test_an_unmapped_resource_link_is_refused(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    lms.launch_claims.pop(LTI + "custom")
    _refused(tool, lms, world, lambda nonce: lms.id_token(nonce=nonce), status=400)


def test_an_unknown_platform_cannot_start_a_login(tool, lms) -> None:  # type: ignore[no-untyped-def]
    params = {**lms.login_params(), "iss": "https://unknown.test"}
    assert tool.get("/lti/login", query_string=params).status_code == 400


def test_the_tool_jwks_is_public_and_stable(tool) -> None:  # type: ignore[no-untyped-def]
    first = tool.get("/lti/jwks.json").get_json()
    second = tool.get("/lti/jwks.json").get_json()
    assert first == second and first["keys"][0]["alg"] == "RS256" and "d" not in first["keys"][0]


def test_a_launch_lands_on_the_assignment_page_for_the_role(settings, db_factory, queue, world, lms) -> None:  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False)
    world.session.commit()
    lms.tool_redirect_uri = TOOL + "/lti/launch"
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    app = create_app(settings, session_factory=db_factory, queue=queue)  # every blueprint, pages included
    app.test_client_class = HttpsClient
    client = app.test_client()
    location, _ = _login(client, lms)
    response = checked(client, client.post("/lti/launch", data=_platform_form(location)))
    assert response.status_code == 303 and response.headers["Location"] == "/assignments/hw1"
    lms.launch_claims[LTI + "roles"] = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
    location, _ = _login(client, lms)
    response = checked(client, client.post("/lti/launch", data=_platform_form(location)))
    assert response.headers["Location"] == "/instructor/assignments/hw1"
    assert client.get("/assignments/hw1").status_code == 200  # logged in through the iframe cookie


def test_a_launch_never_takes_over_an_account_by_email(tool, lms, world) -> None:  # type: ignore[no-untyped-def]
    lms.launch_claims["email"] = "teacher@example.com"  # an existing instructor's address
    location, _ = _login(tool, lms)
    assert tool.post("/lti/launch", data=_platform_form(location)).status_code == 303
    me = tool.get("/api/v1/me").get_json()
    assert me["email"].endswith("@lti.invalid") and me["courses"][0]["role"] == "student"
    link = world.session.query(LtiUserLink).filter_by(sub="lms-user-1").one()
    assert link.user_id != world.users["teacher"].id
