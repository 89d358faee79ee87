"""Issue 14, problem 4, through a whole launch: short role names give staff rights; a launch
without roles or without ``sub`` gets an explanation page and no account (before: a student
account, or a raw JSON error)."""

from __future__ import annotations

import pytest

from lms_fixtures import add_platform, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models.lms import LtiUserLink

pytestmark = pytest.mark.integration


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    return tool_client(create_app(settings, session_factory=db_factory, queue=queue,
                                  blueprints=[("grader.api", True), ("grader.web.lms", True)]))


@pytest.mark.parametrize("role", ["TeachingAssistant", "Administrator"])
def test_short_staff_role_names_make_course_staff(client, lms, role: str) -> None:  # type: ignore[no-untyped-def]
    assert launch(client, lms, **{LTI + "roles": [role]}).status_code == 303
    assert client.get("/api/v1/me").get_json()["courses"][0]["role"] == "instructor"


def _without(lms, claim: str) -> None:  # type: ignore[no-untyped-def]
    """Make the stand-in leave ``claim`` out of its id_tokens (signed as usual)."""
    import jwt

    original = lms.id_token

    def id_token(**kwargs):  # type: ignore[no-untyped-def]
        claims = jwt.decode(original(**kwargs), options={"verify_signature": False})
        claims.pop(claim)
        return jwt.encode(claims, lms.key_pem, algorithm="RS256", headers={"kid": lms.kid})

    lms.id_token = id_token


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_launch_without_roles_gets_an_explanation_not_an_account(client, lms, world, how: str) -> None:  # type: ignore[no-untyped-def]
    if how == "missing":
        _without(lms, LTI + "roles")
    response = launch(client, lms, **({LTI + "roles": []} if how == "empty" else {}))
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert "did not say what your role" in response.get_data(as_text=True)
    assert world.session.query(LtiUserLink).count() == 0 and client.get("/api/v1/me").status_code == 401


def test_a_launch_without_sub_gets_an_explanation_page(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    _without(lms, "sub")
    response = launch(client, lms)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "without a user identifier" in response.get_data(as_text=True)
    assert world.session.query(LtiUserLink).count() == 0
