"""Issue 14, problem 9: a management API that lists, edits and deletes what it created. One
registration serves many deployments, but an instructor could only add one by registering the
platform again, and could neither list, correct nor remove one; editing the platform's
``deployment_id`` changed a column the launch no longer read (the listed deployments won)."""

from __future__ import annotations

import pytest

from lms_fixtures import AGS, SCORE_SCOPE, graded_submission, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models import GradingResult
from grader.db.models.lms import LtiContext, LtiDeployment, LtiLaunchLink, LtiPlatform, LtiResourceLink, LtiUserLink, ScorePost
from grader.services.lms import notify

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"


@pytest.fixture
def app(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue,
                      blueprints=[("grader.api", True), ("grader.web.lms", True)])


@pytest.fixture
def api(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def platform_id(api, world, lms) -> int:  # type: ignore[no-untyped-def]
    body = {"issuer": lms.issuer, "client_id": lms.client_id, "deployment_id": "dep-1",
            "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url}
    created = api.post(f"{BASE}/lti-platforms", json=body, headers=world.auth("teacher"))
    assert created.status_code == 201
    return int(created.get_json()["id"])


def _deps(api, world, platform_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    listed = api.get(f"{BASE}/lti-platforms/{platform_id}/deployments", headers=world.auth("teacher"))
    assert listed.status_code == 200
    return [d["deployment_id"] for d in listed.get_json()["deployments"]]


def _add(api, world, platform_id: int, deployment: object):  # type: ignore[no-untyped-def]
    return api.post(f"{BASE}/lti-platforms/{platform_id}/deployments", json={"deployment_id": deployment},
                    headers=world.auth("teacher"))


def _pk(world, platform_id: int, deployment: str) -> int:  # type: ignore[no-untyped-def]
    world.session.expire_all()
    return world.session.query(LtiDeployment).filter_by(platform_id=platform_id, deployment_id=deployment).one().id


def test_an_instructor_lists_adds_corrects_and_deletes_deployments(api, world, platform_id) -> None:  # type: ignore[no-untyped-def]
    assert _deps(api, world, platform_id) == ["dep-1"]
    added = _add(api, world, platform_id, "dep-2")
    assert added.status_code == 201 and added.get_json()["deployment_id"] == "dep-2"
    assert added.get_json()["primary"] is False
    assert _add(api, world, platform_id, "dep-2").status_code == 409
    for bad in ("", " dep-3", 7, None, "x" * 201, "tab\there"):
        refused = _add(api, world, platform_id, bad)
        assert refused.status_code == 422 and '"deployment_id" is required' in refused.get_json()["error"]
    url = f"{BASE}/lti-platforms/{platform_id}/deployments/{added.get_json()['id']}"
    renamed = api.patch(url, json={"deployment_id": "dep-2b"}, headers=world.auth("teacher"))
    assert renamed.status_code == 200 and renamed.get_json()["deployment_id"] == "dep-2b"
    assert api.patch(url, json={"deployment_id": "dep-1"}, headers=world.auth("teacher")).status_code == 409
    assert api.patch(url, json={"label": "x"}, headers=world.auth("teacher")).status_code == 422
    deleted = api.delete(url, headers=world.auth("teacher"))
    assert deleted.status_code == 200 and deleted.get_json()["deleted"]["deployment_id"] == "dep-2b"
    assert _deps(api, world, platform_id) == ["dep-1"]
    assert api.delete(url, headers=world.auth("teacher")).status_code == 404


def test_the_last_deployment_is_not_deleted_because_none_would_accept_every_deployment(api, world, platform_id) -> None:  # type: ignore[no-untyped-def]
    refused = api.delete(f"{BASE}/lti-platforms/{platform_id}/deployments/{_pk(world, platform_id, 'dep-1')}",
                         headers=world.auth("teacher"))
    assert refused.status_code == 409 and "only deployment" in refused.get_json()["error"]
    assert _deps(api, world, platform_id) == ["dep-1"]


def test_rows_of_other_platforms_and_courses_are_404(api, world, lms, platform_id) -> None:  # type: ignore[no-untyped-def]
    other = LtiPlatform(course_id=world.session.get(LtiPlatform, platform_id).course_id, issuer="https://o.test",
                        client_id="o", auth_login_url="https://o.test/a", token_url="https://o.test/t",
                        jwks_url="https://o.test/j")
    world.session.add(other)
    world.session.flush()
    world.session.add(LtiDeployment(platform_id=other.id, deployment_id="o-1"))
    world.session.commit()
    foreign = _pk(world, other.id, "o-1")
    mine = _pk(world, platform_id, "dep-1")
    for method in ("patch", "delete"):
        wrong = getattr(api, method)(f"{BASE}/lti-platforms/{platform_id}/deployments/{foreign}",
                                     json={"deployment_id": "z"}, headers=world.auth("teacher"))
        assert wrong.status_code == 404
    huge = api.delete(f"{BASE}/lti-platforms/{platform_id}/deployments/{2**63}", headers=world.auth("teacher"))
    assert huge.status_code == 404
    # eve teaches c2: c1's platform is not hers, and through c2 it does not exist
    assert api.get(f"{BASE}/lti-platforms/{platform_id}/deployments", headers=world.auth("eve")).status_code == 404
    assert api.get(f"/api/v1/lms/courses/c2/lti-platforms/{platform_id}/deployments",
                   headers=world.auth("eve")).status_code == 404
    assert api.delete(f"/api/v1/lms/courses/c2/lti-platforms/{platform_id}/deployments/{mine}",
                      headers=world.auth("eve")).status_code == 404
    assert api.post(f"{BASE}/lti-platforms/{platform_id}/deployments", json={"deployment_id": "d"},
                    headers=world.auth("alice")).status_code == 403
    assert _deps(api, world, platform_id) == ["dep-1"]


def _launch_from(app, lms, sub: str, deployment: str, context: str, item: int):  # type: ignore[no-untyped-def]
    lms.deployment_id = deployment  # the login initiation names it too
    claims = {LTI + "deployment_id": deployment, LTI + "resource_link": {"id": "link-1"},
              LTI + "custom": {"assignment": "hw1"}, LTI + "context": {"id": context, "title": context},
              AGS: {"lineitem": lms.lineitem(item), "scope": [SCORE_SCOPE]}}
    return launch(tool_client(app), lms, sub=sub, **claims)


def test_deleting_a_deployment_stops_its_launches_and_posts_and_touches_nothing_else(app, api, world, lms, platform_id) -> None:  # type: ignore[no-untyped-def]
    assert _add(api, world, platform_id, "dep-2").status_code == 201
    for dep, ctx in (("dep-1", "ctx-A"), ("dep-2", "ctx-B")):
        linked = api.post(f"{BASE}/lti-contexts", headers=world.auth("teacher"),
                          json={"platform_id": platform_id, "deployment_id": dep, "context_id": ctx})
        assert linked.status_code == 201
    for sub, dep, ctx, item in (("stu-a", "dep-1", "ctx-A", 1), ("stu-b", "dep-2", "ctx-B", 2)):
        assert _launch_from(app, lms, sub, dep, ctx, item).status_code == 303
        world.users[sub] = world.session.query(LtiUserLink).filter_by(sub=sub).one().user
    posts = {}
    for sub in ("stu-a", "stu-b"):
        _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world, sub).id, regrade=False)
        posts[sub] = post_id
    world.session.commit()

    deleted = api.delete(f"{BASE}/lti-platforms/{platform_id}/deployments/{_pk(world, platform_id, 'dep-2')}",
                         headers=world.auth("teacher"))
    assert deleted.status_code == 200, deleted.get_data(as_text=True)
    assert deleted.get_json() | {"deleted": None} == {"deleted": None, "contexts_removed": 1,
                                                      "resource_links_removed": 1, "score_posts_disabled": 1}
    world.session.expire_all()
    # dep-2: its mapping, link and launch pointers are gone, its pending post disabled with the reason
    assert {c.deployment_id for c in world.session.query(LtiContext)} == {"dep-1"}
    assert {r.deployment_id for r in world.session.query(LtiResourceLink)} == {"dep-1"}
    assert world.session.query(LtiLaunchLink).count() == 1
    stopped = world.session.get(ScorePost, posts["stu-b"])
    assert stopped.status == "disabled" and "deployment 'dep-2' was removed" in stopped.last_error
    # dep-1 untouched; every grade kept
    assert world.session.get(ScorePost, posts["stu-a"]).status == "pending"
    assert world.session.query(GradingResult).count() == 4
    # a login or launch through dep-2 is refused now; dep-1 still works
    lms.deployment_id = "dep-2"
    refused = tool_client(app).get("/lti/login", query_string=lms.login_params())
    assert refused.status_code == 400 and "deployment is not registered" in refused.get_data(as_text=True)
    lms.deployment_id = "dep-1"
    assert launch(tool_client(app), lms, sub="stu-b", **{LTI + "deployment_id": "dep-2"}).status_code == 401
    assert _launch_from(app, lms, "stu-a", "dep-1", "ctx-A", 1).status_code == 303
    # stu-b's next grading posts nothing (no launch through an accepted deployment)
    assert notify.on_submission_graded(world.session, graded_submission(world, "stu-b").id, regrade=False)[1] == []


def test_renaming_a_deployment_carries_its_course_mapping_and_links(app, api, world, lms, platform_id) -> None:  # type: ignore[no-untyped-def]
    assert api.post(f"{BASE}/lti-contexts", headers=world.auth("teacher"), json={
        "platform_id": platform_id, "deployment_id": "dep-1", "context_id": "ctx-A"}).status_code == 201
    assert _launch_from(app, lms, "stu-a", "dep-1", "ctx-A", 1).status_code == 303
    renamed = api.patch(f"{BASE}/lti-platforms/{platform_id}/deployments/{_pk(world, platform_id, 'dep-1')}",
                        json={"deployment_id": "dep-1-fixed"}, headers=world.auth("teacher"))
    assert renamed.status_code == 200 and renamed.get_json()["primary"] is True
    world.session.expire_all()
    assert world.session.get(LtiPlatform, platform_id).deployment_id == "dep-1-fixed"
    assert [c.deployment_id for c in world.session.query(LtiContext)] == ["dep-1-fixed"]
    assert [r.deployment_id for r in world.session.query(LtiResourceLink)] == ["dep-1-fixed"]
    assert _launch_from(app, lms, "stu-a", "dep-1-fixed", "ctx-A", 1).status_code == 303
    assert world.session.query(LtiResourceLink).count() == 1  # the same link, not a second one


def test_editing_the_platforms_deployment_id_renames_its_listed_deployment(api, world, platform_id) -> None:  # type: ignore[no-untyped-def]
    """The failure: the column changed, the list kept dep-1, launches from dep-1b were refused."""
    edited = api.patch(f"{BASE}/lti-platforms/{platform_id}", json={"deployment_id": "dep-1b"},
                       headers=world.auth("teacher"))
    assert edited.status_code == 200 and edited.get_json()["deployment_id"] == "dep-1b"
    assert _deps(api, world, platform_id) == ["dep-1b"]
    cleared = api.patch(f"{BASE}/lti-platforms/{platform_id}", json={"deployment_id": ""},
                        headers=world.auth("teacher"))
    assert cleared.status_code == 422 and "/deployments" in cleared.get_json()["error"]


def test_deleting_the_primary_deployment_makes_the_next_one_primary(api, world, platform_id) -> None:  # type: ignore[no-untyped-def]
    assert _add(api, world, platform_id, "dep-2").status_code == 201
    assert api.delete(f"{BASE}/lti-platforms/{platform_id}/deployments/{_pk(world, platform_id, 'dep-1')}",
                      headers=world.auth("teacher")).status_code == 200
    world.session.expire_all()
    assert world.session.get(LtiPlatform, platform_id).deployment_id == "dep-2"
    listed = api.get(f"{BASE}/lti-platforms/{platform_id}/deployments", headers=world.auth("teacher")).get_json()
    assert [(d["deployment_id"], d["primary"]) for d in listed["deployments"]] == [("dep-2", True)]


def _register(api, world, lms, course: str, who: str, client_id: str, deployment: str | None) -> int:  # type: ignore[no-untyped-def]
    body = {"issuer": lms.issuer, "client_id": client_id, "deployment_id": deployment,
            "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url}
    created = api.post(f"/api/v1/lms/courses/{course}/lti-platforms", json=body, headers=world.auth(who))
    assert created.status_code == 201, created.get_data(as_text=True)
    return int(created.get_json()["id"])


def _x_links_ctx1_under_d1(api, world, lms) -> int:  # type: ignore[no-untyped-def]
    """c1 registers the LMS (no deployment id) and links ctx-1 under D1 before anyone launched."""
    p_x = _register(api, world, lms, "c1", "teacher", lms.client_id, None)
    linked = api.post(f"{BASE}/lti-contexts", headers=world.auth("teacher"),
                      json={"platform_id": p_x, "deployment_id": "D1", "context_id": "ctx1"})
    assert linked.status_code == 201, linked.get_data(as_text=True)
    return int(linked.get_json()["id"])


def test_another_course_cannot_move_or_delete_a_mapping_linked_in_advance(api, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The failure: c2's registration of the same issuer listed D1, and renaming or deleting its D1
    moved or deleted c1's mapping of ctx1 (linked in advance, so with no platform yet). Linking
    under a deployment another course lists is refused now (test_lms_contexts.py), so the mapping
    is one stored before that check."""
    base_y = "/api/v1/lms/courses/c2/lti-platforms"
    p_y = _register(api, world, lms, "c2", "eve", "c2-client", "y-1")
    assert api.post(f"{base_y}/{p_y}/deployments", json={"deployment_id": "D1"},
                    headers=world.auth("eve")).status_code == 201
    _register(api, world, lms, "c1", "teacher", lms.client_id, None)
    row = LtiContext(issuer=lms.issuer, deployment_id="D1", context_id="ctx1",
                     course_id=world.version.assignment.course_id)
    world.session.add(row)
    world.session.commit()
    mapping = row.id
    d1 = _pk(world, p_y, "D1")
    renamed = api.patch(f"{base_y}/{p_y}/deployments/{d1}", json={"deployment_id": "D1b"}, headers=world.auth("eve"))
    assert renamed.status_code == 200
    world.session.expire_all()
    assert world.session.get(LtiContext, mapping).deployment_id == "D1"
    deleted = api.delete(f"{base_y}/{p_y}/deployments/{d1}", headers=world.auth("eve"))
    assert deleted.status_code == 200 and deleted.get_json()["contexts_removed"] == 0
    world.session.expire_all()
    kept = world.session.get(LtiContext, mapping)
    assert kept is not None and (kept.deployment_id, kept.course.key) == ("D1", "c1")


def test_a_deployment_under_which_another_course_has_mappings_is_refused(api, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The failure: c2 could list D1, under which c1 already maps ctx1, and then move or delete it."""
    mapping = _x_links_ctx1_under_d1(api, world, lms)
    base_y = "/api/v1/lms/courses/c2/lti-platforms"
    p_y = _register(api, world, lms, "c2", "eve", "c2-client", "y-1")
    refused = api.post(f"{base_y}/{p_y}/deployments", json={"deployment_id": "D1"}, headers=world.auth("eve"))
    assert refused.status_code == 409 and "another course" in refused.get_json()["error"]
    renamed = api.patch(f"{base_y}/{p_y}/deployments/{_pk(world, p_y, 'y-1')}", json={"deployment_id": "D1"},
                        headers=world.auth("eve"))
    assert renamed.status_code == 409 and "another course" in renamed.get_json()["error"]
    edited = api.patch(f"{base_y}/{p_y}", json={"deployment_id": "D1"}, headers=world.auth("eve"))
    assert edited.status_code == 409 and "another course" in edited.get_json()["error"]
    again = api.post(base_y, headers=world.auth("eve"), json={
        "issuer": lms.issuer, "client_id": "c3-client", "deployment_id": "D1", "auth_login_url": lms.auth_url,
        "token_url": lms.token_url, "jwks_url": lms.jwks_url})
    assert again.status_code == 409 and "another course" in again.get_json()["error"]
    assert _deps(api, world, _x_platform(world, lms)) == []
    world.session.expire_all()
    assert world.session.get(LtiContext, mapping).deployment_id == "D1"
    # c1 itself may still list D1 (its own mapping)
    assert _add(api, world, _x_platform(world, lms), "D1").status_code == 201


def _x_platform(world, lms) -> int:  # type: ignore[no-untyped-def]
    world.session.expire_all()
    return world.session.query(LtiPlatform).filter_by(client_id=lms.client_id).one().id
