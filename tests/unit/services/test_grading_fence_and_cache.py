"""Gaps a mutation check found: the claim number fences a stale save even while the submission is
still ``grading``; an undecided ``needs_review`` is never put in the verdict cache."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from grader.config import Settings
from grader.db import make_engine, make_session_factory
from grader.db.models import Assignment, AssignmentVersion, Course, GradingResult, Submission, User
from grader.db.queries import grading as q
from grader.services import grading
from grader.services.hand_grades import carried_grade

DEFINITION = {"questions": [{"id": "q1", "points": 2}, {"id": "q2", "points": 1}, {"id": "q3", "points": 1}]}


class _Question:
    def __init__(self, qid: str, points: float) -> None:
        self.id, self.points = qid, points


class _Assignment:
    questions = (_Question("q1", 2), _Question("q2", 1), _Question("q3", 1))


class RecordingCache:
    """A verdict cache that remembers every put."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.data.get(key)

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.data[key] = dict(value)


def _undecided_grader(_assignment: Any, _answers: dict[str, Any], _seed: int,
                     _before_answer: Callable[[Any], None]) -> Callable[[str], dict[str, Any]]:
    """q1: the engine could not decide; q2: free text waiting for a person; q3: a definite verdict."""
    outcomes = {
        "q1": {"verdict": "needs_review", "points": 0, "max_points": 2, "feedback": "undecided",
               "method": "symbolic:timeout"},
        "q2": {"verdict": "needs_review", "points": 0, "max_points": 1, "feedback": "an instructor grades this",
               "method": "manual"},
        "q3": {"verdict": "correct", "points": 1, "max_points": 1, "feedback": "", "method": "symbolic"},
    }
    return lambda qid: outcomes[qid]


UNDECIDED = grading.GradingHooks(assignment_for=lambda _inp: _Assignment(), question_grader=_undecided_grader)


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[Any]:
    from grader.services.provisioning import migrate

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    migrate(url)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, database_url=f"sqlite:///{tmp_path}/grader.sqlite", secret_key="k",
                             grading_lease_s=60, answer_soft_time_s=5, answer_hard_time_s=10)


def _submission(factory: Any) -> int:
    with factory() as s:
        course = Course(key="c", title="C")
        version = AssignmentVersion(assignment=Assignment(key="hw", title="HW", course=course), content_hash="h",
                                    definition=DEFINITION, source_text="", is_current=True)
        sub = Submission(user=User(email="s@example.com"), assignment_version=version,
                         answers={"q1": "x", "q2": "because", "q3": "y"})
        s.add_all([course, version, sub])
        s.commit()
        return sub.id


def test_a_stale_claim_cannot_save_while_a_newer_claim_is_grading(factory: Any) -> None:
    sid = _submission(factory)
    t0 = datetime.now(timezone.utc)
    with factory() as s:
        stale = q.claim(s, sid, now=t0, lease_s=60)
        s.commit()
    with factory() as s:  # the lease ran out: another worker claims it and is still grading
        newer = q.claim(s, sid, now=t0 + timedelta(seconds=61), lease_s=60)
        s.commit()
    assert (stale, newer) == (1, 2)
    row = q.ResultRow("q1", "correct", 2.0, 2.0, "", "fake", 0)
    with factory() as s:  # status is still 'grading': only the claim number tells them apart
        assert s.get(Submission, sid).status == "grading"
        assert not q.save_graded(s, sid, 1, [row], fence=stale, grader_version="x", now=t0,
                                     carry=carried_grade)
        assert not q.renew_lease(s, sid, fence=stale, now=t0, lease_s=60)
        assert not q.release(s, sid, fence=stale, now=t0, retry_after_s=60)
        s.commit()
    with factory() as s:
        assert s.query(GradingResult).count() == 0
        assert s.get(Submission, sid).status == "grading"
        assert q.save_graded(s, sid, 1, [row], fence=newer, grader_version="x", now=t0, carry=carried_grade)
        s.commit()
    with factory() as s:
        assert s.get(Submission, sid).status == "graded" and s.query(GradingResult).count() == 1


def test_an_undecided_needs_review_is_not_cached_but_free_text_waiting_is(factory: Any,
                                                                          settings: Settings) -> None:
    sid = _submission(factory)
    cache = RecordingCache()
    assert grading.grade_submission_by_id(factory, sid, settings=settings, cache=cache, hooks=UNDECIDED)
    cached = sorted((v["method"], v["verdict"]) for v in cache.data.values())
    assert cached == [("manual", "needs_review"), ("symbolic", "correct")]
