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
                       body("1003", jwks_url=None, public_key_pem="-----BEGIN PUBLIC KEY-----\nx\n")):
            with pytest.raises(ServiceError) as caught:
                admin.add_platform(s, other, forged)
            assert caught.value.status == 409
