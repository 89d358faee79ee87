"""Issue 12: "nothing can be revoked" and "a copied cookie works for 31 days". API tokens,
webhook endpoints, inbound secrets and LTI platforms can now be listed and revoked; logout and a
password change end sessions server-side; the session lifetime is configurable."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest

from grader.db.base import utcnow
from grader.db.models import ApiToken, User
from grader.lms_protocol.signatures import sign_headers


def bearer(site: dict[str, Any], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site['tokens'][who]}"}


# --- API tokens ------------------------------------------------------------------------------------

def test_a_token_is_created_listed_and_revoked_and_then_refused(site: dict[str, Any]) -> None:
    client = site["app"].test_client()
    made = client.post("/api/v1/tokens", json={"label": "ci", "expires_in_days": 30}, headers=bearer(site, "alice"))
    assert made.status_code == 201
    token, token_id = made.get_json()["token"], made.get_json()["id"]
    assert made.get_json()["expires_at"] and made.get_json()["state"] == "active"
    mine = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    listed = client.get("/api/v1/tokens", headers=mine).get_json()["tokens"]
    assert {t["id"] for t in listed} >= {token_id} and not any("token" in t or "token_sha256" in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=bearer(site, "bob")).status_code == 404  # not bob's
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=mine).get_json()["state"] == "revoked"
    assert client.get("/api/v1/me", headers=mine).status_code == 401


def test_an_expired_token_is_refused(site: dict[str, Any]) -> None:
    client = site["app"].test_client()
    made = client.post("/api/v1/tokens", json={"expires_in_days": 1}, headers=bearer(site, "alice")).get_json()
    with site["factory"]() as s:
        s.get(ApiToken, made["id"]).expires_at = utcnow() - timedelta(seconds=1)
        s.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {made['token']}"}).status_code == 401


@pytest.mark.parametrize("body", [{"expires_in_days": 0}, {"expires_in_days": "7"}, {"expires_in_days": True},
                                  {"label": 5}, {"expires_in_days": 99999}])
def test_bad_token_requests_are_422(site: dict[str, Any], body: dict[str, Any]) -> None:
    response = site["app"].test_client().post("/api/v1/tokens", json=body, headers=bearer(site, "alice"))
    assert response.status_code == 422


# --- sessions --------------------------------------------------------------------------------------

def _copy_cookie(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return str(cookie.value)


def _with_cookie(site: dict[str, Any], value: str) -> Any:
    other = site["app"].test_client()
    other.set_cookie("session", value)
    return other


def test_logout_ends_the_session_for_every_copy_of_the_cookie(site: dict[str, Any], login: Any) -> None:
    browser = site["app"].test_client()
    assert login(browser, "alice").status_code == 302
    stolen = _copy_cookie(browser)
    assert _with_cookie(site, stolen).get("/api/v1/me").status_code == 200
    page = browser.get("/").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert _with_cookie(site, stolen).get("/api/v1/me").status_code == 401


def test_a_password_change_ends_existing_sessions(site: dict[str, Any], login: Any) -> None:
    from grader.services import provisioning as admin

    browser = site["app"].test_client()
    login(browser, "alice")
    assert browser.get("/api/v1/me").status_code == 200
    with site["factory"]() as s:
        admin.create_user(s, "alice@example.com", "student", course_key="c1", password="new-password-1",
                          existing=True)
        s.commit()
    assert browser.get("/api/v1/me").status_code == 401


def test_a_session_older_than_its_lifetime_is_refused(site: dict[str, Any], login: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.app import create_app

    app = create_app(site["settings"].replace(session_lifetime_s=60), session_factory=site["factory"])
    browser = app.test_client()
    login(browser, "alice")
    assert browser.get("/api/v1/me").status_code == 200
    import itsdangerous.timed

    class Later:
        @staticmethod
        def time() -> float:
            return time.time() + 120

    monkeypatch.setattr(itsdangerous.timed, "time", Later)
    assert browser.get("/api/v1/me").status_code == 401


def test_a_deactivated_account_is_refused_everywhere(site: dict[str, Any], login: Any) -> None:
    browser = site["app"].test_client()
    login(browser, "alice")
    with site["factory"]() as s:
        s.query(User).filter_by(email="alice@example.com").one().is_active = False
        s.commit()
    assert browser.get("/api/v1/me").status_code == 401  # the login cookie
    assert site["app"].test_client().get("/api/v1/me", headers=bearer(site, "alice")).status_code == 401  # tokens
    assert login(site["app"].test_client(), "alice").status_code == 401  # the login form


# --- webhook endpoints, inbound secrets, LTI platforms ----------------------------------------------

BASE = "/api/v1/lms/courses/c1"


def test_webhook_endpoints_are_listed_disabled_re_enabled_and_deleted(site: dict[str, Any]) -> None:
    client, teacher = site["app"].test_client(), bearer(site, "teacher")
    made = client.post(f"{BASE}/webhooks", json={"url": "https://hooks.example.org/x"}, headers=teacher).get_json()
    listed = client.get(f"{BASE}/webhooks", headers=teacher).get_json()["webhooks"]
    assert [w["id"] for w in listed] == [made["id"]] and "secret" not in listed[0]
    assert client.get(f"{BASE}/webhooks", headers=bearer(site, "alice")).status_code == 403
    assert client.delete(f"/api/v1/lms/courses/c2/webhooks/{made['id']}", headers=bearer(site, "eve")).status_code == 404
    assert client.post(f"{BASE}/webhooks/{made['id']}/disable", headers=teacher).get_json()["active"] is False
    assert client.post(f"{BASE}/webhooks/{made['id']}/enable", headers=teacher).get_json()["active"] is True
    assert client.delete(f"{BASE}/webhooks/{made['id']}", headers=teacher).status_code == 204
    assert client.get(f"{BASE}/webhooks", headers=teacher).get_json()["webhooks"] == []


def _inbound(client: Any, secret: str) -> int:
    body = json.dumps({"course": "c1", "assignment": "hw1", "student": {"email": "alice@example.com"},
                       "answers": {"q1": "2*x"}}).encode()
    headers = sign_headers(secret, f"msg_{time.time_ns()}", body)
    headers["content-type"] = "application/json"
    return int(client.post("/api/v1/lms/submissions", data=body, headers=headers).status_code)


def test_an_inbound_secret_rotates_with_an_overlap_and_can_be_retired(site: dict[str, Any]) -> None:
    client, teacher = site["app"].test_client(), bearer(site, "teacher")
    old = client.post(f"{BASE}/inbound-secrets", headers=teacher).get_json()
    assert _inbound(client, old["secret"]) == 202
    new = client.post(f"{BASE}/inbound-secrets/rotate", json={"overlap_hours": 1}, headers=teacher).get_json()
    assert _inbound(client, old["secret"]) == 202 and _inbound(client, new["secret"]) == 202  # the overlap
    listed = client.get(f"{BASE}/inbound-secrets", headers=teacher).get_json()["secrets"]
    assert [s["expires_at"] is not None for s in listed] == [True, False] and "secret" not in listed[0]
    assert client.post(f"{BASE}/inbound-secrets/rotate", json={"overlap_hours": 0}, headers=teacher).status_code == 201
    assert _inbound(client, old["secret"]) == 401 and _inbound(client, new["secret"]) == 401  # overlap over
    newest = client.get(f"{BASE}/inbound-secrets", headers=teacher).get_json()["secrets"][-1]
    assert client.delete(f"{BASE}/inbound-secrets/{newest['id']}", headers=teacher).get_json()["active"] is False
    assert client.post(f"{BASE}/inbound-secrets/rotate", json={"overlap_hours": -1}, headers=teacher).status_code == 422


def test_lti_platforms_are_listed_edited_with_the_same_checks_and_deleted(site: dict[str, Any]) -> None:
    client, teacher = site["app"].test_client(), bearer(site, "teacher")
    body = {"issuer": "https://lms.example.org", "client_id": "c-1", "auth_login_url": "https://lms.example.org/a",
            "token_url": "https://lms.example.org/t", "jwks_url": "https://lms.example.org/jwks"}
    made = client.post(f"{BASE}/lti-platforms", json=body, headers=teacher).get_json()
    url = f"{BASE}/lti-platforms/{made['id']}"
    assert client.patch(url, json={"client_id": "c-2"}, headers=teacher).get_json()["client_id"] == "c-2"
    refused = client.patch(url, json={"jwks_url": "http://169.254.169.254/jwks"}, headers=teacher)
    assert refused.status_code == 422
    assert client.get(f"{BASE}/lti-platforms", headers=teacher).get_json()["platforms"][0]["jwks_url"] == body["jwks_url"]
    assert client.patch(url, json={"client_id": "x"}, headers=bearer(site, "alice")).status_code == 403
    assert client.delete(url, headers=teacher).status_code == 204
    assert client.get(f"{BASE}/lti-platforms", headers=teacher).get_json()["platforms"] == []
