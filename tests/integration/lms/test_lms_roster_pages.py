"""Issue 14, problem 7 (the pages): the course roster (Names and Role Provisioning) could only be
fetched with ``curl``. Now the dashboard has a "Sync roster from the LMS" button that says how many
members came, when, or why none (the platform refused, or its launches offered no roster); the
course's LMS page lists the connected LMS courses (unlink); beat syncs every roster on a schedule."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lms_fixtures import AGS, NRPS, ROSTER, SCORE_SCOPE, TOOL, graded_submission, launch, linked_to_ctx1, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiContext, LtiMember, LtiUserLink
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration
CSRF = "a-csrf-token-of-this-test-session-0123456789"


@pytest.fixture
def app(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    """c1 linked to the stand-in's LMS course ctx-1 ("Calculus"), whose launches offer NRPS."""
    from grader.app import create_app

    linked_to_ctx1(world, lms)
    lms.launch_claims = {
        LTI + "custom": {"assignment": "hw1"}, LTI + "context": {"id": "ctx-1", "title": "Calculus"},
        NRPS: {"context_memberships_url": lms.url + "/memberships", "service_versions": ["2.0"]},
        AGS: {"lineitem": lms.lineitem(1), "scope": [SCORE_SCOPE]}}
    lms.members = [dict(m) for m in ROSTER]
    return create_app(settings, session_factory=db_factory, queue=queue)  # pages included


def _teacher(app, world) -> Any:  # type: ignore[no-untyped-def]
    from grader.app import SESSION_USER_KEY

    client = tool_client(app)
    with client.session_transaction(base_url=TOOL) as cookie:
        cookie[SESSION_USER_KEY] = world.users["teacher"].id
        cookie["epoch"] = world.users["teacher"].session_epoch or 0
        cookie["csrf_token"] = CSRF
    return client


