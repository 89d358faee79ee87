"""Beat's roster sync task, against the project's LMS stand-in (a real HTTP platform on loopback):
it fetches the roster of every course whose launches offered one (Names and Role Provisioning),
each course on its own, and skips a course whose LMS offered none."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lms_standin import LmsStandIn  # noqa: E402

from grader.config import Settings  # noqa: E402
from grader.db.models import Course  # noqa: E402
from grader.db.models.lms import LtiContext, LtiMember, LtiPlatform  # noqa: E402

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


@pytest.fixture
def lms() -> Iterator[LmsStandIn]:
    with LmsStandIn() as standin:
        standin.members = [{"user_id": f"stu-{i}", "name": f"Student {i}", "roles": [M + "Learner"],
                            "status": "Active"} for i in range(3)]
        yield standin


def _course(session: Any, lms: LmsStandIn, key: str, *, nrps: bool) -> int:
    course = Course(key=key, title=key.upper())
    session.add(course)
    session.flush()
    platform = LtiPlatform(course_id=course.id, issuer=lms.issuer + "/" + key, client_id=lms.client_id,
                           deployment_id=lms.deployment_id, auth_login_url=lms.auth_url, token_url=lms.token_url,
                           jwks_url=lms.jwks_url)
    session.add(platform)
    session.flush()
    session.add(LtiContext(issuer=platform.issuer, deployment_id=lms.deployment_id, context_id="ctx-" + key,
                           course_id=course.id, title=key, platform_id=platform.id,
                           memberships_url=lms.url + "/memberships" if nrps else None))
    session.flush()
    return course.id


def test_the_task_syncs_each_course_that_offers_a_roster(factory: Any, lms: LmsStandIn,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from grader import bootstrap
    from grader.services.lms.tool_keys import public_jwks
    from worker import lms_tasks

    with factory() as session:
        with_roster = [_course(session, lms, "a", nrps=True), _course(session, lms, "b", nrps=True)]
        without = _course(session, lms, "c", nrps=False)
        session.commit()
        lms.tool_jwks = public_jwks(session)
        session.commit()
    settings = Settings.from_env({"SECRET_KEY": "k", "DATABASE_URL": "sqlite://"}, webhook_allowed_hosts=("127.0.0.1",))
    monkeypatch.setattr(bootstrap, "_current", bootstrap.Wiring(settings, session_factory_override=factory))
    assert lms_tasks.sync_rosters() == 6
    assert len(lms.of("memberships")) == 4  # two pages for each of the two courses
    with factory() as session:
        per_course = {cid: session.query(LtiMember).join(LtiContext, LtiMember.context_pk == LtiContext.id)
                      .filter(LtiContext.course_id == cid).count() for cid in [*with_roster, without]}
    assert per_course == {with_roster[0]: 3, with_roster[1]: 3, without: 0}


def _wired_two_courses(factory: Any, lms: LmsStandIn, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Courses a and b (in that order) whose launches offered a roster; beat's wiring on ``factory``."""
    from grader import bootstrap
    from grader.services.lms.tool_keys import public_jwks

    with factory() as session:
        ids = [_course(session, lms, "a", nrps=True), _course(session, lms, "b", nrps=True)]
        session.commit()
        lms.tool_jwks = public_jwks(session)
        session.commit()
    settings = Settings.from_env({"SECRET_KEY": "k", "DATABASE_URL": "sqlite://"}, webhook_allowed_hosts=("127.0.0.1",))
    monkeypatch.setattr(bootstrap, "_current", bootstrap.Wiring(settings, session_factory_override=factory))
    return ids


def _stored(factory: Any, course_id: int) -> int:
    with factory() as session:
        return session.query(LtiMember).join(LtiContext, LtiMember.context_pk == LtiContext.id).filter(
            LtiContext.course_id == course_id).count()


def test_an_lms_answering_html_for_one_roster_does_not_stop_the_next_course(
        factory: Any, lms: LmsStandIn, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The failure: course a's LMS answered its login page (a 200, not JSON): ValueError ended the
    task, and course b was never synced."""
    from worker import lms_tasks

    a, b = _wired_two_courses(factory, lms, monkeypatch)
    lms.fail("memberships", 1, "html")
    with caplog.at_level("WARNING", logger="worker.lms_tasks"):
        assert lms_tasks.sync_rosters() == 3
    assert (_stored(factory, a), _stored(factory, b)) == (0, 3)
    assert any("answered text/html, not JSON" in r.getMessage() for r in caplog.records)


def test_any_failure_of_one_course_is_logged_and_the_others_are_synced(
        factory: Any, lms: LmsStandIn, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from grader.services.lms import roster
    from worker import lms_tasks

    a, b = _wired_two_courses(factory, lms, monkeypatch)
    real = roster.sync_course_roster

    def broken_for_a(session: Any, http: Any, course_id: int) -> Any:
        if course_id == a:
            raise RuntimeError("a bug in course a's sync")
        return real(session, http, course_id)

    monkeypatch.setattr(roster, "sync_course_roster", broken_for_a)
    with caplog.at_level("ERROR", logger="worker.lms_tasks"):
        assert lms_tasks.sync_rosters() == 3
    assert (_stored(factory, a), _stored(factory, b)) == (0, 3)
    assert any(f"course {a}" in r.getMessage() and r.exc_info for r in caplog.records)
