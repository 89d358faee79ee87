"""Issue 12 finding 3 at registration: an instructor cannot register a webhook endpoint or platform
URL aimed inside the network (422, nothing stored). Only 127.0.0.1 is allow-listed here (the
stand-in); every other internal spelling is refused."""

from __future__ import annotations

import pytest

from grader.db.models.lms import LtiPlatform, WebhookEndpoint
from tests.support.network import loopback_only

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The URLs below name internal addresses: registration must refuse them without a packet sent."""
    loopback_only(monkeypatch)
BASE = "/api/v1/lms/courses/c1"
REFUSED = ["http://localhost:8080/hook", "http://2130706433/hook", "http://0x7f.1/hook", "http://127.1/hook",
           "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook",
           "http://10.0.0.5/hook", "https://user:pass@hooks.example.org/hook"]


@pytest.fixture
def api(settings, db_factory, queue):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue,
                      blueprints=[("grader.api", True), ("grader.web.lms", True)]).test_client()


@pytest.mark.parametrize("url", REFUSED)
def test_an_internal_webhook_url_is_refused_and_nothing_stored(api, world, url: str) -> None:  # type: ignore[no-untyped-def]
    response = api.post(f"{BASE}/webhooks", json={"url": url}, headers=world.auth("teacher"))
    assert response.status_code == 422, response.get_json()
    assert "url" in response.get_json()["error"]
    assert world.session.query(WebhookEndpoint).count() == 0


@pytest.mark.parametrize("field", ["token_url", "jwks_url", "lineitem_url"])
def test_platform_urls_the_server_fetches_are_fenced_too(api, world, field: str) -> None:  # type: ignore[no-untyped-def]
    body = {"issuer": "https://lms.example.org", "client_id": "c-1", "auth_login_url": "https://lms.example.org/auth",
            "token_url": "https://lms.example.org/token", "jwks_url": "https://lms.example.org/jwks",
            field: "http://169.254.169.254/latest"}
    response = api.post(f"{BASE}/lti-platforms", json=body, headers=world.auth("teacher"))
    assert response.status_code == 422 and field in response.get_json()["error"]
    assert world.session.query(LtiPlatform).count() == 0
