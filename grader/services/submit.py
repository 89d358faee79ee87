"""The one path from answers to a queued submission, for the API, the pages and the LMS:
insert, commit, and only then send to grading (``dispatch.commit_and_send``).

Exactly once: the request whose INSERT created the row is the only one with ``created=True``
(a concurrent duplicate with the same idempotency key waits on the unique index until the first
commits, then gets the stored row back), so grading is sent once, by that request, after its own
commit succeeded. A commit that fails sends nothing and answers with the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from grader.db import Session
from grader.db.models import Submission, User
from grader.services import dispatch
from grader.services.documents import document_to_attach
from grader.services.queue import GradingQueue
from grader.services.submissions import submit_answers


@dataclass(frozen=True)
class Submitted:
    """The stored submission, and whether this request created it (False: a replay)."""

    submission: Submission
    created: bool


def submit(
    session: Session,
    queue: GradingQueue | None,
    *,
    user: User,
    assignment_key: str,
    answers: Any,
    idempotency_key: str | None,
    source: str,
    limits: Mapping[str, int] | None = None,
    before_commit: Callable[[Submission, bool], None] | None = None,
    document_id: Any = None,
    now: datetime | None = None,
) -> Submitted:
    """Store the answers (``submit_answers``), commit, then send the new submission to grading.

    ``limits`` are ``Settings.submission_limits()``; ``before_commit(submission, created)`` adds
    rows to the same transaction (the LMS links its message id to the submission); ``document_id``
    names the handed-in document the answers came from, stored with a new submission; ``now`` is
the caller's clock, checked against the questions' ``due`` (``late: refuse``). Any error
    rolls the transaction back and is raised.
    """
    try:
        document = (None if document_id is None
                    else document_to_attach(session, user, document_id, assignment_key))
        submission, created = submit_answers(
            session, user=user, assignment_key=assignment_key, answers=answers,
            idempotency_key=idempotency_key, source=source, now=now, **dict(limits or {}),
        )
        if created and document is not None:
            document.submission_id = submission.id
        if before_commit is not None:
            before_commit(submission, created)
        if created:
            dispatch.pending(session).grading.append(submission.id)
        _load_what_the_answer_shows(submission)
        dispatch.commit_and_send(session, queue)
    except BaseException:
        dispatch.rollback(session)
        raise
    return Submitted(submission, created)


def _load_what_the_answer_shows(submission: Submission) -> None:
    """Load the version, its assignment and the student before the commit: loaded lazily after it,
    a database lost right after the commit turned a stored submission's 202 into a 503."""
    _ = (submission.assignment_version.assignment.key, submission.user.email)
