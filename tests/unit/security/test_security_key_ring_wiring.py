"""The key ring of secrets at rest is installed by the composition root (``grader.bootstrap``) for
the web app, the worker and the CLI, from their settings; ``grader.security.secret_box`` never
reads the environment itself."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from grader import bootstrap
from grader.config import Settings
from grader.security import secret_box
from grader.security.egress import EgressRefused
from tests.support.fakes import FakeQueue

KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def no_ring(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ring installed (the session's is put back after each test), and no wiring."""
    monkeypatch.setattr(secret_box, "_installed", [])
    monkeypatch.setattr(bootstrap, "_current", None)


def _settings() -> Settings:
    return Settings.from_env({"ENCRYPTION_KEYS": KEY}, database_url="sqlite://", secret_key="k", testing=True,
                             broker_url="memory://")


def _encrypts_with_key(ring: secret_box.KeyRing) -> bool:
    return secret_box.KeyRing.from_keys([KEY], secret_key="").is_current(ring.encrypt("x"))


def test_without_the_composition_root_no_ring_is_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCRYPTION_KEYS", KEY)
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    with pytest.raises(secret_box.SecretBoxError, match="grader.bootstrap"):
        secret_box.current()


def test_the_web_app_gets_the_wirings_ring() -> None:
    bootstrap.build_app(bootstrap.Wiring(_settings(), queue_override=FakeQueue()), blueprints=[("grader.api", True)])
    assert _encrypts_with_key(secret_box.current())


def test_the_worker_gets_the_wirings_ring() -> None:
    bootstrap.build_celery(bootstrap.Wiring(_settings()))
    assert _encrypts_with_key(secret_box.current())


def test_the_workers_wiring_from_the_environment_installs_the_ring_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap, "settings_from_environment", lambda: _settings())
    bootstrap.current()
    assert _encrypts_with_key(secret_box.current())


def test_the_cli_installs_the_ring_of_its_environment(monkeypatch: pytest.MonkeyPatch, tmp_path,  # type: ignore[no-untyped-def]
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from grader.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'grader.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("ENCRYPTION_KEYS", KEY)
    assert main(["admin", "migrate"]) == 0
    assert _encrypts_with_key(secret_box.current())


def test_the_workers_http_session_is_fenced() -> None:
    http = bootstrap.Wiring(_settings()).lms_http
    with pytest.raises(EgressRefused):
        http.post("http://169.254.169.254/latest/meta-data/", timeout=1)
