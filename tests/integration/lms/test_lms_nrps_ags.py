"""Issue 14, problem 7: no Names and Role Provisioning and no AGS line-item management. Now the
roster is fetched through NRPS (paged) so the instructor sees who has not submitted, and line
items are read and created through AGS, each with its own scope, against the stand-in platform."""

from __future__ import annotations

import pytest

from lms_fixtures import AGS, NRPS, ROSTER, SCORE_SCOPE, graded_submission, launch, linked_to_ctx1, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiContext, LtiMember, LtiUserLink
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    linked_to_ctx1(world, lms)
    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    lms.launch_claims = {
        LTI + "custom": {"assignment": "hw1"}, LTI + "context": {"id": "ctx-1", "title": "Calculus"},
        NRPS: {"context_memberships_url": lms.url + "/memberships", "service_versions": ["2.0"]},
        AGS: {"lineitem": lms.lineitem(1), "lineitems": lms.url + "/lineitems",
              "scope": [SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"]}}
    lms.members = [dict(m) for m in ROSTER]
    return tool_client(app)


def test_the_roster_shows_who_has_not_submitted(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="stu-1").status_code == 303
    world.users["stu-1"] = world.session.query(LtiUserLink).filter_by(sub="stu-1").one().user
    graded_submission(world, "stu-1")
    world.session.commit()
    lms.tool_jwks = public_jwks(world.session)
    synced = client.post(f"{BASE}/roster/sync", headers=world.auth("teacher"))
    assert synced.status_code == 200 and synced.get_json() == {"contexts": 1, "members": 4, "errors": []}
    assert [r.path for r in lms.of("memberships")] == ["/memberships", "/memberships"]  # two pages
    page = client.get("/api/v1/lms/assignments/hw1/passback", headers=world.auth("teacher")).get_json()
    assert page["not_submitted"] == ["Bo Never"]


def test_a_roster_the_platform_refuses_is_reported_not_stored(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    lms.granted_scopes = {SCORE_SCOPE}  # this platform offers no NRPS
    synced = client.post(f"{BASE}/roster/sync", headers=world.auth("teacher")).get_json()
    assert synced["members"] == 0 and "no access token" in synced["errors"][0]


def test_a_roster_answered_with_the_lms_login_page_is_a_clear_error_not_a_500(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    """The failure: a 200 that was not JSON (an HTML login page) raised ValueError: HTTP 500."""
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    assert client.post(f"{BASE}/roster/sync", headers=world.auth("teacher")).get_json()["members"] == 4
    lms.fail("memberships", 1, "html")
    synced = client.post(f"{BASE}/roster/sync", headers=world.auth("teacher"))
    assert synced.status_code == 200, synced.get_data(as_text=True)
    assert synced.get_json()["members"] == 0
    assert "answered text/html, not JSON" in synced.get_json()["errors"][0]
    assert world.session.query(LtiMember).count() == 4  # the stored roster is kept


def test_line_items_are_created_and_read_through_ags(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    url = f"{BASE}/lti-contexts/{context.id}/lineitems"
    created = client.post(url, json={"assignment": "hw1"}, headers=world.auth("teacher"))
    assert created.status_code == 201, created.get_data(as_text=True)
    item = created.get_json()
    assert (item["label"], item["scoreMaximum"], item["resourceId"]) == ("Logistic derivatives", 3.0, "hw1")
    listed = client.get(url, headers=world.auth("teacher")).get_json()["lineitems"]
    assert [i["id"] for i in listed] == [item["id"]]
    assert client.post(url, json={"assignment": "nope"}, headers=world.auth("teacher")).status_code == 422
    assert client.get(url, headers=world.auth("alice")).status_code == 403