def _submitted(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    """stu-1 opened hw1 from the LMS (so its roster URL is known) and submitted."""
    assert launch(tool_client(app), lms, sub="stu-1").status_code == 303
    world.users["stu-1"] = world.session.query(LtiUserLink).filter_by(sub="stu-1").one().user
    graded_submission(world, "stu-1")
    world.session.commit()
    lms.tool_jwks = public_jwks(world.session)


def _sync(teacher, **form: str) -> Any:  # type: ignore[no-untyped-def]
    return teacher.post("/instructor/courses/c1/lms/roster-sync", data={"csrf_token": CSRF, **form})


def _section(html: str) -> str:
    found = re.search(r'<section id="lms-roster".*?</section>', html, re.S)
    assert found, "no LMS roster section on the dashboard"
    return found.group(0)


def test_the_dashboard_button_syncs_the_roster_and_shows_who_has_not_submitted(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    _submitted(app, lms, world)
    teacher = _teacher(app, world)
    before = _section(teacher.get("/instructor/assignments/hw1").get_data(as_text=True))
    assert "Sync roster from the LMS" in before and "never" in before and "every 24 hours" in before
    answer = _sync(teacher, assignment="hw1")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        "/instructor/assignments/hw1?at=lms-roster#lms-roster")
    after = _section(teacher.get(answer.headers["Location"]).get_data(as_text=True))
    assert "Synced 4 member(s) from 1 LMS course(s)." in after
    assert "Bo Never" in after and "Ada Submitted" not in after and "Cy Dropped" not in after
    assert re.search(r"<time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>", after)
    assert [r.path for r in lms.of("memberships")] == ["/memberships", "/memberships"]  # both pages fetched


def test_a_student_listed_by_two_lms_courses_of_the_course_is_named_once(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """Found in the browser test: two LMS courses (last year's and this year's) linked to one grader
    course listed a student who had not submitted twice."""
    _submitted(app, lms, world)
    first = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    world.session.add(LtiContext(issuer=first.issuer, deployment_id=first.deployment_id, context_id="ctx-2",
                                 course_id=first.course_id, title="Calculus 2", platform_id=first.platform_id,
                                 memberships_url=first.memberships_url))
    world.session.commit()
    teacher = _teacher(app, world)
    html = _section(teacher.get(_sync(teacher, assignment="hw1").headers["Location"]).get_data(as_text=True))
    assert "Synced 8 member(s) from 2 LMS course(s)." in html
    assert html.count("<li>Bo Never</li>") == 1


def test_a_platform_that_refuses_the_roster_is_reported_on_the_page(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    _submitted(app, lms, world)
    lms.granted_scopes = {SCORE_SCOPE}  # this platform grants no NRPS token
    teacher = _teacher(app, world)
    html = _section(teacher.get(_sync(teacher, assignment="hw1").headers["Location"]).get_data(as_text=True))
    assert 'class="flash error" role="alert">The LMS refused the roster of Calculus' in html
    assert world.session.query(LtiMember).count() == 0


def test_an_lms_answering_its_login_page_is_reported_on_the_page_not_a_500(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The failure: the button answered 500 (a 200 with HTML instead of the roster's JSON)."""
    _submitted(app, lms, world)
    lms.fail("memberships", 1, "html")
    teacher = _teacher(app, world)
    answer = _sync(teacher, assignment="hw1")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    html = _section(teacher.get(answer.headers["Location"]).get_data(as_text=True))
    assert 'class="flash error" role="alert">The LMS refused the roster of Calculus: ' in html
    assert "answered text/html, not JSON" in html
    assert world.session.query(LtiMember).count() == 0


def test_a_launch_without_the_nrps_claim_gives_a_clear_message(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    del lms.launch_claims[NRPS]
    _submitted(app, lms, world)
    teacher = _teacher(app, world)
    answer = _sync(teacher)
    assert answer.headers["Location"].endswith("/instructor/courses/c1/lms")
    html = teacher.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Calculus: the LMS did not offer the course roster in its launches (no Names and Role Provisioning claim)" in html
    assert "not offered by the LMS" in html and lms.of("memberships") == []


def test_the_button_needs_the_pages_csrf_token_and_a_teacher_of_the_course(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    _submitted(app, lms, world)
    teacher = _teacher(app, world)
    assert teacher.post("/instructor/courses/c1/lms/roster-sync", data={}).status_code == 400
    assert lms.of("memberships") == []


def test_the_course_page_lists_the_connected_lms_courses_and_unlinks_one(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    _submitted(app, lms, world)
    teacher = _teacher(app, world)
    assert 'id="lms-course-link"' in teacher.get("/instructor/assignments/hw1").get_data(as_text=True)
    page = teacher.get("/instructor/courses/c1/lms").get_data(as_text=True)
    context = world.session.query(LtiContext).filter_by(context_id="ctx-1").one()
    assert "Calculus" in page and f"/instructor/courses/c1/lms/contexts/{context.id}/unlink" in page
    answer = teacher.post(f"/instructor/courses/c1/lms/contexts/{context.id}/unlink", data={"csrf_token": CSRF})
    assert answer.status_code == 302
    assert "no longer connected" in teacher.get(answer.headers["Location"]).get_data(as_text=True)
    assert world.session.query(LtiContext).filter_by(context_id="ctx-1").count() == 0
    # its students now get the explanation until an instructor launches from it again
    assert launch(tool_client(app), lms, sub="stu-2").status_code == 409


def test_the_scheduled_task_syncs_every_course_with_a_roster(settings, db_factory, app, world, lms,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from grader import bootstrap
    from worker import lms_tasks

    _submitted(app, lms, world)
    monkeypatch.setattr(bootstrap, "_current", bootstrap.Wiring(settings, session_factory_override=db_factory))
    assert lms_tasks.sync_rosters() == 4
    world.session.expire_all()
    assert sorted(m.name for m in world.session.query(LtiMember)) == ["Ada Submitted", "Bo Never", "Cy Dropped", "Prof"]
    lms.granted_scopes = {SCORE_SCOPE}  # the platform revokes the roster: logged, the stored roster is kept
    with lms._lock:
        lms.tokens.clear()
    assert lms_tasks.sync_rosters() == 0
    world.session.expire_all()
    assert world.session.query(LtiMember).count() == 4
