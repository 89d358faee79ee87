"""Finding 2 of issue 12, as the attack: the published compose default (or any weak key) signs
login cookies for anyone, so outside the embedded default the app refuses to start with one."""

from __future__ import annotations

import secrets

import pytest

from grader.app import create_app
from grader.config import Settings
from grader.security.secret_policy import WeakSecretKey, check_secret_key

PG = "postgresql+psycopg://grader@127.0.0.1:5432/never-connected"


@pytest.mark.parametrize("key, why", [
    ("change-me-in-production", "published default"),
    ("", "not set"),
    ("short-but-not-default", "at least 32"),
    ("a" * 40, "not random"),
    ("abababababababababababababababab", "not random"),
])
def test_the_app_refuses_to_start_with_a_weak_secret_key(key: str, why: str) -> None:
    settings = Settings.from_env({"DATABASE_URL": PG, "SECRET_KEY": key})
    with pytest.raises(WeakSecretKey, match=why):
        create_app(settings)


def test_the_published_default_cannot_sign_a_cookie_even_if_long_enough() -> None:
    with pytest.raises(WeakSecretKey):
        check_secret_key("CHANGE-ME-IN-PRODUCTION", embedded=False, testing=False)


def test_a_random_key_starts_the_app() -> None:
    app = create_app(Settings.from_env({"DATABASE_URL": PG, "SECRET_KEY": secrets.token_hex(32)}))
    assert len(app.config["SECRET_KEY"]) == 64


def test_the_embedded_default_and_testing_mode_accept_their_own_keys() -> None:
    check_secret_key("k", embedded=True, testing=False)
    check_secret_key("test-secret", embedded=False, testing=True)


def test_outside_the_embedded_default_no_key_is_made_up(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import grader.config as config

    monkeypatch.setattr(config, "SECRET_KEY_FILE", tmp_path / "var" / "secret_key")
    assert Settings.from_env({"DATABASE_URL": PG}).secret_key == ""
    assert not (tmp_path / "var").exists()
    embedded = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite'}"})
    assert len(embedded.secret_key) == 64
    assert (tmp_path / "var").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600
