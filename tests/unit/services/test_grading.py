"""The grading service on a migrated SQLite file, with a fake assignment grader (no engine)."""

from __future__ import annotations

import dataclasses
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from grader.config import Settings
from grader.services.hand_grades import carried_grade
from grader.db import make_engine, make_session_factory
from grader.db.models import (
    Assignment, AssignmentVersion, Course, GradingResult, RegradeJob, Submission, User,
)
from grader.services import grading
from grader.services.verdict_cache import MemoryCache


@dataclass(frozen=True)
class FakeQuestion:
    id: str
    points: float


@dataclass(frozen=True)
class FakeAssignment:
    questions: tuple[FakeQuestion, ...] = (FakeQuestion("q1", 2), FakeQuestion("q2", 1))


DEFINITION = {"questions": [{"id": "q1", "points": 2}, {"id": "q2", "points": 1}]}


def slow_on_marker(answer: Any) -> None:
    """A grading hook: an answer with ``__slow__`` never finishes ("stuck" ones ignore the soft limit)."""
    if isinstance(answer, str) and "__slow__" in answer:
        if "stuck" in answer:
            import signal

            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)




def fake_grade_one(assignment: Any, answers: dict[str, Any], seed: int,
                   before_answer: Callable[[Any], None]) -> Callable[[str], dict[str, Any]]:
    def grade(qid: str) -> dict[str, Any]:
        answer = answers.get(qid)
        before_answer(answer)
        ok = answer == "right"
        points = {"q1": 2, "q2": 1}[qid]
        return {"verdict": "correct" if ok else "incorrect", "points": points if ok else 0,
                "max_points": points, "feedback": f"graded {answer}", "method": "fake"}
    return grade


# The grading service's seams: a fake assignment and question grader instead of the engine.
FAKE = grading.GradingHooks(assignment_for=lambda _inp: FakeAssignment(), question_grader=fake_grade_one)
SLOW = grading.GradingHooks(assignment_for=lambda _inp: FakeAssignment(), question_grader=fake_grade_one,
                            before_answer=slow_on_marker)


def grade(*args: Any, **kwargs: Any) -> bool:
    kwargs.setdefault("hooks", FAKE)
    return grading.grade_submission_by_id(*args, **kwargs)


def regrade(*args: Any, **kwargs: Any) -> bool:
    kwargs.setdefault("hooks", FAKE)
    return grading.regrade_submission_by_id(*args, **kwargs)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from grader.services.provisioning import migrate

    path = tmp_path_factory.mktemp("grading") / "grader.sqlite"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def factory(template: Path, tmp_path: Path) -> Iterator[Any]:
    path = tmp_path / "grader.sqlite"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, database_url=f"sqlite:///{tmp_path}/grader.sqlite", secret_key="k",
                             grading_lease_s=60, answer_soft_time_s=0.3, answer_hard_time_s=1.0)


def _setup(factory: Any, *answers: dict[str, Any]) -> list[int]:
    with factory() as s:
        course = Course(key="c", title="C")
        assignment = Assignment(key="hw", title="HW", course=course)
        version = AssignmentVersion(assignment=assignment, content_hash="h1", definition=DEFINITION,
                                    source_text="", is_current=True)
        user = User(email="s@example.com")
        subs = [Submission(user=user, assignment_version=version, answers=a) for a in answers]
        s.add_all([course, assignment, version, user, *subs])
        s.commit()
        return [x.id for x in subs]


def _results(factory: Any, sid: int, *, current: bool = True) -> dict[str, GradingResult]:
    with factory() as s:
        rows = s.query(GradingResult).filter_by(submission_id=sid).all()
        return {r.question_id: r for r in rows if r.is_current or not current}


