"""After grading: create the webhook deliveries and score posts in the grading transaction,
recorded in the transaction's ``dispatch.Outgoing`` and sent once it commits (rows first, so
nothing is lost if the broker is down: ``sweep_due`` finds them again).

The grading service calls ``on_submission_graded(session, submission_id, regrade=...)`` in the
transaction that marks the submission graded.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from grader.db.queries import lms as q
from grader.db.queries import lms_manage as qm
from grader.db.base import utcnow
from grader.db.models.lms import ScorePost, WebhookDelivery
from grader.db.session import Session
from grader.lms_protocol.ags import score_payload
from grader.lms_protocol.webhooks import (
    EVENT_GRADED, EVENT_REGRADED, GradedEvent, QuestionPoints, event_body, new_event_id,
)
from grader.services import dispatch
from grader.services.lms import continuation
from grader.verdicts import QuestionVerdict
from grader.services.queue import TASK_DELIVER, TASK_POST_SCORE, GradingQueue  # noqa: F401 - task names re-exported

log = logging.getLogger(__name__)



def on_submission_graded(session: Session, submission_id: int, *, regrade: bool) -> tuple[list[int], list[int]]:
    """Queue the LMS notifications of a graded submission; returns (delivery ids, score post ids).

    Safe to call twice for the same grading: rows are keyed by the grading's newest result id.
    """
    sub = q.submission(session, submission_id)
    if sub is None or sub.status != "graded":
        return [], []
    assignment = q.assignment_of(sub)
    platforms = q.platforms_serving_course(session, assignment.course_id)
    endpoints = q.endpoints_for(session, assignment.course_id)
    if not platforms and not endpoints:  # a course without an LMS: nothing to read or write
        return [], []
    results = q.current_results(session, submission_id)
    marker = max((r.id for r in results), default=0)
    produced_at: datetime = max((r.created_at for r in results), default=None) or sub.graded_at or utcnow()
    links = {link.issuer: link.sub for link in q.user_links_of(session, sub.user_id, [p.issuer for p in platforms])}
    score = sum(r.points for r in results)
    maximum = sum(r.max_points for r in results)
    event = GradedEvent(
        assignment_id=assignment.id, assignment_key=assignment.key, submission_id=sub.id,
        student_id=sub.user_id, student_lms_id=next(iter(links.values()), None),
        score=score, max_score=maximum, graded_at=produced_at,
        questions=tuple(QuestionPoints(r.question_id, r.points, r.max_points, r.verdict) for r in results),
    )
    event_type = EVENT_REGRADED if regrade else EVENT_GRADED
    now = utcnow()
    deliveries: list[int] = []
    for endpoint in endpoints:
        if endpoint.events and event_type not in endpoint.events:
            continue
        event_id = new_event_id()
        row = WebhookDelivery(
            endpoint_id=endpoint.id, submission_id=sub.id, event_id=event_id, event_type=event_type,
            dedupe_key=f"{event_type}:{sub.id}:{marker}", next_attempt_at=now,
            payload=event_body(event_id, event_type, event, created_at=now),
        )
        if q.insert_once(session, row):
            deliveries.append(row.id)
    pending_manual = any(r.verdict == QuestionVerdict.NEEDS_REVIEW for r in results)
    posts: list[int] = []
    # The gradebook holds the latest attempt's score (as the dashboard does): an older attempt graded
    # later (a regrade of every submission, a slow first grading, a hand grade) must not replace it.
    superseded = bool(platforms) and q.has_newer_submission(session, sub)
    for platform in platforms if not superseded else ():
        # the line item of the link this student launched through, from that launch's AGS claim:
        # never another link's (another student's launch), never a default (no claim, no passback)
        launched = q.launch_link(session, platform.id, sub.user_id, assignment.id)
        lineitem = launched.lineitem_url if launched is not None else None
        user_id = links.get(platform.issuer)
        if not lineitem or not user_id or qm.deleted_lineitem(session, platform.id, lineitem) is not None:
            continue  # no claim, no LMS account, or a line item deleted through the grader
        post = ScorePost(
            platform_id=platform.id, submission_id=sub.id, lineitem_url=lineitem,
            dedupe_key=f"score:{sub.id}:{marker}", next_attempt_at=now,
            payload=score_payload(user_id, score, maximum, timestamp=produced_at, pending_manual=pending_manual),
        )
        if q.insert_once(session, post):
            posts.append(post.id)
    outgoing = dispatch.pending(session)  # sent by dispatch.commit_and_send after the commit
    outgoing.lms_deliveries.extend(deliveries)
    outgoing.lms_score_posts.extend(posts)
    return deliveries, posts


def enqueue(queue: GradingQueue, delivery_ids: list[int], score_post_ids: list[int]) -> None:
    """Send the tasks of committed rows; a broker failure is logged, the periodic sweep sends them later."""
    dispatch.Outgoing(lms_deliveries=list(delivery_ids), lms_score_posts=list(score_post_ids)).send(queue)


def sweep_due(session: Session, *, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Ids of pending deliveries and score posts whose next attempt time has come (and expired
    login states and continuation links are deleted on the way)."""
    now = now or utcnow()
    q.delete_launch_states(session, expired_before=now - timedelta(days=1))
    continuation.delete_expired(session, expired_before=now - timedelta(days=1))
    return q.due_ids(session, WebhookDelivery, now=now), q.due_ids(session, ScorePost, now=now)
