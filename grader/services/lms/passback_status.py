"""Why each student's score does or does not reach the LMS gradebook (the instructor's passback page).

A score is posted only to the line item named by the AGS claim of the launch through which the
student opened the assignment; every other case is a reason shown to the instructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.db.models import User
from grader.db.queries import lms as q
from grader.db.queries import lms_manage as qm
from grader.db.session import Session
from grader.services.errors import NotFound
from grader.services.lms.course_settings import delivery_log, staff_course
from grader.services.lms.roster import not_submitted

DELIVERY_LOG_ROWS = 50
NOT_LAUNCHED = "never opened from the LMS: no gradebook to send to"
NO_LINE_ITEM = ("opened from an LMS link without a grade column (the launch carried no AGS line item): "
                "no score is sent; make the LMS activity graded, then the student opens it again")

LINE_ITEM_DELETED = ("the LMS grade column this student's link named ({label}) was deleted through the grader "
                     "on {when}: no score is sent there; scores reach the LMS again once the student opens "
                     "a graded LMS link")


@dataclass(frozen=True)
class PassbackRow:
    """One student: where their score goes (or why nowhere) and what the last post did."""

    user_id: int
    name: str
    resource_link: str | None
    lineitem_url: str | None
    reason: str
    last_status: str | None
    last_error: str


@dataclass(frozen=True)
class PassbackPage:
    """The rows, and the LMS roster's learners who have not submitted (after a roster sync)."""

    rows: list[PassbackRow]
    not_submitted: list[str]
    deliveries: list[dict[str, Any]]  # the course's newest webhook deliveries (the delivery log)


def passback_status(session: Session, user: User, assignment_key: str) -> PassbackPage:
    """An assignment's passback page (only for the course's staff)."""
    assignment = q.assignment_by_key(session, assignment_key)
    if assignment is None:
        raise NotFound(f"assignment {assignment_key!r} not found")
    course = staff_course(session, user, str(assignment.course_id))
    launches = {row.user_id: row for row in q.launch_links_of_assignment(session, assignment.id)}
    posts = q.latest_score_posts(session, assignment.id)
    deleted = qm.deleted_lineitems(session, {r.lineitem_url for r in launches.values() if r.lineitem_url})
    rows = []
    for student in q.students_of_course(session, assignment.course_id):
        launch, post = launches.get(student.id), posts.get(student.id)
        gone = deleted.get((launch.platform_id, launch.lineitem_url or "")) if launch else None
        if launch is None:
            reason = NOT_LAUNCHED
        elif not launch.lineitem_url:
            reason = NO_LINE_ITEM
        elif gone is not None:
            reason = LINE_ITEM_DELETED.format(label=gone.label or "no label", when=gone.deleted_at.isoformat())
        else:
            reason = "scores go to this link's line item"
        rows.append(PassbackRow(
            user_id=student.id, name=student.display_name or student.email,
            resource_link=launch.resource_link.resource_link_id if launch else None,
            lineitem_url=launch.lineitem_url if launch else None, reason=reason,
            last_status=post.status if post else None, last_error=post.last_error if post else "",
        ))
    return PassbackPage(rows, not_submitted(session, assignment.course_id, assignment.id),
                        delivery_log(session, course, limit=DELIVERY_LOG_ROWS))
