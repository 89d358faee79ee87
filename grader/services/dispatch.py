"""After the commit, and only then: the one way work reaches the workers.

A use case that writes rows a worker must act on records the task in its transaction's
``Outgoing`` (``pending(session).grading.append(id)``); ``commit_and_send(session, queue)``
commits and then sends what was recorded. A transaction that rolls back sends nothing, and a send
that fails (broker down) is re-sent later by the sweepers, which read the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.services.queue import GradingQueue

_KEY = "grader.outgoing"


@dataclass
class Outgoing:
    """Task arguments waiting for the transaction that wrote their rows to commit."""

    grading: list[int] = field(default_factory=list)
    grading_slow: list[int] = field(default_factory=list)
    regrades: list[int] = field(default_factory=list)
    lms_deliveries: list[int] = field(default_factory=list)
    lms_score_posts: list[int] = field(default_factory=list)

    def send(self, queue: GradingQueue | None) -> None:
        """Send everything (``None``: no producer in this process; the sweepers will)."""
        if queue is None:
            return
        for submission_id in self.grading:
            queue.send_grading(submission_id)
        for submission_id in self.grading_slow:
            queue.send_grading_slow(submission_id)
        for job_id in self.regrades:
            queue.send_regrade(job_id)
        for delivery_id in self.lms_deliveries:
            queue.send_lms_delivery(delivery_id)
        for post_id in self.lms_score_posts:
            queue.send_score_post(post_id)


def pending(session: Any) -> Outgoing:
    """The work the session's current transaction will send once it commits.

    Work belongs to one transaction: what a transaction committed or rolled back without
    ``commit_and_send`` recorded is never sent by a later one (the sweepers find it)."""
    transaction = session.get_transaction()
    if transaction is None:
        transaction = session.begin()
    found = session.info.get(_KEY)
    if found is None or found[0] is not transaction:
        found = (transaction, Outgoing())
        session.info[_KEY] = found
    outgoing: Outgoing = found[1]
    return outgoing


def take(session: Any) -> Outgoing:
    """Remove and return the current transaction's pending work (call it inside the transaction,
    send after the commit)."""
    found = session.info.pop(_KEY, None)
    if found is None or found[0] is not session.get_transaction():
        return Outgoing()
    outgoing: Outgoing = found[1]
    return outgoing


def rollback(session: Any) -> None:
    """Roll back and forget the pending work."""
    session.info.pop(_KEY, None)
    session.rollback()


def commit_and_send(session: Any, queue: GradingQueue | None) -> None:
    """Commit, then send the work the transaction recorded (nothing if the commit fails)."""
    outgoing = take(session)
    session.commit()
    outgoing.send(queue)
