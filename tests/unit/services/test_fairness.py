"""Fairness of grading (grader.services.fairness): one student's submissions in line, the fast
budget handing a slow answer to the slow queue, and a timed-out answer not run twice."""

from __future__ import annotations

import time
from typing import Any

import pytest

from grader.config import Settings
from grader.db.models import Assignment, AssignmentVersion, Course, GradingResult, Submission, User
from grader.services import grading
from grader.services.verdict_cache import MemoryCache, cache_key
from tests.support.fakes import FakeQueue
from tests.unit.services.test_grading import DEFINITION, FAKE, SLOW, factory, fake_grade_one, template  # noqa: F401

__all__ = ["factory", "template"]


def burn_or_wait(answer: Any) -> None:
    """A grading hook: ``__burn__`` computes forever; ``__wait__ <s>`` waits that long without computing
    (an answer on a busy machine, waiting for the CPU), then is graded."""
    if isinstance(answer, str) and answer.startswith("__burn__"):
        while True:
            pass
    if isinstance(answer, str) and answer.startswith("__wait__"):
        time.sleep(float(answer.split()[1]))


BURN = grading.GradingHooks(assignment_for=FAKE.assignment_for, question_grader=fake_grade_one,
                            before_answer=burn_or_wait)


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings.from_env({}, database_url=f"sqlite:///{tmp_path}/grader.sqlite", secret_key="k",
                             grading_lease_s=60, answer_soft_time_s=0.6, answer_hard_time_s=2.0,
                             fast_budget_s=0.1, fast_hard_s=1.0)


def _class(factory: Any, *subs: tuple[str, dict[str, Any]]) -> list[int]:
    """Submissions in this order, each (student email, answers)."""
    with factory() as s:
        course = Course(key="c", title="C")
        version = AssignmentVersion(assignment=Assignment(key="hw", title="HW", course=course),
                                    content_hash="h1", definition=DEFINITION, source_text="", is_current=True)
        users: dict[str, User] = {}
        rows = []
        for email, answers in subs:
            user = users.setdefault(email, User(email=email))
            rows.append(Submission(user=user, assignment_version=version, answers=answers))
            s.add(rows[-1])
            s.flush()
        s.commit()
        return [r.id for r in rows]


def _status(factory: Any, sid: int) -> str:
    with factory() as s:
        return s.get(Submission, sid).status


def _verdicts(factory: Any, sid: int) -> dict[str, tuple[str, str]]:
    with factory() as s:
        rows = s.query(GradingResult).filter_by(submission_id=sid, is_current=True).all()
        return {r.question_id: (r.verdict, r.method) for r in rows}


def test_a_later_submission_waits_behind_the_students_own_and_is_sent_on(factory: Any, settings: Settings) -> None:
    first, second, other = _class(factory, ("a@x", {"q1": "right"}), ("a@x", {"q1": "wrong"}),
                                  ("b@x", {"q1": "right"}))
    queue, cache = FakeQueue(), MemoryCache()
    assert not grading.grade_submission_by_id(factory, second, settings=settings, cache=cache, hooks=FAKE,
                                              queue=queue)
    assert _status(factory, second) == "queued"  # not claimed: it waits behind `first`
    assert grading.grade_submission_by_id(factory, other, settings=settings, cache=cache, hooks=FAKE, queue=queue)
    assert grading.grade_submission_by_id(factory, first, settings=settings, cache=cache, hooks=FAKE, queue=queue)
    assert queue.grading == [second]  # sent on once the student's earlier one is graded
    assert grading.grade_submission_by_id(factory, second, settings=settings, cache=cache, hooks=FAKE, queue=queue)


def test_an_answer_over_the_fast_budget_is_finished_on_the_slow_queue(factory: Any, settings: Settings) -> None:
    (sid,) = _class(factory, ("a@x", {"q1": "__burn__", "q2": "right"}))
    queue, cache = FakeQueue(), MemoryCache()
    started = time.monotonic()
    assert not grading.grade_submission_by_id(factory, sid, settings=settings, cache=cache, hooks=BURN, queue=queue)
    assert time.monotonic() - started < settings.answer_soft_time_s  # the fast worker let go at the budget
    assert queue.grading_slow == [sid] and _status(factory, sid) == "queued"
    assert grading.grade_submission_by_id(factory, sid, settings=settings, cache=cache, hooks=BURN, queue=queue,
                                          slow=True)
    assert _verdicts(factory, sid) == {"q1": ("needs_review", "limit:soft"), "q2": ("correct", "fake")}


def test_an_answer_waiting_for_a_busy_cpu_is_not_over_the_fast_budget(factory: Any, settings: Settings) -> None:
    """The fast budget counts the answer's CPU time: on a loaded machine an ordinary answer can take
    longer than the budget on the wall clock (in the burst, 22 of 300 went to the slow queue so, and
    each soft stop re-forked a cold grading child that was slower still)."""
    (sid,) = _class(factory, ("a@x", {"q1": f"__wait__ {3 * settings.fast_budget_s}", "q2": "right"}))
    queue, cache = FakeQueue(), MemoryCache()
    assert grading.grade_submission_by_id(factory, sid, settings=settings, cache=cache, hooks=BURN, queue=queue)
    assert queue.grading_slow == []
    assert _verdicts(factory, sid) == {"q1": ("incorrect", "fake"), "q2": ("correct", "fake")}


def test_an_answer_that_waits_without_computing_is_let_go_at_the_fast_hard_limit(
        factory: Any, settings: Settings) -> None:
    (sid,) = _class(factory, ("a@x", {"q1": "__slow__", "q2": "right"}))
    queue, cache = FakeQueue(), MemoryCache()
    started = time.monotonic()
    assert not grading.grade_submission_by_id(factory, sid, settings=settings, cache=cache, hooks=SLOW, queue=queue)
    assert time.monotonic() - started < settings.fast_hard_s + 0.5
    assert queue.grading_slow == [sid] and _status(factory, sid) == "queued"


def test_a_timed_out_answer_is_not_run_again(factory: Any, settings: Settings) -> None:
    first, again = _class(factory, ("a@x", {"q1": "__slow__ 1"}), ("b@x", {"q1": "__slow__ 1", "q2": "right"}))
    queue, cache = FakeQueue(), MemoryCache()
    assert grading.grade_submission_by_id(factory, first, settings=settings, cache=cache, hooks=SLOW, queue=queue,
                                          slow=True)
    key = cache_key("h1", "q1", "__slow__ 1", grading.GRADER_VERSION)
    assert cache.get("timeout:" + key) == {"error": "soft"}
    started = time.monotonic()
    assert grading.grade_submission_by_id(factory, again, settings=settings, cache=cache, hooks=SLOW, queue=queue)
    assert time.monotonic() - started < settings.fast_budget_s + 0.5  # not run, on the fast queue
    assert queue.grading_slow == []
    assert _verdicts(factory, again)["q1"] == ("needs_review", "limit:soft")


def test_the_fast_budget_is_configurable_and_checked() -> None:
    env = {"SECRET_KEY": "k", "GRADER_FAST_BUDGET_S": "0.5", "GRADER_FAST_HARD_S": "3"}
    assert (Settings.from_env(env).fast_budget_s, Settings.from_env(env).fast_hard_s) == (0.5, 3.0)
    with pytest.raises(ValueError, match="GRADER_FAST_HARD_S"):
        Settings.from_env(dict(env, GRADER_FAST_HARD_S="0.1"))
    with pytest.raises(ValueError, match="GRADER_FAST_BUDGET_S"):
        Settings.from_env(dict(env, GRADER_FAST_BUDGET_S="soon"))
