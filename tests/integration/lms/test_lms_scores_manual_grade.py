"""A hand grade on PostgreSQL reaches the stand-in LMS as a FullyGraded score."""

from __future__ import annotations

import pytest
import requests

from lms_fixtures import add_platform, graded_submission  # type: ignore[import-not-found]
from grader.db.models.lms import ScorePost
from grader.db.models import GradingResult
from grader.services import dispatch
from grader.services.lms import notify, outbox
from grader.lms_protocol.ags import TokenCache
from grader.services.lms.tool_keys import public_jwks
from grader.lms_protocol.webhooks import Outcome
from grader.services.dashboard_actions import grade_manually

pytestmark = pytest.mark.integration


def test_a_manual_grade_is_posted_fully_graded(world, lms, queue) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    sub = graded_submission(world, verdicts=("correct", "needs_review"))
    _, (pending,) = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    assert world.session.get(ScorePost, pending).payload["gradingProgress"] == "PendingManual"
    waiting = world.session.query(GradingResult).filter_by(submission_id=sub.id, question_id="q2").one()
    grade_manually(world.session, world.users["teacher"], waiting.id, points=1, comment="right")
    dispatch.commit_and_send(world.session, queue)
    (post_id,) = queue.score_posts
    lms.tool_jwks = public_jwks(world.session)
    result = outbox.post_score(world.session, post_id, http=requests.Session(), cache=TokenCache(),
                               schedule=(0, 0, 0, 0, 0, 0, 0))
    world.session.commit()
    assert result == (Outcome.DELIVERED, None)
    body = lms.of("score")[-1].json()
    assert (body["scoreGiven"], body["scoreMaximum"], body["gradingProgress"]) == (3.0, 3.0, "FullyGraded")
