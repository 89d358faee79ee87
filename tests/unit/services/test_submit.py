"""The one submit path: the request that created the submission sends it to grading, after its
commit; a replay sends nothing; a failed commit sends nothing."""

from __future__ import annotations

from typing import Any

import pytest

from grader.db import Session, SessionFactory
from grader.db.models import Submission
from grader.services.errors import Conflict
from grader.services.submit import submit
from tests.support.fakes import FakeQueue

ANSWERS = {"q1": "2*p - 2*y"}


class CommitCheckingQueue(FakeQueue):
    """Records each send together with whether another connection already sees the row."""

    def __init__(self, factory: SessionFactory) -> None:
        super().__init__()
        self.factory = factory
        self.visible_when_sent: list[bool] = []

    def send_grading(self, submission_id: int) -> None:
        with self.factory() as other:
            self.visible_when_sent.append(other.get(Submission, submission_id) is not None)
        super().send_grading(submission_id)


def _submit(session: Session, world: dict[str, Any], queue: FakeQueue, **changes: Any) -> Any:
    args: dict[str, Any] = {"answers": ANSWERS, "idempotency_key": "key-1", "source": "api"}
    args.update(changes)
    return submit(session, queue, user=world["alice"], assignment_key="hw1", **args)


def test_the_created_submission_is_sent_once_it_is_committed(
        session: Session, world: dict[str, Any], factory: SessionFactory) -> None:
    queue = CommitCheckingQueue(factory)
    done = _submit(session, world, queue)
    assert done.created and queue.grading == [done.submission.id]
    assert queue.visible_when_sent == [True]


def test_a_replay_of_the_same_key_is_not_sent_again(session: Session, world: dict[str, Any]) -> None:
    queue = FakeQueue()
    first = _submit(session, world, queue)
    again = _submit(session, world, queue)
    assert (first.created, again.created) == (True, False)
    assert again.submission.id == first.submission.id
    assert queue.grading == [first.submission.id]


def test_a_refused_submission_rolls_back_and_sends_nothing(session: Session, world: dict[str, Any]) -> None:
    queue = FakeQueue()
    _submit(session, world, queue)
    with pytest.raises(Conflict):
        _submit(session, world, queue, answers={"q1": "0"})
    assert len(queue.grading) == 1 and session.query(Submission).count() == 1


def test_a_commit_that_fails_sends_nothing(session: Session, world: dict[str, Any],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    queue = FakeQueue()

    def lost_connection() -> None:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(session, "commit", lost_connection)
    with pytest.raises(ConnectionError):
        _submit(session, world, queue)
    assert queue.grading == []


def test_rows_added_before_the_commit_are_in_the_same_transaction(session: Session, world: dict[str, Any]) -> None:
    queue = FakeQueue()
    seen: list[tuple[int, bool]] = []
    done = _submit(session, world, queue, before_commit=lambda sub, created: seen.append((sub.id, created)))
    assert seen == [(done.submission.id, True)] and queue.grading == [done.submission.id]


def test_the_answer_to_a_new_submission_needs_no_database_after_the_commit(
        session: Session, world: dict[str, Any]) -> None:
    """The 202's body was built after the commit and lazily loaded the version and its assignment:
    with PostgreSQL gone right after the commit (the fault test's 10 s outage) the stored
    submission was answered 503, so the client took it for refused."""
    from grader.services.submissions import submission_view

    done = _submit(session, world, FakeQueue())
    session.close()  # nothing can be loaded any more
    view = submission_view(done.submission, None)
    assert (view["id"], view["assignment_id"], view["status"]) == (done.submission.id, "hw1", "queued")
