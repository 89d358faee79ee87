"""Issue 14, problem 7 (AGS line-item management): line items could be read and created but not
changed or deleted. Now an instructor updates (PUT) and deletes (DELETE) a line item of an LMS
course through AGS, only with the ``lineitem`` scope the launch granted, only for a line item the
platform lists in that course's container; after a delete no score is posted there again and the
passback page says why. Against the project's stand-in (tests/lms_standin*.py); the independent
platform's run is in test_lms_independent_platform.py."""

from __future__ import annotations

import pytest

from lms_fixtures import AGS, SCORE_SCOPE, graded_submission, launch, linked_to_ctx1, tool_client  # type: ignore[import-not-found]
from lms_standin import LINEITEM_READ_SCOPE, LINEITEM_SCOPE, LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiContext, LtiUserLink, ScorePost
from grader.services.lms import notify
from grader.services.lms.tool_keys import public_jwks
from tests.support.network import loopback_only

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    linked_to_ctx1(world, lms)
    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    lms.launch_claims = _claims(lms, lms.lineitem(1), [SCORE_SCOPE, LINEITEM_SCOPE])
    return tool_client(app)


def _claims(lms, lineitem: str, scopes: list[str]) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {LTI + "custom": {"assignment": "hw1"}, LTI + "context": {"id": "ctx-1", "title": "Calculus"},
            AGS: {"lineitem": lineitem, "lineitems": lms.url + "/lineitems", "scope": scopes}}


