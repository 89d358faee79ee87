"""Issue 14, problem 11: interoperability with an LTI 1.3 platform we did not write
(``lti1p3platform`` from PyPI): its login initiation, its signed launches (a resource link with
an AGS line item, a Deep Linking request) reach the tool, and it accepts the tool's signed Deep
Linking answer with its own validation."""

from __future__ import annotations

import re

import pytest

from independent_platform import AUTH_URL, ISSUER, Platform, launch_form, login_url, public_pem  # type: ignore[import-not-found]
from lms_fixtures import TOOL, tool_client  # type: ignore[import-not-found]
from lms_standin import form_fields, new_rsa_pem  # type: ignore[import-not-found]
from grader.db.models.lms import LtiLaunchLink, LtiUserLink
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration
M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


@pytest.fixture
def setup(settings, db_factory, queue, world):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    private = new_rsa_pem()
    registered = app.test_client().post("/api/v1/lms/courses/c1/lti-platforms", headers=world.auth("teacher"), json={
        "issuer": ISSUER, "client_id": "indep-client", "deployment_id": "indep-dep", "auth_login_url": AUTH_URL,
        "token_url": ISSUER + "/token", "public_key_pem": public_pem(private)})
    assert registered.status_code == 201, registered.get_data(as_text=True)
    platform = Platform(tool=TOOL, private_pem=private, tool_jwks=public_jwks(world.session))
    world.session.commit()
    return app, platform


def _launch(app, platform, *, user: str, roles: list[str], **claims):  # type: ignore[no-untyped-def]
    client = tool_client(app)
    start = login_url(platform, user=user)
    assert start.startswith(TOOL + "/lti/login?")
    redirect = client.get(start[len(TOOL):])
    assert redirect.status_code == 302 and redirect.headers["Location"].startswith(AUTH_URL)
    form = launch_form(platform, redirect.headers["Location"], user=user, roles=roles, **claims)
    assert form["launch_url"] == TOOL + "/lti/launch"
    return client, client.post("/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})


def test_a_resource_link_launch_from_the_independent_platform(setup, world) -> None:  # type: ignore[no-untyped-def]
    app, platform = setup
    _, response = _launch(app, platform, user="indie-1", roles=[M + "Learner"], resource_link="indep-link-1",
                          custom={"assignment": "hw1"}, ags=ISSUER + "/lineitems/7/lineitem")
    assert response.status_code == 303, response.get_data(as_text=True)
    user = world.session.query(LtiUserLink).filter_by(issuer=ISSUER, sub="indie-1").one()
    launched = world.session.query(LtiLaunchLink).filter_by(user_id=user.user_id).one()
    assert launched.lineitem_url == ISSUER + "/lineitems/7/lineitem"


def test_deep_linking_with_the_independent_platform(setup, world) -> None:  # type: ignore[no-untyped-def]
    app, platform = setup
    client, picker = _launch(app, platform, user="indie-prof", roles=[M + "Instructor"],
                             deep_link=ISSUER + "/deep-link-return")
    assert picker.status_code == 200, picker.get_data(as_text=True)
    answer = client.post("/lti/deep-link", data={"request": form_fields(picker.get_data(as_text=True))["request"],
                                                 "assignment": "hw1"})
    html = answer.get_data(as_text=True)
    (action,) = re.findall(r'<form id="lti-return" method="post" action="([^"]+)"', html)
    assert action == ISSUER + "/deep-link-return"
    (item,) = platform.validate_deeplinking_resp({"JWT": form_fields(html)["JWT"]})  # the library's own checks
    assert item["type"] == "ltiResourceLink" and item["custom"] == {"assignment": "hw1"}
    assert item["lineItem"]["scoreMaximum"] == 3.0


def test_a_score_reaches_the_independent_platform(settings, db_factory, queue, world) -> None:  # type: ignore[no-untyped-def]
    import requests

    from independent_platform import ServiceEndpoints  # type: ignore[import-not-found]
    from lms_fixtures import graded_submission  # type: ignore[import-not-found]
    from grader.app import create_app
    from grader.lms_protocol.ags import TokenCache
    from grader.lms_protocol.webhooks import Outcome
    from grader.services.lms import notify, outbox

    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    private = new_rsa_pem()
    platform = Platform(tool=TOOL, private_pem=private, tool_jwks=public_jwks(world.session))
    world.session.commit()
    with ServiceEndpoints(platform) as svc:
        registered = app.test_client().post("/api/v1/lms/courses/c1/lti-platforms", headers=world.auth("teacher"), json={
            "issuer": ISSUER, "client_id": "indep-client", "deployment_id": "indep-dep", "auth_login_url": AUTH_URL,
            "token_url": svc.url + "/token", "public_key_pem": public_pem(private)})
        assert registered.status_code == 201, registered.get_data(as_text=True)
        _, response = _launch(app, platform, user="indie-1", roles=[M + "Learner"], resource_link="indep-link-1",
                              custom={"assignment": "hw1"}, ags=svc.url + "/lineitems/7/lineitem")
        assert response.status_code == 303
        world.users["indie-1"] = world.session.query(LtiUserLink).filter_by(sub="indie-1").one().user
        _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world, "indie-1").id,
                                                    regrade=False)
        world.session.commit()
        result = outbox.post_score(world.session, post_id, http=requests.Session(), cache=TokenCache(),
                                   schedule=(0,) * 7)
        assert result[0] is Outcome.DELIVERED, (result, svc.refused)
    ((path, score),) = svc.scores
    assert path == "/lineitems/7/lineitem/scores" and score["userId"] == "indie-1" and score["scoreGiven"] == 2.0


