"""Instructors' LMS settings through the API: endpoints, inbound secret, platform, delivery log."""

from __future__ import annotations

import pytest

from lms_fixtures import graded_submission  # type: ignore[import-not-found]
from grader.services.lms import notify

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"


@pytest.fixture
def api(settings, db_factory, queue):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue,
                      blueprints=[("grader.api", True), ("grader.web.lms", True)]).test_client()


def test_an_instructor_registers_an_endpoint_and_sees_the_delivery_log(api, world, lms, queue) -> None:  # type: ignore[no-untyped-def]
    created = api.post(f"{BASE}/webhooks", json={"url": lms.url + "/webhook"}, headers=world.auth("teacher"))
    assert created.status_code == 201
    endpoint = created.get_json()
    assert endpoint["secret"].startswith("whsec_") and endpoint["events"] == ["submission.graded", "submission.regraded"]
    (delivery_id,), _ = notify.on_submission_graded(world.session, graded_submission(world).id, regrade=False)
    world.session.commit()
    log = api.get(f"{BASE}/deliveries", headers=world.auth("teacher")).get_json()["deliveries"]
    assert [(d["id"], d["status"], d["attempts"]) for d in log] == [(delivery_id, "pending", 0)]
    again = api.post(f"{BASE}/deliveries/{delivery_id}/redeliver", headers=world.auth("teacher"))
    assert again.status_code == 202 and queue.lms_deliveries == [delivery_id]


def test_students_and_other_courses_teachers_are_kept_out(api, world) -> None:  # type: ignore[no-untyped-def]
    assert api.post(f"{BASE}/webhooks", json={"url": "https://x.test/h"}, headers=world.auth("alice")).status_code == 403
    assert api.get(f"{BASE}/deliveries", headers=world.auth("eve")).status_code == 404
    assert api.get(f"{BASE}/deliveries").status_code == 401


def test_an_instructor_registers_a_platform_and_an_inbound_secret(api, world, lms) -> None:  # type: ignore[no-untyped-def]
    body = {"issuer": lms.issuer, "client_id": "abc", "deployment_id": "d1", "auth_login_url": lms.auth_url,
            "token_url": lms.token_url, "jwks_url": lms.jwks_url}
    assert api.post(f"{BASE}/lti-platforms", json=body, headers=world.auth("teacher")).status_code == 201
    assert api.post(f"{BASE}/lti-platforms", json=body, headers=world.auth("teacher")).status_code == 409
    bad = {**body, "client_id": "x", "token_url": "ftp://nope"}
    assert api.post(f"{BASE}/lti-platforms", json=bad, headers=world.auth("teacher")).status_code == 422
    secret = api.post(f"{BASE}/inbound-secrets", headers=world.auth("teacher"))
    assert secret.status_code == 201 and secret.get_json()["secret"].startswith("whsec_")
