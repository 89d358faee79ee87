"""Issue 12: "login accepts 100 wrong passwords in 13 s". Failed logins are now limited per
account and per client address: 429 with Retry-After, limits from the settings."""

from __future__ import annotations

import re
from typing import Any

import pytest

from grader.config import Settings

PASSWORD = "pw-for-security-tests"


def _app(site: dict[str, Any], **changes: Any) -> Any:
    from grader.app import create_app

    return create_app(site["settings"].replace(**changes), session_factory=site["factory"])


def _attempt(client: Any, email: str, password: str, address: str = "10.0.0.1") -> Any:
    page = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_guessing_one_accounts_password_is_stopped_from_any_address(site: dict[str, Any]) -> None:
    client = _app(site, login_limit_per_account="3 per 15 minutes").test_client()
    for n in range(3):
        assert _attempt(client, "alice@example.com", f"guess-{n}", address=f"10.0.0.{n}").status_code == 401
    refused = _attempt(client, " ALICE@example.com", "guess-3", address="10.0.0.9")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    # while limited even the right password waits: the guesser cannot tell a hit from a miss
    assert _attempt(client, "alice@example.com", PASSWORD, address="10.0.0.10").status_code == 429
    assert _attempt(client, "bob@example.com", PASSWORD, address="10.0.0.11").status_code == 302  # others unaffected


def test_one_address_trying_many_accounts_is_stopped(site: dict[str, Any]) -> None:
    client = _app(site, login_limit_per_address="4 per 15 minutes").test_client()
    for n in range(4):
        assert _attempt(client, f"user{n}@example.com", "x", address="192.0.2.7").status_code == 401
    refused = _attempt(client, "bob@example.com", PASSWORD, address="192.0.2.7")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert _attempt(client, "bob@example.com", PASSWORD, address="192.0.2.8").status_code == 302


def test_successful_logins_do_not_count(site: dict[str, Any]) -> None:
    app = _app(site, login_limit_per_account="2 per 15 minutes")
    for _ in range(5):
        assert _attempt(app.test_client(), "alice@example.com", PASSWORD).status_code == 302


def test_the_default_limits_and_their_configuration() -> None:
    default = Settings.from_env({"SECRET_KEY": "k"})
    assert (default.login_limit_per_account, default.login_limit_per_address) == ("10 per 15 minutes",
                                                                                   "50 per 15 minutes")
    assert default.rate_limit_storage_url == "memory://"  # the embedded default: in memory
    env = {"SECRET_KEY": "k", "LOGIN_LIMIT_PER_ACCOUNT": "5/minute", "CELERY_BROKER_URL": "redis://r:6379/0"}
    configured = Settings.from_env(env)
    assert configured.login_limit_per_account == "5/minute"
    assert configured.rate_limit_storage_url == "redis://r:6379/0"  # production: shared through Redis
    assert Settings.from_env({**env, "RATE_LIMIT_STORAGE_URL": "redis://other/1"}).rate_limit_storage_url == \
        "redis://other/1"
    with pytest.raises(ValueError, match="LOGIN_LIMIT_PER_ADDRESS"):
        Settings.from_env({"SECRET_KEY": "k", "LOGIN_LIMIT_PER_ADDRESS": "lots"})