def test_a_queued_submission_is_graded_once(factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "right", "q2": "wrong"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    assert not grade(factory, sid, settings=settings, cache=MemoryCache())
    res = _results(factory, sid)
    assert (res["q1"].verdict, res["q1"].points, res["q2"].verdict) == ("correct", 2, "incorrect")
    with factory() as s:
        sub = s.get(Submission, sid)
        assert (sub.status, sub.grading_attempts, sub.lease_expires_at) == ("graded", 1, None)
        assert s.query(GradingResult).count() == 2


def test_an_abandoned_claim_is_taken_over_and_the_old_claimant_loses(factory: Any, settings: Settings) -> None:
    from grader.db.queries import grading as q

    (sid,) = _setup(factory, {"q1": "right"})
    t0 = datetime.now(timezone.utc)
    with factory() as s:
        first = q.claim(s, sid, now=t0, lease_s=60)
        s.commit()
    assert first == 1
    assert not grade(factory, sid, now=t0 + timedelta(seconds=30), settings=settings)
    assert grade(factory, sid, now=t0 + timedelta(seconds=61), settings=settings,
                                          cache=MemoryCache())
    with factory() as s:  # the first worker finishes late: its results are dropped
        assert not q.save_graded(s, sid, 1, [], fence=first, grader_version="x", now=t0, carry=carried_grade)


def test_the_sweeper_finds_old_queued_and_expired_grading_once_per_lease(factory: Any, settings: Settings) -> None:
    from grader.db.queries import grading as q

    a, b, c = _setup(factory, {}, {}, {})
    now = datetime.now(timezone.utc)
    with factory() as s:
        q.claim(s, b, now=now, lease_s=60)
        s.commit()
    assert grading.sweep_stuck(factory, now=now + timedelta(seconds=1), settings=settings) == []
    later = now + timedelta(seconds=61)
    assert grading.sweep_stuck(factory, now=later, settings=settings) == [a, b, c]
    assert grading.sweep_stuck(factory, now=later + timedelta(seconds=5), settings=settings) == []
    with factory() as s:
        assert s.get(Submission, b).status == "queued"
    assert grade(factory, b, settings=settings, cache=MemoryCache())


def test_an_answer_out_of_time_needs_review_and_the_rest_is_graded(
        factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "__slow__", "q2": "right"})
    started = time.monotonic()
    assert grade(factory, sid, settings=settings, cache=MemoryCache(), hooks=SLOW)
    assert time.monotonic() - started < 5
    res = _results(factory, sid)
    assert res["q1"].verdict == "needs_review" and "longer than 0.3 s" in res["q1"].feedback
    assert res["q1"].max_points == 2 and res["q2"].verdict == "correct"


def test_a_stuck_answer_is_killed_at_the_hard_limit(
        factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "stuck __slow__", "q2": "right"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache(), hooks=SLOW)
    res = _results(factory, sid)
    assert res["q1"].verdict == "needs_review" and "within 1 s" in res["q1"].feedback


def test_repeated_answers_come_from_the_cache(factory: Any, settings: Settings) -> None:
    cache = MemoryCache()
    first, second = _setup(factory, {"q1": "right", "q2": "x"}, {"q1": " right ", "q2": "x"})
    assert grade(factory, first, settings=settings, cache=cache)

    def not_cached(*_a: Any) -> Any:
        pytest.fail("graded again instead of taken from the cache")

    assert grade(factory, second, settings=settings, cache=cache,
                 hooks=dataclasses.replace(FAKE, question_grader=not_cached))
    assert {k: (r.verdict, r.duration_ms) for k, r in _results(factory, second).items()} == {
        "q1": ("correct", 0), "q2": ("incorrect", 0)}


def test_a_regrade_adds_current_rows_once_and_reports_progress(factory: Any, settings: Settings) -> None:
    ids = _setup(factory, {"q1": "right"}, {"q1": "wrong"})
    for sid in ids:
        grade(factory, sid, settings=settings, cache=MemoryCache())
    with factory() as s:
        job = RegradeJob(assignment_id=1, total=2, status="queued")
        s.add(job)
        s.commit()
        job_id = job.id
    assert grading.regrade_assignment(factory, job_id) == ids
    for sid in ids:
        assert regrade(factory, job_id, sid, settings=settings, cache=MemoryCache())
        assert not regrade(factory, job_id, sid, settings=settings)
    with factory() as s:
        job = s.get(RegradeJob, job_id)
        assert (job.status, job.done, job.total) == ("done", 2, 2)
    with factory() as s:
        rows = s.query(GradingResult).filter_by(submission_id=ids[0]).all()
        assert sorted(r.is_current for r in rows) == [False, False, True, True]


