"""A student's submissions are graded one at a time, the next sent on when the earlier one is saved.

The next one was looked up inside the save's own statement, in its snapshot: a submission that
came in while the earlier one was being saved had its claim refused (the earlier one still
unfinished) and was not seen by the save either, so it sat queued until the sweeper re-sent it a
whole lease later. On real PostgreSQL, with the second submission committed mid-save."""

from __future__ import annotations

from typing import Any

import pytest

from grader.config import Settings
from grader.db.models import AssignmentVersion, Submission, User
from grader.db.queries import grading_turn
from grader.services import grading
from tests.support.fakes import FakeQueue

pytestmark = pytest.mark.integration
RIGHT = {"q1": "2*p_i - 2*y_i", "q2": "x_i"}


def _submit(factory: Any) -> int:
    with factory() as db:
        user = db.query(User).filter_by(email="alice@example.com").one()
        version = db.query(AssignmentVersion).one()
        sub = Submission(user_id=user.id, assignment_version_id=version.id, answers=dict(RIGHT), source="api")
        db.add(sub)
        db.commit()
        return sub.id


def test_a_submission_that_arrives_while_the_earlier_one_is_saved_is_sent_on(
        committed_factory: Any, committed_student: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _submit(committed_factory)
    queue = FakeQueue()
    later: list[int] = []
    refused: list[bool] = []
    save_rows = grading_turn.add_result_rows

    def while_saving(*args: Any, **kwargs: Any) -> None:
        if not later:  # the first save: the student submits again and that one's own task runs now
            later.append(_submit(committed_factory))
            refused.append(grading.grade_submission_by_id(committed_factory, later[0], settings=settings,
                                                          queue=queue))
        save_rows(*args, **kwargs)

    monkeypatch.setattr(grading_turn, "add_result_rows", while_saving)
    assert grading.grade_submission_by_id(committed_factory, first, settings=settings, queue=queue)
    assert refused == [False]  # its claim waited for the earlier one, as it should
    assert queue.grading == later, "the later submission was left queued for the sweeper"
    monkeypatch.setattr(grading_turn, "add_result_rows", save_rows)
    assert grading.grade_submission_by_id(committed_factory, later[0], settings=settings, queue=queue)
    with committed_factory() as db:
        assert db.get(Submission, later[0]).status == "graded"
