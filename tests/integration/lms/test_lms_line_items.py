"""Issue 14, problem 1: a score goes to the line item of the link through which that student
launched. Before, the line item was kept per (platform, assignment) and the newest launch won:
after user B launched link 2, user A's score was posted to link 2's line item; a student whose
launch had no AGS claim had the score posted to another link's line item."""

from __future__ import annotations

import pytest
import requests

from lms_fixtures import AGS, SCORE_SCOPE, TOOL, add_platform, graded_submission, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiUserLink, ScorePost
from grader.lms_protocol.ags import TokenCache
from grader.lms_protocol.webhooks import Outcome
from grader.services.lms import notify, outbox
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    app = create_app(settings, session_factory=db_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    return tool_client(app)


def _ags(lms, n: int) -> dict:  # type: ignore[no-untyped-def]
    return {AGS: {"lineitem": lms.lineitem(n), "scope": [SCORE_SCOPE]}}


def _user_of(world, sub: str):  # type: ignore[no-untyped-def]
    return world.session.query(LtiUserLink).filter_by(sub=sub).one().user


def _graded_post_of(world, sub: str) -> list[ScorePost]:  # type: ignore[no-untyped-def]
    user = _user_of(world, sub)
    world.users[sub] = user
    graded = graded_submission(world, sub)
    _, posts = notify.on_submission_graded(world.session, graded.id, regrade=False)
    world.session.commit()
    return [world.session.get(ScorePost, p) for p in posts]


def test_a_score_goes_to_the_line_item_of_the_link_the_student_launched(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="user-a", **{LTI + "resource_link": {"id": "link-1"}}, **_ags(lms, 1)).status_code == 303
    assert launch(client, lms, sub="user-b", **{LTI + "resource_link": {"id": "link-2"}}, **_ags(lms, 2)).status_code == 303
    (post_a,) = _graded_post_of(world, "user-a")
    (post_b,) = _graded_post_of(world, "user-b")
    assert post_a.lineitem_url == lms.lineitem(1) and post_a.payload["userId"] == "user-a"
    assert post_b.lineitem_url == lms.lineitem(2) and post_b.payload["userId"] == "user-b"
    lms.tool_jwks = public_jwks(world.session)
    cache = TokenCache()
    for post in (post_a, post_b):
        assert outbox.post_score(world.session, post.id, http=requests.Session(), cache=cache,
                                 schedule=(0,) * 7)[0] is Outcome.DELIVERED
        world.session.commit()
    got = {(s.path, s.json()["userId"]) for s in lms.of("score")}
    assert got == {("/lineitems/1/lineitem/scores", "user-a"), ("/lineitems/2/lineitem/scores", "user-b")}
    print("\nLINE ITEMS per link:", sorted(got))


def test_a_launch_without_an_ags_claim_gets_no_passback(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="user-b", **{LTI + "resource_link": {"id": "link-2"}}, **_ags(lms, 2)).status_code == 303
    assert launch(client, lms, sub="user-c", **{LTI + "resource_link": {"id": "link-3"}}).status_code == 303
    assert _graded_post_of(world, "user-c") == []


def test_a_student_who_launches_another_link_later_is_graded_there(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, sub="user-a", **{LTI + "resource_link": {"id": "link-1"}}, **_ags(lms, 1)).status_code == 303
    assert launch(client, lms, sub="user-a", **{LTI + "resource_link": {"id": "link-2"}}, **_ags(lms, 2)).status_code == 303
    (post,) = _graded_post_of(world, "user-a")
    assert post.lineitem_url == lms.lineitem(2)


def test_the_instructor_sees_why_a_student_gets_no_passback(settings, db_factory, queue, world, lms) -> None:  # type: ignore[no-untyped-def]
    from grader.app import SESSION_USER_KEY, create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    app = create_app(settings, session_factory=db_factory, queue=queue)  # pages included
    student = tool_client(app)
    assert launch(student, lms, sub="user-a", **{LTI + "resource_link": {"id": "link-1"}}, **_ags(lms, 1)).status_code == 303
    assert launch(student, lms, sub="user-c", **{LTI + "resource_link": {"id": "link-3"}}).status_code == 303
    teacher = tool_client(app)
    with teacher.session_transaction(base_url=TOOL) as cookie:
        cookie[SESSION_USER_KEY] = world.users["teacher"].id
        cookie["epoch"] = world.users["teacher"].session_epoch or 0  # as login_user writes it
    page = teacher.get("/instructor/assignments/hw1/lms")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    html = page.get_data(as_text=True)
    assert lms.lineitem(1) in html and "carried no AGS line item" in html and "never opened from the LMS" in html
    assert 'id="delivery-log"' in html  # the webhook delivery log is on the same page
    rows = {r["resource_link"]: r for r in teacher.get("/api/v1/lms/assignments/hw1/passback").get_json()["students"]}
    assert rows["link-1"]["lineitem_url"] == lms.lineitem(1) and rows["link-3"]["lineitem_url"] is None
    assert "/instructor/assignments/hw1/lms" in teacher.get("/instructor/assignments/hw1").get_data(as_text=True)
    assert student.get("/api/v1/lms/assignments/hw1/passback").status_code == 403