def test_a_submission_that_cannot_be_graded_is_retried_then_handed_to_a_person(
        factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "right"})

    def broken(_inp: Any) -> Any:
        raise RuntimeError("assignment cannot be loaded")

    unloadable = dataclasses.replace(FAKE, assignment_for=broken)
    for attempt in range(1, grading.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            grade(factory, sid, settings=settings, hooks=unloadable)
        with factory() as s:
            sub = s.get(Submission, sid)
            assert (sub.status, sub.grading_attempts) == ("queued", attempt)
    assert grade(factory, sid, settings=settings, hooks=unloadable)
    with factory() as s:
        sub = s.get(Submission, sid)
        rows = s.query(GradingResult).filter_by(submission_id=sid).all()
        assert sub.status == "graded" and {r.verdict for r in rows} == {"needs_review"}
        assert "failed 5 times" in rows[0].feedback


def test_a_regrade_grades_against_the_assignments_current_version(factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "right"})
    grade(factory, sid, settings=settings, cache=MemoryCache())
    with factory() as s:
        old = s.query(AssignmentVersion).one()
        old.is_current = False
        new = AssignmentVersion(assignment_id=old.assignment_id, content_hash="h2", definition=DEFINITION,
                                source_text="", is_current=True)
        s.add(new)
        s.flush()
        job = RegradeJob(assignment_id=old.assignment_id, total=1, status="queued")
        s.add(job)
        s.commit()
        new_id, old_id, job_id = new.id, old.id, job.id
    assert grading.regrade_assignment(factory, job_id) == [sid]
    assert regrade(factory, job_id, sid, settings=settings, cache=MemoryCache())
    with factory() as s:
        versions = {(r.assignment_version_id, r.is_current)
                    for r in s.query(GradingResult).filter_by(submission_id=sid)}
    assert versions == {(old_id, False), (new_id, True)}


def _hand_grade(factory: Any, sid: int, qid: str, points: float, comment: str) -> int:
    """An instructor of the course grades one answer on the dashboard; returns the teacher's id."""
    from grader.db.models import Enrollment
    from grader.services.dashboard_actions import grade_manually

    with factory() as s:
        teacher = s.query(User).filter_by(email="t@example.com").one_or_none()
        if teacher is None:
            course = s.query(Course).one()
            teacher = User(email="t@example.com")
            student = s.get(Submission, sid).user
            s.add_all([teacher, Enrollment(user=teacher, course=course, role="instructor"),
                       Enrollment(user=student, course=course, role="student")])
            s.flush()
        result = s.query(GradingResult).filter_by(submission_id=sid, question_id=qid, is_current=True).one()
        grade_manually(s, teacher, result.id, points=points, comment=comment)
        s.commit()
        return teacher.id


def _regrade(factory: Any, settings: Settings, sid: int) -> None:
    with factory() as s:
        job = RegradeJob(assignment_id=s.query(Assignment).one().id, total=1, status="queued")
        s.add(job)
        s.commit()
        job_id = job.id
    assert grading.regrade_assignment(factory, job_id) == [sid]
    assert regrade(factory, job_id, sid, settings=settings, cache=MemoryCache())