def test_line_items_are_changed_and_deleted_on_the_independent_platform(settings, db_factory, queue, world) -> None:  # type: ignore[no-untyped-def]
    """AGS line item PUT and DELETE answered by ``lti1p3platform``'s own AssignmentsGradesService
    (it checks the bearer token, the method and the media type); its launch claim granted the scope."""
    from independent_platform import ServiceEndpoints  # type: ignore[import-not-found]
    from lms_fixtures import graded_submission  # type: ignore[import-not-found]
    from grader.app import create_app
    from grader.db.models.lms import LtiContext, ScorePost
    from grader.services.lms import notify

    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    api, teacher = app.test_client(), world.auth("teacher")
    private = new_rsa_pem()
    platform = Platform(tool=TOOL, private_pem=private, tool_jwks=public_jwks(world.session))
    world.session.commit()
    with ServiceEndpoints(platform) as svc:
        registered = api.post("/api/v1/lms/courses/c1/lti-platforms", headers=teacher, json={
            "issuer": ISSUER, "client_id": "indep-client", "deployment_id": "indep-dep", "auth_login_url": AUTH_URL,
            "token_url": svc.url + "/token", "public_key_pem": public_pem(private)})
        assert registered.status_code == 201, registered.get_data(as_text=True)
        assert api.post("/api/v1/lms/courses/c1/lti-contexts", headers=teacher, json={
            "platform_id": registered.get_json()["id"], "deployment_id": "indep-dep",
            "context_id": "indep-ctx"}).status_code == 201
        item = svc.url + "/lineitems/7/lineitem"
        svc.lineitems[item] = {"id": item, "label": "HW 1", "scoreMaximum": 3, "resourceId": "hw1",
                               "resourceLinkId": "indep-link-1"}
        _, response = _launch(app, platform, user="indie-1", roles=[M + "Learner"], resource_link="indep-link-1",
                              custom={"assignment": "hw1"}, context="indep-ctx", ags=item,
                              lineitems=svc.url + "/lineitems")
        assert response.status_code == 303
        world.users["indie-1"] = world.session.query(LtiUserLink).filter_by(sub="indie-1").one().user
        _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world, "indie-1").id,
                                                    regrade=False)
        world.session.commit()
        context = world.session.query(LtiContext).filter_by(context_id="indep-ctx").one()
        url = f"/api/v1/lms/courses/c1/lti-contexts/{context.id}/lineitem"
        updated = api.put(url, query_string={"id": item}, headers=teacher,
                          json={"label": "Homework 1", "scoreMaximum": 4, "endDateTime": "2026-12-24T23:59:00Z"})
        assert updated.status_code == 200, (updated.get_data(as_text=True), svc.refused)
        assert svc.lineitems[item] == {"id": item, "label": "Homework 1", "scoreMaximum": 4, "resourceId": "hw1",
                                       "resourceLinkId": "indep-link-1", "endDateTime": "2026-12-24T23:59:00Z"}
        deleted = api.delete(url, query_string={"id": item}, headers=teacher)
        assert deleted.status_code == 200, (deleted.get_data(as_text=True), svc.refused)
        assert svc.lineitems == {} and deleted.get_json()["score_posts_disabled"] == 1
        assert api.delete(url, query_string={"id": item}, headers=teacher).status_code == 404  # no longer listed
    assert svc.calls == [("GET", "/lineitems", 200), ("PUT", "/lineitems/7/lineitem", 200),
                         ("GET", "/lineitems", 200), ("DELETE", "/lineitems/7/lineitem", 204),
                         ("GET", "/lineitems", 200)]
    world.session.expire_all()
    assert world.session.get(ScorePost, post_id).status == "disabled"
