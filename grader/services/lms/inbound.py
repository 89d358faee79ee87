"""``POST /api/v1/lms/submissions``: a student's answers sent by the LMS, signed the Standard
Webhooks way with the course's shared secret.

Body: ``{"course": <id or key>, "assignment": <key>, "student": {"lms_id": ..., "email": ...},
"answers": {...}}``. Nothing is stored before the signature verifies (401 otherwise, with the same
answer for an unknown course so course keys cannot be probed); a replayed ``webhook-id`` gets the
first submission back (200) and never a second one.

Exactly once, also for copies arriving at the same moment: the message id is claimed first (a
unique row), in the transaction that then stores the submission through ``submit``. A concurrent
copy's claim waits on that row until the first commits, then fails and answers as a replay; the
first sends the submission to grading after its commit.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from grader.db.queries import lms as q
from grader.db.models.lms import InboundMessage
from grader.db.models import User
from grader.db.session import Session
from grader.lms_protocol.signatures import SignatureError, verify
from grader.services.errors import InvalidRequest, NotFound, ServiceError
from grader.services.queue import GradingQueue
from grader.services.submissions import check_submission
from grader.services.submit import submit


class Unauthorized(ServiceError):
    """A missing, bad or stale signature (or an unknown course): 401."""

    status = 401


@dataclass(frozen=True)
class InboundResult:
    """What to answer: the HTTP status and the JSON body (grading is already sent when created)."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    submission_id: int | None = None
    created: bool = False


def _parse(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except RecursionError:  # was a 500: the decoder recursed once per level of nesting
        raise InvalidRequest("the JSON body is nested too deeply", status=400) from None
    except (UnicodeDecodeError, ValueError):
        raise Unauthorized("invalid signature") from None
    if not isinstance(data, dict):
        raise Unauthorized("invalid signature")
    return data


def _student(session: Session, course_id: int, ref: Any) -> User:
    """The enrolled user named by the LMS id (an LTI link of a platform serving the course: its own
    registrations and those whose contexts map to it) or email."""
    if not isinstance(ref, dict):
        raise InvalidRequest('"student" must be an object with "lms_id" or "email"')
    user: User | None = None
    lms_id = ref.get("lms_id")
    if isinstance(lms_id, str) and lms_id:
        for platform in q.platforms_serving_course(session, course_id):
            link = q.user_link(session, platform.issuer, lms_id)
            if link is not None:
                user = link.user
                break
    email = ref.get("email")
    if user is None and isinstance(email, str) and email:
        user = q.user_by_email(session, email)
    if user is None or not user.is_active or q.enrollment(session, user.id, course_id) is None:
        raise NotFound("no such student in this course")
    return user


def _replayed(message: InboundMessage) -> InboundResult:
    return InboundResult(200, {"submission_id": message.submission_id, "replayed": True}, message.submission_id)


def receive(session: Session, queue: GradingQueue | None, headers: Mapping[str, str], body: bytes, *,
            now: float | None = None, limits: Mapping[str, int] | None = None) -> InboundResult:
    """Verify, deduplicate and store one inbound submission; commit, then send it to grading."""
    data = _parse(body)
    ref = data.get("course")
    course = q.course_by_ref(session, ref) if isinstance(ref, (str, int)) and not isinstance(ref, bool) else None
    secrets = q.inbound_secrets(session, course.id) if course is not None else []
    if course is None or not secrets:
        raise Unauthorized("invalid signature")
    try:
        webhook_id = verify(secrets, headers, body, now=time.time() if now is None else now)
    except SignatureError as exc:
        raise Unauthorized(f"invalid signature: {exc}") from None
    seen = q.inbound_message(session, course.id, webhook_id)
    if seen is not None:
        return _replayed(seen)
    assignment_key = data.get("assignment")
    if not isinstance(assignment_key, str):
        raise InvalidRequest('"assignment" must be an assignment key')
    assignment = q.assignment_by_key(session, assignment_key)
    if assignment is None or assignment.course_id != course.id:
        raise NotFound(f"assignment {assignment_key!r} not found in this course")
    user = _student(session, course.id, data.get("student"))
    # Refuse bad answers before the claim: on SQLite the claim's savepoint commits on release.
    check_submission(session, user=user, assignment_key=assignment_key, answers=data.get("answers"),
                     **dict(limits or {}))
    message = InboundMessage(course_id=course.id, webhook_id=webhook_id)
    if not q.insert_once(session, message):  # a concurrent copy claimed it and has committed
        session.rollback()
        seen = q.inbound_message(session, course.id, webhook_id)
        if seen is None:  # pragma: no cover - the claim failed for another reason
            raise ServiceError("could not record the message; send it again")
        return _replayed(seen)

    def link(submission: Any, _created: bool) -> None:
        message.submission_id = submission.id

    done = submit(session, queue, user=user, assignment_key=assignment_key, answers=data.get("answers"),
                  idempotency_key=f"lms:{webhook_id}"[:200], source="lms", limits=limits, before_commit=link)
    body_out = {"submission_id": done.submission.id, "status": done.submission.status,
                "replayed": not done.created}
    return InboundResult(202 if done.created else 200, body_out, done.submission.id, done.created)