def test_a_regrade_keeps_the_instructors_hand_grade(factory: Any, settings: Settings) -> None:
    from grader.db.models.instructor_input import ManualGrade
    from grader.services.reports import gradebook_csv
    from grader.services.submissions import read_submission

    (sid,) = _setup(factory, {"q1": "right", "q2": "wrong"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    teacher_id = _hand_grade(factory, sid, "q2", 0.5, "half right: the sign is off")
    for _ in range(2):  # and again: a carried-over grade is still the instructor's
        _regrade(factory, settings, sid)
        res = _results(factory, sid)
        assert (res["q2"].method, res["q2"].verdict, res["q2"].points, res["q2"].max_points) == (
            "manual", "incorrect", 0.5, 1)
        assert res["q2"].feedback == "half right: the sign is off"
        assert (res["q1"].method, res["q1"].verdict) == ("fake", "correct")
        with factory() as s:
            record = s.query(ManualGrade).filter_by(grading_result_id=res["q2"].id).one()
            assert (record.grader_id, record.points, record.comment) == (teacher_id, 0.5, res["q2"].feedback)
            teacher, student = s.get(User, teacher_id), s.get(Submission, sid).user
            view = read_submission(s, student, sid)
            assert (view["total"], view["questions"]["q2"]["method"]) == (2.5, "manual")
            csv_row = gradebook_csv(s, teacher, "hw").splitlines()[1].split(",")
            assert csv_row[-4:] == ["2", "0.5", "2.5", ""]  # graded by hand: nothing pending
    with factory() as s:
        assert s.query(GradingResult).filter_by(submission_id=sid).count() == 2 + 1 + 2 + 2
        assert s.query(GradingResult).filter_by(submission_id=sid, is_current=True).count() == 2


def test_free_text_still_waiting_for_review_is_regraded(factory: Any, settings: Settings) -> None:
    (sid,) = _setup(factory, {"q1": "right", "q2": "right"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    with factory() as s:  # as the engine marks free text: waiting for an instructor
        row = s.query(GradingResult).filter_by(submission_id=sid, question_id="q2").one()
        row.verdict, row.method, row.points = "needs_review", "manual", 0.0
        s.commit()
    _regrade(factory, settings, sid)
    res = _results(factory, sid)
    assert (res["q2"].method, res["q2"].verdict, res["q2"].points) == ("fake", "correct", 1)


def test_the_gradebook_flags_answers_waiting_for_an_instructor(factory: Any, settings: Settings) -> None:
    """Was: a free-text answer waiting for review showed 0 with nothing saying it was provisional."""
    from grader.services.reports import gradebook_csv

    (sid,) = _setup(factory, {"q1": "right", "q2": "right"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    teacher_id = _hand_grade(factory, sid, "q1", 1, "")
    with factory() as s:
        row = s.query(GradingResult).filter_by(submission_id=sid, question_id="q2", is_current=True).one()
        row.verdict, row.method, row.points = "needs_review", "manual", 0.0
        s.commit()
        rows = gradebook_csv(s, s.get(User, teacher_id), "hw").splitlines()
    assert rows[0].split(",")[-2:] == ["total", "pending"]
    assert rows[1].split(",")[-1] == "q2"


def test_a_hand_grade_made_while_a_regrade_runs_neither_skips_nor_stalls_the_job(
        factory: Any, settings: Settings) -> None:
    """The instructor grades an answer after the regrade was requested, before its task runs: the
    submission is still regraded (keeping the hand grade) and counted, so the job finishes; a
    second delivery of the task does nothing."""
    (sid,) = _setup(factory, {"q1": "right", "q2": "wrong"})
    assert grade(factory, sid, settings=settings, cache=MemoryCache())
    with factory() as s:
        job = RegradeJob(assignment_id=s.query(Assignment).one().id, total=1, status="queued")
        s.add(job)
        s.commit()
        job_id = job.id
    assert grading.regrade_assignment(factory, job_id) == [sid]
    _hand_grade(factory, sid, "q2", 0.5, "half right")
    assert regrade(factory, job_id, sid, settings=settings, cache=MemoryCache())
    assert not regrade(factory, job_id, sid, settings=settings, cache=MemoryCache())
    with factory() as s:
        job = s.get(RegradeJob, job_id)
        assert (job.status, job.done, job.total) == ("done", 1, 1)
    res = _results(factory, sid)
    assert (res["q2"].method, res["q2"].points) == ("manual", 0.5)
    assert (res["q1"].method, res["q1"].verdict) == ("fake", "correct")
