"""Tell the LMS about a (new) grade: webhooks and AGS score posts, queued in the caller's transaction.

Used by the grading service (a grading, a regrade) and by manual grading on the dashboard. The
notification rows are written in a savepoint of the grade's own transaction and their tasks are
recorded in its ``dispatch.Outgoing``, sent once it commits; any failure is logged and never
loses the grade.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def notify_graded(session: Any, submission_id: int, *, regrade: bool) -> None:
    """Queue the LMS notifications of a graded submission (``grader.services.lms.notify``); never raises."""
    from grader.services.lms.notify import on_submission_graded

    try:
        with session.begin_nested():  # a failed statement rolls back the notification, not the grade
            on_submission_graded(session, submission_id, regrade=regrade)
    except Exception:
        log.exception("submission %s: LMS notification failed; the grade is kept", submission_id)
