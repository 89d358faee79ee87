"""Outbound webhooks against the stand-in: signed, retried with a stable id, never lost or doubled."""

from __future__ import annotations

import json
from typing import Any
from datetime import timedelta

import pytest

from lms_fixtures import add_endpoint, graded_submission  # type: ignore[import-not-found]
from grader.db.base import utcnow
from grader.db.models.lms import WebhookDelivery, WebhookEndpoint
from grader.config import Settings
from grader.services import dispatch
from grader.services.queue import CeleryQueue
from grader.services.lms import notify, outbox
from grader.lms_protocol.webhooks import Outcome
from grader.security.egress import EgressPolicy
from grader.security.egress_http import guarded_session

pytestmark = pytest.mark.integration
FAST = (0, 0, 0, 0, 0, 0, 0)
# the worker's fenced HTTP session; the stand-in listens on loopback, so it is allow-listed
HTTP = guarded_session(EgressPolicy(allowed_hosts=("127.0.0.1",)))


def _deliver(world, delivery_id: int, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("schedule", FAST)
    result = outbox.deliver_webhook(world.session, delivery_id, http=HTTP, **kwargs)
    world.session.commit()
    return result


def test_a_graded_submission_is_delivered_signed_with_every_field(world, lms, queue) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    sub = graded_submission(world)
    deliveries, posts = notify.on_submission_graded(world.session, sub.id, regrade=False)
    assert queue.lms_deliveries == []  # nothing is sent before the commit
    dispatch.commit_and_send(world.session, queue)
    assert queue.lms_deliveries == deliveries and len(deliveries) == 1 and posts == queue.score_posts == []
    assert _deliver(world, deliveries[0]) == (Outcome.DELIVERED, None)
    (got,) = lms.of("webhook")
    assert got.verified and got.status == 204
    body = got.json()
    assert body["type"] == "submission.graded" and body["id"] == got.headers["webhook-id"]
    data = body["data"]
    assert data["submission_id"] == sub.id and data["assignment_key"] == "hw1"
    assert data["score"] == 2.0 and data["max_score"] == 3.0 and data["student_id"] == world.users["alice"].id
    assert [q["question_id"] for q in data["questions"]] == ["q1", "q2"]
    row = world.session.get(WebhookDelivery, deliveries[0])
    assert row.status == "delivered" and row.attempts == 1 and row.last_status_code == 204
    print("\nDELIVERED WEBHOOK headers:", json.dumps({k: v for k, v in got.headers.items()
                                                     if k.startswith("webhook-") or k == "content-type"}, indent=1))
    print("DELIVERED WEBHOOK body:", got.body.decode())


def test_failures_are_retried_under_the_same_id_until_delivered(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    sub = graded_submission(world)
    (delivery_id,), _ = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    lms.fail("webhook", 1, 500)
    lms.fail("webhook", 1, "timeout")
    lms.fail("webhook", 1, 429)
    lms.fail("webhook", 1, 503)
    outcomes = [_deliver(world, delivery_id)[0] for _ in range(5)]
    assert outcomes == [Outcome.RETRY] * 4 + [Outcome.DELIVERED]
    got = lms.of("webhook")
    assert len(got) == 5 and all(r.verified for r in got)
    assert {r.headers["webhook-id"] for r in got} == {got[0].json()["id"]}
    assert {r.body for r in got} == {got[0].body}  # the same bytes every time
    row = world.session.get(WebhookDelivery, delivery_id)
    assert row.attempts == 5 and row.status == "delivered"
    assert _deliver(world, delivery_id) is None  # a late duplicate task sends nothing
    assert len(lms.of("webhook")) == 5


def test_an_attempt_waits_for_its_back_off(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    (delivery_id,), _ = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    lms.fail("webhook", 1, 500)
    outcome, next_at = _deliver(world, delivery_id, schedule=(5, 300))
    assert outcome is Outcome.RETRY and timedelta(seconds=4) < next_at - utcnow() <= timedelta(seconds=5)
    assert _deliver(world, delivery_id, schedule=(5, 300)) is None  # not due yet: nothing sent
    assert len(lms.of("webhook")) == 1
    assert _deliver(world, delivery_id, schedule=(5, 300), now=next_at + timedelta(seconds=1))[0] is Outcome.DELIVERED


def test_out_of_attempts_the_delivery_fails_and_is_logged(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    (delivery_id,), _ = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    lms.fail("webhook", 3, 502)
    outcomes = [_deliver(world, delivery_id, schedule=(0, 0))[0] for _ in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.GIVE_UP]
    row = world.session.get(WebhookDelivery, delivery_id)
    assert row.status == "failed" and row.attempts == 3 and row.last_status_code == 502
    assert "out of attempts" in row.last_error


def test_a_4xx_gives_up_at_once_and_410_disables_the_endpoint(world, lms) -> None:  # type: ignore[no-untyped-def]
    gone = add_endpoint(world, lms, path="/webhook/gone")
    rejecting = add_endpoint(world, lms, path="/webhook/rejecting")
    sub = graded_submission(world)
    first, second = notify.on_submission_graded(world.session, sub.id, regrade=False)[0]
    world.session.commit()
    lms.fail("webhook", 1, 410)
    lms.fail("webhook", 1, 404)
    assert _deliver(world, first)[0] is Outcome.DISABLE
    assert _deliver(world, second)[0] is Outcome.GIVE_UP
    world.session.refresh(gone)
    world.session.refresh(rejecting)
    assert not gone.active and "410" in gone.disabled_reason and rejecting.active
    # a disabled endpoint receives no new events
    later = notify.on_submission_graded(world.session, graded_submission(world, "bob").id, regrade=True)[0]
    assert [world.session.get(WebhookDelivery, i).endpoint_id for i in later] == [rejecting.id]


def test_grading_notified_twice_makes_one_delivery(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    sub = graded_submission(world)
    first = notify.on_submission_graded(world.session, sub.id, regrade=False)
    again = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    assert len(first[0]) == 1 and again == ([], [])
    assert world.session.query(WebhookDelivery).count() == 1


def test_a_regrade_is_a_new_event_with_a_new_id(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms, events=["submission.regraded"])
    sub = graded_submission(world)
    assert notify.on_submission_graded(world.session, sub.id, regrade=False) == ([], [])  # not subscribed
    (regraded,), _ = notify.on_submission_graded(world.session, sub.id, regrade=True)
    world.session.commit()
    _deliver(world, regraded)
    assert lms.of("webhook")[0].json()["type"] == "submission.regraded"


class BrokerDown(CeleryQueue):
    """A producer whose broker cannot be reached."""

    def client(self) -> Any:
        raise ConnectionError("broker down")


def test_nothing_is_lost_when_the_broker_is_down(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    (delivery_id,), _ = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    dispatch.commit_and_send(world.session, BrokerDown(Settings()))  # the send fails after the commit, and only logs
    assert notify.sweep_due(world.session)[0] == [delivery_id]
    _deliver(world, delivery_id)
    assert notify.sweep_due(world.session) == ([], [])
    assert len(lms.of("webhook")) == 1


def test_redeliver_sends_the_same_event_again(world, lms) -> None:  # type: ignore[no-untyped-def]
    add_endpoint(world, lms)
    (delivery_id,), _ = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    _deliver(world, delivery_id)
    assert outbox.redeliver(world.session, delivery_id)
    world.session.commit()
    _deliver(world, delivery_id)
    first, second = lms.of("webhook")
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    assert world.session.query(WebhookEndpoint).count() == 1
