"""Tokens are stored hashed; grader admin creates users, enrols them and loads assignments."""

import hashlib
from pathlib import Path

import pytest

from grader.db import Session
from grader.db.models import ApiToken, AssignmentVersion, Enrollment
from grader.services import provisioning as admin
from grader.services.auth import authenticate, bearer_token, password_matches, set_password, user_from_token
from grader.services.errors import Conflict, InvalidRequest, NotFound


def test_a_token_is_stored_as_its_sha256_only(session: Session) -> None:
    user, token = admin.create_user(session, "Ann@Example.com", "student", password="pw")
    session.commit()
    stored = session.query(ApiToken).one()
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_sha256
    assert user.email == "ann@example.com" and user.password_hash and "pw" not in user.password_hash
    assert user_from_token(token, session=session) is user
    assert user_from_token(token + "x", session=session) is None
    assert authenticate("ann@example.com", "pw", session=session) is user
    assert authenticate("ann@example.com", "wrong", session=session) is None


def test_create_user_enrols_in_the_default_course_and_updates_roles(session: Session) -> None:
    user, _ = admin.create_user(session, "t@example.com", "student")
    admin.create_user(session, "T@Example.com", "instructor", existing=True)
    enrolment = session.query(Enrollment).one()
    assert enrolment.user is user and enrolment.role == "instructor" and enrolment.course.key == "default"


def test_create_user_refuses_bad_input(session: Session) -> None:
    with pytest.raises(InvalidRequest):
        admin.create_user(session, "t@example.com", "root")
    with pytest.raises(InvalidRequest):
        admin.create_user(session, "not-an-email", "student")
    with pytest.raises(NotFound):
        admin.create_user(session, "t@example.com", "student", course_key="nope")


def test_demo_users_are_an_instructor_and_a_student(session: Session) -> None:
    creds = admin.ensure_demo_users(session)
    assert set(creds) == {"instructor", "student"}
    assert user_from_token(creds["student"]["token"], session=session).email == creds["student"]["email"]
    assert authenticate(creds["instructor"]["email"], creds["instructor"]["password"], session=session)


@pytest.mark.parametrize(("header", "token"), [("Bearer abc", "abc"), ("bearer  abc ", "abc"),
                                               ("Basic abc", None), ("Bearer", None), (None, None)])
def test_bearer_tokens_are_read_from_the_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_loading_a_changed_file_adds_a_version_and_keeps_the_old(session: Session, tmp_path: Path, assignment_yaml: str) -> None:
    if not hasattr(pytest.importorskip("grader.engine.parsing"), "parse"):
        pytest.skip("the engine's parser has not landed yet")
    path = tmp_path / "hw1.yaml"
    path.write_text(assignment_yaml)
    [v1] = admin.load_assignments(session, tmp_path)
    [same] = admin.load_assignments(session, tmp_path)
    assert same.id == v1.id
    path.write_text(assignment_yaml.replace('key: "x"', 'key: "x + 0"'))
    [v2] = admin.load_assignments(session, tmp_path)
    session.commit()
    versions = session.query(AssignmentVersion).order_by(AssignmentVersion.id).all()
    assert [v.id for v in versions] == [v1.id, v2.id]
    assert [v.is_current for v in versions] == [False, True]
    assert v2.assignment.course.key == "default" and v2.definition["id"] == "hw1"
    assert v2.source_text.startswith("id: hw1")


def test_an_unknown_email_costs_a_password_hash_like_a_wrong_password(session: Session,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """No user enumeration by timing: every failed login checks one password hash."""
    import werkzeug.security

    from grader.db.models import User
    from grader.services.auth import authenticate, set_password

    user = User(email="known@example.com", display_name="k")
    set_password(user, "right")
    nopw = User(email="nopw@example.com", display_name="n")
    session.add_all([user, nopw])
    session.flush()
    calls: list[str] = []
    real = werkzeug.security.check_password_hash
    monkeypatch.setattr(werkzeug.security, "check_password_hash", lambda h, p: calls.append(p) or real(h, p))
    for email, password in [("known@example.com", "wrong"), ("unknown@example.com", "x"), ("nopw@example.com", "y")]:
        before = len(calls)
        assert authenticate(email, password, session=session) is None
        assert len(calls) == before + 1, email
    assert authenticate("known@example.com", "right", session=session) is user


def test_create_user_on_an_existing_address_is_refused_whatever_its_case(session: Session) -> None:
    user, _ = admin.create_user(session, "t@example.com", "student", password="pw")
    with pytest.raises(Conflict) as info:
        admin.create_user(session, "  T@EXAMPLE.com", "instructor", password="new")
    assert f"#{user.id}" in info.value.message and "student in default" in info.value.message
    assert session.query(Enrollment).one().role == "student" and password_matches(user, "pw")
    assert session.query(ApiToken).count() == 1


def test_addresses_are_stored_lower_case_and_found_in_any_case(session: Session) -> None:
    from grader.db.models import User

    user = User(email="  Mixed@Case.ORG ")
    session.add(user)
    session.flush()
    assert user.email == "mixed@case.org"
    set_password(user, "pw")
    assert authenticate("MIXED@case.org", "pw", session=session) is user


def test_demo_users_are_created_and_shown_once(session: Session) -> None:
    first = admin.ensure_demo_users(session)
    assert set(first) == {"instructor", "student"} and all(c["password"] and c["token"] for c in first.values())
    assert admin.ensure_demo_users(session) == {}
    student = authenticate("student@example.com", first["student"]["password"], session=session)
    assert student is not None  # the first password still works: nothing was reset
