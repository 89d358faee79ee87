"""Issue 14, problem 2 (the pages): linking an LMS course to an existing course was API-only; the
first instructor launch from an unmapped LMS course always made a new course. Now an instructor who
teaches grader courses chooses on a page: a new course, or one of theirs. A student of the LMS course
gets an explanation until then, never an account in some course.

Review (login CSRF): the page's signed form could be replayed for 10 minutes from any browser
without a session. It now carries a one-time token spent by the choice."""

from __future__ import annotations

import re

import pytest

from lms_fixtures import TOOL, add_platform, checked, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models import Course, Enrollment
from grader.db.models.lms import LtiContext, LtiUserLink

pytestmark = pytest.mark.integration
INSTRUCTOR = {LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}


@pytest.fixture
def app(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    """c1 registered the stand-in and linked its LMS course ctx-1; pages included."""
    from grader.app import create_app

    platform = add_platform(world, lms, lineitem=False, link_users=())
    world.session.add(LtiContext(issuer=lms.issuer, deployment_id=lms.deployment_id, context_id="ctx-1",
                                 course_id=world.version.assignment.course_id, title="Calculus 2025",
                                 platform_id=platform.id))
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    return create_app(settings, session_factory=db_factory, queue=queue)


def _context(cid: str, title: str) -> dict:  # type: ignore[type-arg]
    return {LTI + "context": {"id": cid, "label": cid.upper(), "title": title}}


def _courses_of(world, sub: str) -> set[str]:  # type: ignore[no-untyped-def]
    link = world.session.query(LtiUserLink).filter_by(sub=sub).one_or_none()
    if link is None:
        return set()
    return {e.course.key for e in world.session.query(Enrollment).filter_by(user_id=link.user_id)}


def _mapped(world, cid: str) -> str | None:  # type: ignore[no-untyped-def]
    row = world.session.query(LtiContext).filter_by(context_id=cid).one_or_none()
    return None if row is None else row.course.key


def _token(html: str) -> str:
    found = re.search(r'name="launch" value="([^"]+)"', html)
    assert found, html[:800]
    return found.group(1)


def _choice_page(app, lms, sub: str = "prof", **claims):  # type: ignore[no-untyped-def]
    """An instructor who teaches c1 (launched from ctx-1 before) opens the tool from ctx-2."""
    teacher = tool_client(app)
    assert checked(teacher, launch(teacher, lms, sub=sub, **INSTRUCTOR, **_context("ctx-1", "Calculus 2025"))).status_code == 303
    page = launch(teacher, lms, sub=sub, **INSTRUCTOR, **_context("ctx-2", "Calculus 2026"), **claims)
    return teacher, page


def test_an_instructor_who_teaches_a_course_is_asked_and_links_the_new_lms_course_to_it(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    teacher, page = _choice_page(app, lms)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Create a new course for “Calculus 2026”" in html
    assert "Course 1" in html and "Course 2" not in html  # only the courses this user teaches
    assert _mapped(world, "ctx-2") is None  # nothing decided before the choice
    # a student of the LMS course meanwhile: the explanation, no account anywhere
    waiting = launch(tool_client(app), lms, sub="stu-1", **_context("ctx-2", "Calculus 2026"))
    assert waiting.status_code == 409 and "instructor must open the tool once" in waiting.get_data(as_text=True)
    assert _courses_of(world, "stu-1") == set()
    c1 = str(world.version.assignment.course_id)
    chosen = checked(teacher, teacher.post("/lti/context-choice", data={"launch": _token(html), "course": c1}))
    # where the launch would have gone: the assignment's dashboard
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/instructor/assignments/hw1"
    assert _mapped(world, "ctx-2") == "c1"
    assert teacher.get(chosen.headers["Location"]).status_code == 200
    student = tool_client(app)
    landed = checked(student, launch(student, lms, sub="stu-1", **_context("ctx-2", "Calculus 2026")))
    assert landed.headers["Location"] == "/assignments/hw1" and _courses_of(world, "stu-1") == {"c1"}


def test_the_instructor_can_create_a_new_course_instead(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    teacher, page = _choice_page(app, lms)
    chosen = checked(teacher, teacher.post("/lti/context-choice",
                                           data={"launch": _token(page.get_data(as_text=True)), "course": "new"}))
    assert chosen.status_code == 303 and chosen.headers["Location"].startswith("/lti/course/lti-")
    key = _mapped(world, "ctx-2")
    assert key and key.startswith("lti-") and world.session.query(Course).filter_by(key=key).one().title == "Calculus 2026"
    assert _courses_of(world, "prof") == {"c1", key}
    # sent again (a double click): the first choice stands, no second course
    again = teacher.post("/lti/context-choice", data={"launch": _token(page.get_data(as_text=True)),
                                                       "course": str(world.version.assignment.course_id)})
    assert checked(teacher, again).headers["Location"] == chosen.headers["Location"] and _mapped(world, "ctx-2") == key


def test_an_instructor_who_teaches_nothing_yet_gets_a_new_course_without_a_question(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    client = tool_client(app)
    page = checked(client, launch(client, lms, sub="new-prof", **INSTRUCTOR, **_context("ctx-3", "Statistics")))
    assert page.status_code == 303 and page.headers["Location"].startswith("/lti/course/lti-")
    assert _mapped(world, "ctx-3").startswith("lti-")


def test_a_course_the_user_does_not_teach_cannot_be_chosen(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    teacher, page = _choice_page(app, lms)
    c2 = world.session.query(Course).filter_by(key="c2").one()
    refused = teacher.post("/lti/context-choice", data={"launch": _token(page.get_data(as_text=True)), "course": str(c2.id)})
    assert refused.status_code == 403 and "only to a course you teach" in refused.get_data(as_text=True)
    assert _mapped(world, "ctx-2") is None and "c2" not in _courses_of(world, "prof")


def test_a_choice_without_the_signed_launch_or_from_another_login_is_refused(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    from grader.app import SESSION_USER_KEY

    teacher, page = _choice_page(app, lms)
    token = _token(page.get_data(as_text=True))
    for forged in ("", token[:-4] + "AAAA"):
        answer = teacher.post("/lti/context-choice", data={"launch": forged, "course": "new"})
        assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    other = tool_client(app)
    with other.session_transaction(base_url=TOOL) as cookie:
        cookie[SESSION_USER_KEY] = world.users["eve"].id
        cookie["epoch"] = world.users["eve"].session_epoch or 0
    assert other.post("/lti/context-choice", data={"launch": token, "course": "new"}).status_code == 403
    assert _mapped(world, "ctx-2") is None


def test_the_choice_form_replayed_after_use_is_refused(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The failure: a copy of the form, posted again from a browser without a session (another
    person's, given the form), was accepted and went on as the instructor's launch."""
    teacher, page = _choice_page(app, lms)
    token = _token(page.get_data(as_text=True))
    assert teacher.post("/lti/context-choice", data={"launch": token, "course": "new"}).status_code == 303
    key = _mapped(world, "ctx-2")
    replayed = tool_client(app).post("/lti/context-choice", data={"launch": token, "course": "new"})
    text = replayed.get_data(as_text=True)
    assert replayed.status_code == 410 and "already made" in text and "/lti/launch/check" not in text
    assert replayed.headers.get("Location") is None and "session=" not in replayed.headers.get("Set-Cookie", "")
    assert _mapped(world, "ctx-2") == key


def test_a_choice_form_without_its_one_time_token_is_refused(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """A form signed before the one-time token (or otherwise without one) cannot be used."""
    from grader.web.lti_context_choice import _signer

    teacher, page = _choice_page(app, lms)
    with app.test_request_context():
        launch_data = _signer().loads(_token(page.get_data(as_text=True)))
        launch_data.pop("once")
        bare = _signer().dumps(launch_data)
    answer = teacher.post("/lti/context-choice", data={"launch": bare, "course": "new"})
    assert answer.status_code == 404 and "expired" in answer.get_data(as_text=True)
    assert _mapped(world, "ctx-2") is None


def test_a_deep_linking_launch_goes_on_to_the_picker_after_the_choice(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    teacher, page = _choice_page(app, lms, **lms.deep_linking_claims())
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    chosen = teacher.post("/lti/context-choice", data={"launch": _token(page.get_data(as_text=True)),
                                                       "course": str(world.version.assignment.course_id)})
    html = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and "Add a grader assignment" in html and "hw1" in html
