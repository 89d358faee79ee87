"""Regrade jobs always end, and a regrade on a busy machine never trades a verdict for needs_review.

On a migrated SQLite file with a fake per-question grader (no engine); the grader really runs in
the forked child with the real soft and hard time limits.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from grader.config import Settings
from grader.db import make_engine, make_session_factory
from grader.db.models import Assignment, AssignmentVersion, Course, GradingResult, RegradeJob, Submission, User
from grader.services import grading, regrading
from grader.services.verdict_cache import MemoryCache

DEFINITION = {"questions": [{"id": "q1", "points": 2}, {"id": "q2", "points": 1}]}
DELAY = {"q1": 0.0}  # seconds the fake grader spends on q1 (read in the forked child)


class _Question:
    def __init__(self, qid: str, points: float) -> None:
        self.id, self.points = qid, points


class _Assignment:
    questions = (_Question("q1", 2), _Question("q2", 1))


def _fake_grade_one(_assignment: Any, answers: dict[str, Any], _seed: int,
                    _before_answer: Callable[[Any], None]) -> Callable[[str], dict[str, Any]]:
    def grade(qid: str) -> dict[str, Any]:
        if qid in DELAY and DELAY[qid]:
            time.sleep(DELAY[qid])
        ok = answers.get(qid) == "right"
        points = {"q1": 2, "q2": 1}[qid]
        return {"verdict": "correct" if ok else "incorrect", "points": points if ok else 0,
                "max_points": points, "feedback": "", "method": "fake"}
    return grade


FAKE = grading.GradingHooks(assignment_for=lambda _inp: _Assignment(), question_grader=_fake_grade_one)


@pytest.fixture
def factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from grader.services.provisioning import migrate

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    migrate(url)
    monkeypatch.setitem(DELAY, "q1", 0.0)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, database_url=f"sqlite:///{tmp_path}/grader.sqlite", secret_key="k",
                             answer_soft_time_s=0.4, answer_hard_time_s=1.0, regrade_lease_s=60,
                             regrade_max_sweeps=2, regrade_slow_factor=5.0)


def _graded(factory: Any, settings: Settings, *answers: dict[str, Any]) -> list[int]:
    with factory() as s:
        course = Course(key="c", title="C")
        version = AssignmentVersion(assignment=Assignment(key="hw", title="HW", course=course), content_hash="h",
                                    definition=DEFINITION, source_text="", is_current=True)
        user = User(email="s@example.com")
        subs = [Submission(user=user, assignment_version=version, answers=a) for a in answers]
        s.add_all([course, version, user, *subs])
        s.commit()
        ids = [x.id for x in subs]
    for sid in ids:
        assert grading.grade_submission_by_id(factory, sid, settings=settings, cache=MemoryCache(), hooks=FAKE)
    return ids


def _job(factory: Any, *, created: datetime | None = None) -> int:
    with factory() as s:
        job = RegradeJob(assignment_id=s.query(Assignment).one().id, status="queued",
                         created_at=created or datetime.now(timezone.utc))
        s.add(job)
        s.commit()
        return job.id


def _state(factory: Any, job_id: int) -> tuple[str, int, int, list[int], str | None]:
    with factory() as s:
        job = s.get(RegradeJob, job_id)
        return job.status, job.done, job.total, list(job.failed_submission_ids or []), job.error


def _current(factory: Any, sid: int) -> dict[str, tuple[str, float, str]]:
    with factory() as s:
        return {r.question_id: (r.verdict, r.points, r.method)
                for r in s.query(GradingResult).filter_by(submission_id=sid, is_current=True)}


def test_a_lost_fan_out_is_re_sent_then_the_job_fails_with_a_reason(factory: Any, settings: Settings) -> None:
    _graded(factory, settings, {"q1": "right"})
    t0 = datetime.now(timezone.utc)
    job_id = _job(factory, created=t0)
    assert regrading.sweep_regrades(factory, now=t0 + timedelta(seconds=30), settings=settings) == []
    for n in (1, 2):  # the regrade_assignment task never ran: sent again, once per lease
        (swept,) = regrading.sweep_regrades(factory, now=t0 + timedelta(seconds=61 * n), settings=settings)
        assert (swept.job_id, swept.restart) == (job_id, True)
    assert regrading.sweep_regrades(factory, now=t0 + timedelta(seconds=183), settings=settings) == []
    status, _done, _total, _failed, error = _state(factory, job_id)
    assert status == "failed" and "no progress" in (error or "")


def test_a_running_job_re_sends_only_the_submissions_left_and_then_ends(factory: Any, settings: Settings) -> None:
    ids = _graded(factory, settings, {"q1": "right"}, {"q1": "wrong"}, {"q2": "right"})
    job_id = _job(factory)
    assert regrading.regrade_assignment(factory, job_id, settings=settings) == ids
    assert regrading.regrade_submission_by_id(factory, job_id, ids[0],
                                              settings=settings, cache=MemoryCache(), hooks=FAKE)
    later = datetime.now(timezone.utc) + timedelta(seconds=61)  # the other two tasks were lost
    (swept,) = regrading.sweep_regrades(factory, now=later, settings=settings)
    assert (swept.restart, swept.submission_ids) == (False, tuple(ids[1:]))
    assert regrading.regrade_assignment(factory, job_id, settings=settings) == ids[1:]  # a re-sent fan-out too
    for sid in ids[1:]:
        assert regrading.regrade_submission_by_id(factory, job_id, sid,
                                                  settings=settings, cache=MemoryCache(), hooks=FAKE)
    assert _state(factory, job_id)[:4] == ("done", 3, 3, [])


def test_a_submission_that_keeps_failing_ends_the_job_as_failed_naming_it(factory: Any, settings: Settings) -> None:
    ids = _graded(factory, settings, {"q1": "right"}, {"q1": "wrong"})
    job_id = _job(factory)
    regrading.regrade_assignment(factory, job_id, settings=settings)
    assert regrading.fail_regrade_submission(factory, job_id, ids[0], reason="RuntimeError: boom")
    assert not regrading.fail_regrade_submission(factory, job_id, ids[0], reason="again")
    assert _state(factory, job_id)[0] == "running"  # the other one is still to do
    assert regrading.regrade_submission_by_id(factory, job_id, ids[1],
                                              settings=settings, cache=MemoryCache(), hooks=FAKE)
    status, done, total, failed, error = _state(factory, job_id)
    assert (status, done, total, failed) == ("failed", 1, 2, [ids[0]])
    assert "RuntimeError: boom" in (error or "")


def test_a_slow_answer_in_a_regrade_is_retried_with_longer_limits(factory: Any, settings: Settings,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (sid,) = _graded(factory, settings, {"q1": "wrong", "q2": "right"})
    monkeypatch.setitem(DELAY, "q1", 0.8)  # over the 0.4 s soft limit, under 5 x 0.4 s
    job_id = _job(factory)
    regrading.regrade_assignment(factory, job_id, settings=settings)
    assert regrading.regrade_submission_by_id(factory, job_id, sid, settings=settings, cache=MemoryCache(), hooks=FAKE)
    assert _current(factory, sid)["q1"] == ("incorrect", 0.0, "fake")


def test_an_answer_out_of_time_in_a_regrade_keeps_the_earlier_verdict(factory: Any, settings: Settings,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The failure: a regrade on a busy machine replaced a definite verdict with needs_review.
    (sid,) = _graded(factory, settings, {"q1": "right", "q2": "right"})
    assert _current(factory, sid)["q1"] == ("correct", 2.0, "fake")
    monkeypatch.setitem(DELAY, "q1", 60.0)  # never finishes, not even on the slow path
    job_id = _job(factory)
    regrading.regrade_assignment(factory, job_id, settings=settings)
    assert regrading.regrade_submission_by_id(factory, job_id, sid, settings=settings, cache=MemoryCache(), hooks=FAKE)
    assert _current(factory, sid) == {"q1": ("correct", 2.0, "fake"), "q2": ("correct", 1.0, "fake")}
    assert _state(factory, job_id)[0] == "done"