def _ready(client, lms, world) -> tuple[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    """A launch told the tool the context's services; hw1's line item created through AGS."""
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    created = client.post(f"{BASE}/lti-contexts/{context.id}/lineitems", json={"assignment": "hw1"},
                          headers=world.auth("teacher"))
    assert created.status_code == 201
    return f"{BASE}/lti-contexts/{context.id}/lineitem", created.get_json()


def test_an_instructor_changes_a_line_item_through_ags(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    changes = {"label": "Homework 1 (final)", "scoreMaximum": 5, "tag": "final",
               "startDateTime": "2026-12-01T00:00:00Z", "endDateTime": "2026-12-24T23:59:00+01:00"}
    updated = client.put(url, query_string={"id": item["id"]}, json=changes, headers=world.auth("teacher"))
    assert updated.status_code == 200, updated.get_data(as_text=True)
    assert updated.get_json() == {**item, **changes}
    assert lms.created_lineitems == [{**item, **changes}]  # the platform's copy
    (put,) = lms.of("lineitem_update")
    assert put.verified and put.headers["content-type"] == "application/vnd.ims.lis.v2.lineitem+json"
    assert put.json()["id"] == item["id"] and put.json()["resourceId"] == "hw1"  # the whole item, id kept
    # the item as read back (id and all) may be sent again; a null removes an optional field
    again = client.put(url, query_string={"id": item["id"]}, json={**updated.get_json(), "tag": None},
                       headers=world.auth("teacher"))
    assert again.status_code == 200 and "tag" not in lms.created_lineitems[0]


@pytest.mark.parametrize(("changes", "message"), [
    ({}, "nothing to change"),
    ({"scoreMaximum": 0}, '"scoreMaximum" must be a number greater than 0'),
    ({"scoreMaximum": True}, '"scoreMaximum" must be a number greater than 0'),
    ({"label": " "}, '"label" must be a non-empty string'),
    ({"tag": 7}, '"tag" must be a string or null'),
    ({"endDateTime": "tomorrow"}, '"endDateTime" must be an ISO 8601 date and time with a time zone'),
    ({"startDateTime": "2026-12-01T00:00:00"}, "with a time zone"),
    ({"startDateTime": "2026-12-02T00:00:00Z", "endDateTime": "2026-12-01T00:00:00Z"}, "must not be before"),
    ({"resourceLinkId": "another-link"}, '"resourceLinkId" is the platform\'s and cannot be changed'),
    ({"id": "http://elsewhere.test/x", "label": "x"}, '"id" is the platform\'s and cannot be changed'),
    ({"gradesReleased": True}, "unknown field(s) gradesReleased"),
])
def test_invalid_changes_are_a_clear_422_and_never_reach_the_lms(client, lms, world, changes, message) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    refused = client.put(url, query_string={"id": item["id"]}, json=changes, headers=world.auth("teacher"))
    assert refused.status_code == 422 and message in refused.get_json()["error"]
    assert lms.of("lineitem_update") == [] and lms.created_lineitems == [item]


def test_a_line_item_url_not_in_the_courses_container_is_refused_without_a_call(
        client, lms, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    loopback_only(monkeypatch)  # the internal address below is refused by the check; never even tried
    for target in (lms.url + "/lineitems/999/lineitem",  # same site, not listed in ctx-1's container
                   "http://169.254.169.254/latest/meta-data", "http://127.0.0.1:1/lineitems/100/lineitem"):
        for method in ("put", "delete"):
            refused = getattr(client, method)(url, query_string={"id": target}, json={"label": "x"},
                                              headers=world.auth("teacher"))
            assert refused.status_code == 404 and "no such line item" in refused.get_json()["error"]
    missing = client.delete(url, headers=world.auth("teacher"))
    assert missing.status_code == 422 and '"id"' in missing.get_json()["error"]
    assert lms.of("lineitem_update") == lms.of("lineitem_delete") == [] and lms.created_lineitems == [item]


def test_without_the_lineitem_scope_granted_by_the_launch_nothing_is_called(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    lms.launch_claims = _claims(lms, lms.lineitem(1), [SCORE_SCOPE])  # this LMS course grants scores only
    assert launch(client, lms, sub="stu-1").status_code == 303
    calls = len(lms.received)
    for method in ("put", "delete"):
        refused = getattr(client, method)(url, query_string={"id": item["id"]}, json={"label": "x"},
                                          headers=world.auth("teacher"))
        assert refused.status_code == 403
        assert "did not grant this tool line item management" in refused.get_json()["error"]
        assert LINEITEM_SCOPE in refused.get_json()["error"]
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    context.ags_scopes = None  # mapped before this version stored scopes: no launch has said yet
    world.session.commit()
    unknown = client.put(url, query_string={"id": item["id"]}, json={"label": "x"}, headers=world.auth("teacher"))
    assert unknown.status_code == 409 and "open the tool once" in unknown.get_json()["error"]
    assert len(lms.received) == calls and lms.created_lineitems == [item]


def test_a_deleted_line_item_gets_no_more_scores_and_the_passback_page_says_why(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    lms.launch_claims = _claims(lms, item["id"], [SCORE_SCOPE, LINEITEM_SCOPE])
    assert launch(client, lms, sub="stu-2").status_code == 303  # stu-2's link names the new line item
    for sub in ("stu-1", "stu-2"):
        world.users[sub] = world.session.query(LtiUserLink).filter_by(sub=sub).one().user
    _, (pending,) = notify.on_submission_graded(world.session, graded_submission(world, "stu-2").id, regrade=False)
    world.session.commit()

    deleted = client.delete(url, query_string={"id": item["id"]}, headers=world.auth("teacher"))
    assert deleted.status_code == 200, deleted.get_data(as_text=True)
    assert deleted.get_json() == {"deleted": item["id"], "label": "Logistic derivatives", "students_affected": 1,
                                  "score_posts_disabled": 1}
    assert lms.created_lineitems == [] and [r.status for r in lms.of("lineitem_delete")] == [204]
    world.session.expire_all()
    post = world.session.get(ScorePost, pending)
    assert post.status == "disabled" and "line item was deleted through the grader" in post.last_error
    # no new post to it; stu-1's line item (another one) still gets scores
    assert notify.on_submission_graded(world.session, graded_submission(world, "stu-2").id, regrade=False)[1] == []
    assert len(notify.on_submission_graded(world.session, graded_submission(world, "stu-1").id,
                                           regrade=False)[1]) == 1
    world.session.commit()
    page = client.get("/api/v1/lms/assignments/hw1/passback", headers=world.auth("teacher")).get_json()
    reasons = {row["lineitem_url"]: row["reason"] for row in page["students"] if row["lineitem_url"]}
    assert "was deleted through the grader" in reasons[item["id"]] and "Logistic derivatives" in reasons[item["id"]]
    assert reasons[lms.lineitem(1)] == "scores go to this link's line item"
    # gone from the container: a second delete is refused without a call to it
    assert client.delete(url, query_string={"id": item["id"]}, headers=world.auth("teacher")).status_code == 404
    assert len(lms.of("lineitem_delete")) == 1


def test_students_and_other_courses_instructors_cannot_change_line_items(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    url, item = _ready(client, lms, world)
    assert client.put(url, query_string={"id": item["id"]}, json={"label": "x"},
                      headers=world.auth("alice")).status_code == 403
    assert client.delete(url, query_string={"id": item["id"]}, headers=world.auth("eve")).status_code == 404
    other = url.replace("/courses/c1/", "/courses/c2/")
    assert client.delete(other, query_string={"id": item["id"]}, headers=world.auth("eve")).status_code == 404
    assert lms.of("lineitem_update") == lms.of("lineitem_delete") == []


def test_reading_and_creating_line_items_need_the_scope_the_launch_granted(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    """GET and POST .../lineitems did not look at the AGS scopes the launch granted: for an LMS
    course whose launches granted only ``score`` the tool still asked for a line item token and
    called the platform. Now both are refused first (403), as PUT and DELETE are."""
    lms.launch_claims = _claims(lms, lms.lineitem(1), [SCORE_SCOPE])  # this LMS course grants scores only
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    url = f"{BASE}/lti-contexts/{context.id}/lineitems"
    calls = len(lms.received)
    created = client.post(url, json={"assignment": "hw1"}, headers=world.auth("teacher"))
    assert created.status_code == 403, created.get_data(as_text=True)
    assert "did not grant this tool line item management" in created.get_json()["error"]
    assert LINEITEM_SCOPE in created.get_json()["error"] and SCORE_SCOPE in created.get_json()["error"]
    listed = client.get(url, headers=world.auth("teacher"))
    assert listed.status_code == 403 and LINEITEM_READ_SCOPE in listed.get_json()["error"]
    context.ags_scopes = None  # mapped before scopes were stored: no launch has said yet
    world.session.commit()
    for unknown in (client.get(url, headers=world.auth("teacher")),
                    client.post(url, json={"assignment": "hw1"}, headers=world.auth("teacher"))):
        assert unknown.status_code == 409 and "open the tool once" in unknown.get_json()["error"]
    assert len(lms.received) == calls and lms.created_lineitems == []  # the platform was never called


def test_a_read_only_grant_lists_line_items_but_creates_none(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    """With ``lineitem.readonly`` only, the list is read with a token of that scope (asking for
    ``lineitem`` would be refused by the platform), and creating is refused without a call."""
    lms.launch_claims = _claims(lms, lms.lineitem(1), [SCORE_SCOPE, LINEITEM_READ_SCOPE])
    lms.granted_scopes = {SCORE_SCOPE, LINEITEM_READ_SCOPE}
    assert launch(client, lms, sub="stu-1").status_code == 303
    lms.tool_jwks = public_jwks(world.session)
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    url = f"{BASE}/lti-contexts/{context.id}/lineitems"
    listed = client.get(url, headers=world.auth("teacher"))
    assert listed.status_code == 200, listed.get_data(as_text=True)
    assert listed.get_json() == {"lineitems": []} and [r.status for r in lms.of("lineitems")] == [200]
    created = client.post(url, json={"assignment": "hw1"}, headers=world.auth("teacher"))
    assert created.status_code == 403 and "it granted: " + SCORE_SCOPE + ", " + LINEITEM_READ_SCOPE in created.get_json()["error"]
    assert lms.of("lineitem_create") == []
