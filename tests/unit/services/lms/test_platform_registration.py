"""Registering LTI platforms: an issuer's keys cannot be replaced by another course's registration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.db.models import Course
from grader.db.session import make_session_factory, session_scope
from grader.services.lms import course_settings as admin
from grader.services.errors import ServiceError

CANVAS = "https://canvas.instructure.com"


def _public_pem(bits: int = 2048, *, private: bool = False) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if private:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode()
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture
def factory(tmp_path: Path) -> Any:
    from grader.services.provisioning import migrate

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    migrate(url)
    made = make_session_factory(url)
    yield made
    made.kw["bind"].dispose()


def body(client_id: str, **extra: Any) -> dict[str, Any]:
    return {"issuer": CANVAS, "client_id": client_id, "auth_login_url": "https://sso.example/auth",
            "token_url": "https://canvas.example/token", "jwks_url": "https://sso.example/jwks", **extra}


def test_a_second_course_cannot_register_an_issuer_with_its_own_keys(factory: Any) -> None:
    with session_scope(factory) as s:
        real, other = Course(key="real", title="Real"), Course(key="evil", title="Evil")
        s.add_all([real, other])
        s.flush()
        admin.add_platform(s, real, body("1000"))
        # the same issuer and keys (one Canvas, several developer keys or courses) is fine
        admin.add_platform(s, other, body("1001"))
        for forged in (body("1002", jwks_url="https://attacker.example/jwks"),
                       body("1003", jwks_url=None, public_key_pem=_public_pem())):
            with pytest.raises(ServiceError) as caught:
                admin.add_platform(s, other, forged)
            assert caught.value.status == 409


def _ec_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.mark.parametrize(("extra", "why"), [
    ({"jwks_url": None, "public_key_pem": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"}, "not a PEM"),
    ({"jwks_url": None, "public_key_pem": _public_pem(private=True)}, "private key"),
    ({"jwks_url": None, "public_key_pem": _public_pem(1024)}, "1024-bit"),
    ({"jwks_url": None, "public_key_pem": _ec_pem()}, "RSA"),
    ({"jwks_url": "http://sso.example/jwks"}, "https"),
    ({"token_url": "http://canvas.example/token"}, "https"),
    ({"jwks_url": "https://169.254.169.254/jwks"}, "internal"),
])
def test_keys_and_key_urls_are_checked_at_registration(factory: Any, extra: dict[str, Any], why: str) -> None:
    with session_scope(factory) as s:
        course = Course(key="c", title="C")
        s.add(course)
        s.flush()
        with pytest.raises(ServiceError, match=why) as caught:
            admin.add_platform(s, course, body("2000", **extra))
        assert caught.value.status == 422


def test_a_sound_public_key_is_accepted(factory: Any) -> None:
    with session_scope(factory) as s:
        course = Course(key="c", title="C")
        s.add(course)
        s.flush()
        out = admin.add_platform(s, course, body("2001", jwks_url=None, public_key_pem=_public_pem()))
        assert out["issuer"] == CANVAS
