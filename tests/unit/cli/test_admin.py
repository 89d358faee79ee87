"""``grader admin`` on the embedded SQLite default: migrate, create users (token last), errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.cli import main
from grader.db import make_session_factory
from grader.services.auth import user_from_token


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'var' / 'grader.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "k")
    return url


def test_migrate_then_create_user_prints_a_working_token_last(db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["admin", "migrate"]) == 0
    assert main(["admin", "create-user", "Ann@example.com", "--role", "instructor", "--password", "pw"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    factory = make_session_factory(db_url)
    with factory() as session:
        user = user_from_token(token, session=session)
        assert user is not None and user.email == "ann@example.com"
        assert [(e.course.key, e.role) for e in user.enrollments] == [("default", "instructor")]
    factory.kw["bind"].dispose()


def test_errors_are_one_line_and_exit_1(db_url: str, capsys: pytest.CaptureFixture) -> None:
    main(["admin", "migrate"])
    assert main(["admin", "create-user", "a@example.com", "--role", "student", "--course", "nope"]) == 1
    assert "no course 'nope'" in capsys.readouterr().err


def test_an_unknown_role_is_refused_by_the_parser(db_url: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["admin", "create-user", "a@example.com", "--role", "root"])
    assert info.value.code == 2


def test_load_assignments_prints_each_version(
    db_url: str, tmp_path: Path, assignment_yaml: str, capsys: pytest.CaptureFixture
) -> None:
    if not hasattr(pytest.importorskip("grader.engine.parsing"), "parse"):
        pytest.skip("the engine's parser has not landed yet")
    folder = tmp_path / "assignments"
    folder.mkdir()
    (folder / "hw1.yaml").write_text(assignment_yaml)
    main(["admin", "migrate"])
    assert main(["admin", "load-assignments", str(folder)]) == 0
    assert "hw1: version" in capsys.readouterr().out
    (folder / "bad.yaml").write_text("id: bad\n")
    assert main(["admin", "load-assignments", str(folder)]) == 1
    assert "bad.yaml" in capsys.readouterr().err


def test_create_course_then_enrol_there(db_url: str, capsys: pytest.CaptureFixture) -> None:
    main(["admin", "migrate"])
    assert main(["admin", "create-course", "ml-101", "--title", "Machine learning", "--default"]) == 0
    assert main(["admin", "create-course", "ml-102"]) == 0
    assert main(["admin", "create-user", "b@example.com", "--role", "student"]) == 0
    assert main(["admin", "create-user", "c@example.com", "--role", "student", "--course", "ml-102"]) == 0
    assert main(["admin", "create-course", "bad key!"]) == 1
    factory = make_session_factory(db_url)
    with factory() as session:
        from grader.db.queries.users import user_by_email

        assert [e.course.key for e in user_by_email(session, "b@example.com").enrollments] == ["ml-101"]
        assert [e.course.key for e in user_by_email(session, "c@example.com").enrollments] == ["ml-102"]
    factory.kw["bind"].dispose()


def test_an_unmigrated_database_is_a_clear_error_not_a_traceback(db_url: str, capsys: pytest.CaptureFixture) -> None:
    Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    assert main(["admin", "create-user", "a@example.com", "--role", "student"]) == 1
    err = capsys.readouterr().err
    assert "no such table" in err and "grader admin migrate" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_assignments_directory_is_a_clear_error(db_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    main(["admin", "migrate"])
    capsys.readouterr()
    assert main(["admin", "load-assignments", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "No such file" in err and len(err.strip().splitlines()) == 1


def test_an_unreachable_database_fails_migrate_with_exit_1(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:secretpw@127.0.0.1:1/x?connect_timeout=2")
    monkeypatch.setenv("SECRET_KEY", "k")
    assert main(["admin", "migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("grader admin: cannot migrate") and "secretpw" not in err


def test_a_bad_environment_value_is_a_clear_error(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("GRADING_LEASE_S", "soon")
    assert main(["admin", "create-user", "a@example.com", "--role", "student"]) == 1
    err = capsys.readouterr().err
    assert "bad configuration" in err and "GRADING_LEASE_S" in err and "soon" in err


def test_tokens_are_issued_with_an_expiry_listed_and_revoked_from_the_cli(db_url: str, capsys: pytest.CaptureFixture) -> None:
    main(["admin", "migrate"])
    assert main(["admin", "create-user", "ann@example.com", "--role", "student"]) == 0
    assert main(["admin", "issue-token", "Ann@example.com", "--label", "laptop", "--expires-days", "7"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    token = out[-1]
    assert "expires 20" in out[-2]
    assert main(["admin", "tokens", "ann@example.com"]) == 0
    listing = capsys.readouterr().out
    assert "laptop" in listing and token not in listing and listing.count("active") == 2
    token_id = int(out[-2].split()[1])
    factory = make_session_factory(db_url)
    with factory() as session:
        assert user_from_token(token, session=session) is not None
    assert main(["admin", "revoke-token", str(token_id)]) == 0
    with factory() as session:
        assert user_from_token(token, session=session) is None
    factory.kw["bind"].dispose()
    assert main(["admin", "revoke-token", "999"]) == 1
    assert "token 999 not found" in capsys.readouterr().err
