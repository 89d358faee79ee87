"""The worker's database work per submission stays small (issue 13): the claim loads what grading
needs, the save tells whether the course has an LMS, and a course without one is not asked more.

Before: 22 statements per graded submission on SQLite (the earlier-submission check, the claim, the
submission, its version and assignment, the attached feedback, the save, the hand grades of
this and of earlier submissions, the flip, the ORM insert, the LMS hook's five reads, the next
in line); now 7 (the next in line asked after the commit). These tests count them."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from sqlalchemy import event

from grader.config import Settings
from grader.db.models import Submission
from grader.db.models.lms import LtiContext, LtiPlatform, WebhookDelivery, WebhookEndpoint
from grader.services.verdict_cache import MemoryCache
from tests.support.fakes import FakeQueue
from tests.unit.services.test_grading import _results, _setup, factory, grade, settings, template  # noqa: F401


class Statements:
    """Every SQL statement the engine runs while recording (BEGIN, COMMIT and the like included)."""

    def __init__(self, engine: Any) -> None:
        self.sql: list[str] = []
        self.recording = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.recording:
            self.sql.append(statement.split(None, 1)[0].upper())


@pytest.fixture
def statements(factory: Any) -> Iterator[Statements]:  # noqa: F811
    yield Statements(factory.kw["bind"])


def _endpoint(factory: Any, sid: int, *, active: bool) -> None:  # noqa: F811
    with factory() as s:
        course_id = s.get(Submission, sid).assignment_version.assignment.course_id
        s.add(WebhookEndpoint(course_id=course_id, url="https://hooks.test/h", secret="s" * 32, events=[],
                              active=active))
        s.commit()


def test_a_submission_is_claimed_graded_and_saved_in_a_handful_of_statements(
        factory: Any, settings: Settings, statements: Statements) -> None:  # noqa: F811
    first, sid = _setup(factory, {"q1": "right"}, {"q1": "right", "q2": "wrong"})[0], None
    assert grade(factory, first, settings=settings, cache=MemoryCache())  # reads the version's text once
    with factory() as s:
        sid = _setup_more(s, first)
    statements.recording = True
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    statements.recording = False
    # claim, version + feedback; graded (+ LMS?), hand grades, flip, insert; after the commit, the
    # student's next in line (test_grading_next_in_line.py: asked inside the save, it missed one)
    assert statements.sql.count("UPDATE") == 3 and statements.sql.count("INSERT") == 1, statements.sql
    assert statements.sql.count("SELECT") == 3, statements.sql
    assert {q: r.verdict for q, r in _results(factory, sid).items()} == {"q1": "correct", "q2": "incorrect"}


def _setup_more(s: Any, like: int) -> int:
    """Another student's submission to the same version."""
    from grader.db.models import User

    other = s.get(Submission, like)
    user = User(email="t@example.com")
    sub = Submission(user=user, assignment_version_id=other.assignment_version_id, answers={"q1": "right",
                                                                                             "q2": "wrong"})
    s.add_all([user, sub])
    s.commit()
    return sub.id


@pytest.mark.parametrize("active", [True, False])
def test_the_lms_hook_runs_only_for_a_course_with_an_active_endpoint_or_a_platform(
        factory: Any, settings: Settings, active: bool) -> None:  # noqa: F811
    (sid,) = _setup(factory, {"q1": "right"})
    _endpoint(factory, sid, active=active)
    queue = FakeQueue()
    assert grade(factory, sid, settings=settings, cache=MemoryCache(), queue=queue)
    with factory() as s:
        deliveries = s.query(WebhookDelivery).filter_by(submission_id=sid).count()
    assert (deliveries, len(queue.lms_deliveries)) == ((1, 1) if active else (0, 0))


def test_the_lms_hook_runs_for_a_course_made_from_an_lms_context(
        factory: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A course made by an instructor's first launch from an LMS context has no registration of its own,
    only the mapped context: the save's 'has an LMS' check looked at registrations and endpoints only,
    so its students' scores were never posted (caught by tests/tools/lti_roundtrip_demo.py)."""
    from grader.services.lms import notify

    (sid,) = _setup(factory, {"q1": "right"})
    with factory() as s:
        course_id = s.get(Submission, sid).assignment_version.assignment.course_id
        from grader.db.models import Course

        other = Course(key="registrar", title="The registration's course")
        s.add(other)
        s.flush()
        platform = LtiPlatform(course_id=other.id, issuer="https://lms.test", client_id="c",
                               auth_login_url="https://lms.test/auth", token_url="https://lms.test/token")
        s.add(platform)
        s.flush()
        s.add(LtiContext(issuer=platform.issuer, deployment_id="d", context_id="ctx-2", course_id=course_id,
                         platform_id=platform.id))
        s.commit()
    hooked: list[int] = []
    monkeypatch.setattr(notify, "on_submission_graded",
                        lambda session, submission_id, **kw: (hooked.append(submission_id), ([], []))[1])
    assert grade(factory, sid, settings=settings, cache=MemoryCache(), queue=FakeQueue())
    assert hooked == [sid]


def test_a_new_version_is_graded_against_its_own_text(factory: Any, settings: Settings) -> None:  # noqa: F811
    """The version's text is read once per content hash: a second version (another hash) is read."""
    from grader.db.models import AssignmentVersion
    from grader.services import grading

    seen: list[tuple[str, str]] = []
    hooks = grading.GradingHooks(
        assignment_for=lambda inp: seen.append((inp.content_hash, inp.source_text)) or _fake(),
        question_grader=_fake_grader())
    (first,) = _setup(factory, {"q1": "right"})
    with factory() as s:
        old = s.get(Submission, first)
        version = AssignmentVersion(assignment_id=old.assignment_version.assignment_id, content_hash="h2",
                                    definition=old.assignment_version.definition, source_text="version two",
                                    is_current=True)
        s.add(version)
        s.flush()
        later = Submission(user_id=old.user_id, assignment_version_id=version.id, answers={"q1": "right"})
        s.add(later)
        s.commit()
        second = later.id
    assert grading.grade_submission_by_id(factory, first, settings=settings, cache=MemoryCache(), hooks=hooks)
    assert grading.grade_submission_by_id(factory, second, settings=settings, cache=MemoryCache(), hooks=hooks)
    assert seen == [("h1", ""), ("h2", "version two")]


def _fake() -> Any:
    from tests.unit.services.test_grading import FakeAssignment

    return FakeAssignment()


def _fake_grader() -> Any:
    from tests.unit.services.test_grading import fake_grade_one

    return fake_grade_one
