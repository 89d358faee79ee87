"""AGS score passback against the stand-in platform: token by signed assertion, one timestamp."""

from __future__ import annotations

import json

import pytest
import requests

from lms_fixtures import add_platform, graded_submission  # type: ignore[import-not-found]
from grader.db.models.lms import ScorePost
from grader.services.lms import notify, outbox
from grader.lms_protocol.ags import SCORE_CONTENT_TYPE, TokenCache
from grader.services.lms.tool_keys import public_jwks
from grader.lms_protocol.webhooks import Outcome

pytestmark = pytest.mark.integration
FAST = (0, 0, 0, 0, 0, 0, 0)


def _post(world, post_id: int, cache: TokenCache):  # type: ignore[no-untyped-def]
    result = outbox.post_score(world.session, post_id, http=requests.Session(), cache=cache, schedule=FAST)
    world.session.commit()
    return result


def _trust_tool(world, lms) -> None:  # type: ignore[no-untyped-def]
    lms.tool_jwks = public_jwks(world.session)  # the platform's copy of our JWKS


def test_a_grade_is_posted_to_the_line_item_with_a_verified_token(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    sub = graded_submission(world)
    _, (post_id,) = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    _trust_tool(world, lms)
    assert _post(world, post_id, TokenCache()) == (Outcome.DELIVERED, None)
    (token_request,) = lms.of("token")
    assert token_request.verified and token_request.status == 200
    (score,) = lms.of("score")
    assert score.verified and score.status == 200 and score.path == "/lineitems/1/lineitem/scores"
    assert score.headers["content-type"] == SCORE_CONTENT_TYPE
    body = score.json()
    assert body == {"userId": "lms-alice", "scoreGiven": 2.0, "scoreMaximum": 3.0, "activityProgress": "Completed",
                    "gradingProgress": "FullyGraded", "timestamp": body["timestamp"]}
    assert world.session.get(ScorePost, post_id).status == "delivered"
    print("\nSCORE POST", score.path, "headers:", json.dumps({k: (v[:20] + "...") if k == "authorization" else v
                                                            for k, v in score.headers.items()
                                                            if k in ("authorization", "content-type")}))
    print("SCORE POST body:", score.body.decode())


def test_a_score_keeps_its_timestamp_on_every_retry(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    _trust_tool(world, lms)
    lms.fail("score", 1, 500)
    lms.fail("score", 1, "timeout")
    lms.fail("token", 1, 503)
    cache = TokenCache()
    outcomes = [_post(world, post_id, cache)[0] for _ in range(4)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.RETRY, Outcome.DELIVERED]
    scores = lms.of("score")
    assert [s.status for s in scores] == [500, 0, 200]
    assert len({s.json()["timestamp"] for s in scores}) == 1 and len({s.body for s in scores}) == 1
    assert world.session.get(ScorePost, post_id).status == "delivered"
    assert [t.status for t in lms.of("token")] == [503, 200]  # then one token, cached across retries


def test_a_token_failure_is_retried_later(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    _trust_tool(world, lms)
    lms.fail("token", 1, 503)
    cache = TokenCache()
    assert _post(world, post_id, cache)[0] is Outcome.RETRY
    assert _post(world, post_id, cache)[0] is Outcome.DELIVERED
    assert len(lms.of("score")) == 1


def test_a_409_counts_as_posted(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    _trust_tool(world, lms)
    lms.fail("score", 1, 409)
    assert _post(world, post_id, TokenCache()) == (Outcome.DELIVERED, None)
    assert world.session.get(ScorePost, post_id).last_status_code == 409


def test_an_older_grade_after_a_newer_one_is_refused_by_the_platform_and_done(world, lms) -> None:  # type: ignore[no-untyped-def]
    from grader.db.models import GradingResult

    add_platform(world, lms)
    sub = graded_submission(world)
    _, (old_post,) = notify.on_submission_graded(world.session, sub.id, regrade=False)
    # a regrade of the same submission, a year later: new current results
    for r in list(sub.results):
        r.is_current = False
        world.session.add(GradingResult(
            submission_id=sub.id, assignment_version_id=r.assignment_version_id, question_id=r.question_id,
            verdict="correct", points=r.max_points, max_points=r.max_points,
            created_at=r.created_at.replace(year=r.created_at.year + 1)))
    world.session.flush()
    _, (new_post,) = notify.on_submission_graded(world.session, sub.id, regrade=True)
    world.session.commit()
    _trust_tool(world, lms)
    cache = TokenCache()
    assert _post(world, new_post, cache)[0] is Outcome.DELIVERED
    assert _post(world, old_post, cache)[0] is Outcome.DELIVERED
    assert [s.status for s in lms.of("score")] == [200, 409]


def test_free_text_waiting_for_review_is_pending_manual(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms)
    sub = graded_submission(world, verdicts=("correct", "needs_review"))
    _, (post_id,) = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    assert world.session.get(ScorePost, post_id).payload["gradingProgress"] == "PendingManual"


def test_no_score_post_without_a_line_item_or_a_linked_student(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_platform(world, lms, link_users=("alice",))
    assert notify.on_submission_graded(world.session, graded_submission(world, "bob").id, regrade=False) == ([], [])


def test_an_assertion_signed_by_another_key_gets_no_token(world, lms) -> None:  # type: ignore[no-untyped-def]
    from grader.lms_protocol.jwks import ToolKey, jwks_document

    add_platform(world, lms)
    _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    lms.tool_jwks = jwks_document([ToolKey.generate()])  # the platform knows another key only
    assert _post(world, post_id, TokenCache())[0] is Outcome.RETRY
    (token_request,) = lms.of("token")
    assert token_request.status == 401 and not token_request.verified and lms.of("score") == []
