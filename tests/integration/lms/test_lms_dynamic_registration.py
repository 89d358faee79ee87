"""Issue 14, problem 6: there was no Dynamic Registration (the administrator typed every value by
hand). Now an instructor asks for a registration URL, the administrator pastes it into the LMS, and
the LMS (the stand-in) and the tool exchange the rest; the registered platform then launches."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lms_fixtures import TOOL, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiPlatform

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return tool_client(create_app(settings, session_factory=db_factory, queue=queue,
                                  blueprints=[("grader.api", True), ("grader.web.lms", True)]))


def _invite(client, world) -> str:  # type: ignore[no-untyped-def]
    made = client.post(f"{BASE}/lti-registration-url", headers=world.auth("teacher"))
    assert made.status_code == 201
    url = made.get_json()["url"]
    assert url.startswith(TOOL + "/lti/register/")
    return urlsplit(url).path


def test_dynamic_registration_registers_the_platform_in_one_step(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    path = _invite(client, world)
    page = client.get(path, query_string={"openid_configuration": lms.url + "/.well-known/openid-configuration",
                                          "registration_token": lms.registration_token})
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "dyn-client-1" in page.get_data(as_text=True) and "lti_registration_close.js" in page.get_data(as_text=True)
    (sent,) = lms.registrations
    assert sent["initiate_login_uri"] == TOOL + "/lti/login" and sent["redirect_uris"] == [TOOL + "/lti/launch"]
    assert sent["jwks_uri"] == TOOL + "/lti/jwks.json"
    tool_config = sent["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert {m["type"] for m in tool_config["messages"]} == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
    platform = world.session.query(LtiPlatform).filter_by(client_id="dyn-client-1").one()
    assert (platform.issuer, platform.deployment_id, platform.token_url, platform.jwks_url) == (
        lms.issuer, "dyn-dep-1", lms.token_url, lms.jwks_url)
    # the LMS now launches with what it was given
    lms.client_id, lms.deployment_id = "dyn-client-1", "dyn-dep-1"
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    assert launch(client, lms, sub="stu-9").status_code == 303


def test_a_wrong_registration_token_or_a_forged_invitation_registers_nothing(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    path = _invite(client, world)
    page = client.get(path, query_string={"openid_configuration": lms.url + "/.well-known/openid-configuration",
                                          "registration_token": "not-the-token"})
    assert page.status_code == 502 and "HTTP 401" in page.get_data(as_text=True)
    forged = client.get(path[:-3] + "abc", query_string={
        "openid_configuration": lms.url + "/.well-known/openid-configuration",
        "registration_token": lms.registration_token})
    assert forged.status_code == 400
    assert world.session.query(LtiPlatform).count() == 0 and lms.registrations == []


def test_a_configuration_naming_another_host_as_issuer_is_refused(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    lms.issuer = "https://other-platform.test"
    page = client.get(_invite(client, world), query_string={
        "openid_configuration": lms.url + "/.well-known/openid-configuration",
        "registration_token": lms.registration_token})
    assert page.status_code == 422 and "not on the host" in page.get_data(as_text=True)
    assert world.session.query(LtiPlatform).count() == 0


def test_only_the_courses_instructors_make_registration_urls(client, world) -> None:  # type: ignore[no-untyped-def]
    assert client.post(f"{BASE}/lti-registration-url", headers=world.auth("alice")).status_code == 403
    assert client.post(f"{BASE}/lti-registration-url", headers=world.auth("eve")).status_code == 404
