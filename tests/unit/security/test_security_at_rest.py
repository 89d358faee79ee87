"""Issue 12 finding: "secrets and the LTI private key are stored in plain text in a world-readable
file". Now the SQLite file is 0600 in a 0700 folder, and what the database holds is ciphertext."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import text

from grader.bootstrap import install_key_ring, settings_from_environment
from grader.cli import main
from grader.db import make_engine, make_session_factory
from grader.db.models.lms import InboundWebhookSecret, LtiToolKey, WebhookEndpoint
from grader.db.models import Course
from grader.security import secret_box
from grader.services.provisioning import alembic_config, migrate

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_ring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no key ring installed (the process-wide one is put back after)."""
    monkeypatch.setattr(secret_box, "_installed", [])


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'var' / 'grader.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("ENCRYPTION_KEYS", OLD)
    install_key_ring(settings_from_environment())  # what every entry point does (grader.bootstrap)
    return url


def _raw(url: str, sql: str) -> list[tuple]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql).fetchall()


def test_the_embedded_database_is_private_to_its_owner(db_url: str, tmp_path: Path) -> None:
    migrate(db_url)
    assert (tmp_path / "var").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "var" / "grader.sqlite").stat().st_mode & 0o777 == 0o600


def test_an_existing_world_readable_database_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    path.touch(mode=0o644)
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def _store_secrets(url: str) -> None:
    factory = make_session_factory(url)
    with factory() as s:
        course = Course(key="c", title="c")
        s.add(course)
        s.flush()
        s.add_all([WebhookEndpoint(course_id=course.id, url="https://h.example/x", secret="whsec_endpoint"),
                   InboundWebhookSecret(course_id=course.id, secret="whsec_inbound"),
                   LtiToolKey(kid="k1", private_key_pem="-----BEGIN PRIVATE KEY-----pem")])
        s.commit()
    factory.kw["bind"].dispose()


def _read_secrets(url: str) -> list[str]:
    factory = make_session_factory(url)
    with factory() as s:
        values = [s.query(WebhookEndpoint).one().secret, s.query(InboundWebhookSecret).one().secret,
                  s.query(LtiToolKey).one().private_key_pem]
    factory.kw["bind"].dispose()
    return values


SECRETS = ["whsec_endpoint", "whsec_inbound", "-----BEGIN PRIVATE KEY-----pem"]
RAW = ("SELECT secret FROM lms_webhook_endpoint UNION ALL SELECT secret FROM lms_inbound_secret "
       "UNION ALL SELECT private_key_pem FROM lti_tool_key")


def test_secrets_are_ciphertext_in_the_database_and_plaintext_to_the_code(db_url: str) -> None:
    migrate(db_url)
    _store_secrets(db_url)
    raw = [r[0] for r in _raw(db_url, RAW)]
    assert all(v.startswith("enc:v1:") for v in raw) and not any("whsec" in v or "PRIVATE" in v for v in raw)
    assert _read_secrets(db_url) == SECRETS


def test_rotate_encryption_moves_every_secret_to_the_first_key(db_url: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    migrate(db_url)
    _store_secrets(db_url)  # under OLD
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{NEW},{OLD}")
    monkeypatch.setattr(secret_box, "_installed", [])
    assert main(["admin", "rotate-encryption"]) == 0
    assert "lms_webhook_endpoint: 1 secret(s) re-encrypted" in capsys.readouterr().out
    monkeypatch.setattr(secret_box, "_installed", [])
    secret_box.install(secret_box.KeyRing.from_keys([NEW], secret_key=""))  # OLD dropped
    assert _read_secrets(db_url) == SECRETS
    ring = secret_box.KeyRing.from_keys([NEW], secret_key="")
    assert all(ring.is_current(r[0]) for r in _raw(db_url, RAW))


def test_the_migration_encrypts_secrets_stored_in_clear(db_url: str) -> None:
    config = alembic_config(db_url)
    command.upgrade(config, "sec0001")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO course (id, key, title, is_default, created_at) VALUES (1, 'c', 'c', 0, '2026-01-01')"))
        conn.execute(text("INSERT INTO lms_webhook_endpoint (course_id, url, secret, events, active, disabled_reason, "
                          "created_at) VALUES (1, 'https://h.example/x', 'whsec_endpoint', '[]', 1, '', '2026-01-01')"))
        conn.execute(text("INSERT INTO lms_inbound_secret (course_id, secret, active, created_at) "
                          "VALUES (1, 'whsec_inbound', 1, '2026-01-01')"))
        conn.execute(text("INSERT INTO lti_tool_key (kid, private_key_pem, active, created_at) "
                          "VALUES ('k1', '-----BEGIN PRIVATE KEY-----pem', 1, '2026-01-01')"))
    engine.dispose()
    command.upgrade(config, "head")
    assert all(r[0].startswith("enc:v1:") for r in _raw(db_url, RAW))
    assert _read_secrets(db_url) == SECRETS
    command.downgrade(config, "sec0001")
    assert sorted(r[0] for r in _raw(db_url, RAW)) == sorted(SECRETS)
