"""``grader serve`` refuses clearly (one line, exit 1, no traceback) what it cannot run with, and
keeps its data across restarts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from grader.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'grader.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "k")
    (tmp_path / "assignments").mkdir()
    monkeypatch.setenv("ASSIGNMENTS_DIR", str(tmp_path / "assignments"))
    return tmp_path


def test_a_bad_environment_value_is_one_line(env: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("PORT", "http")
    assert main(["serve", "--no-worker"]) == 1
    err = capsys.readouterr().err
    assert "bad configuration" in err and "PORT" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("problem", ["missing", "invalid"])
def test_bad_assignments_are_one_line(env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                      problem: str) -> None:
    if problem == "missing":
        monkeypatch.setenv("ASSIGNMENTS_DIR", str(env / "nowhere"))
    else:
        (env / "assignments" / "a.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(["serve", "--no-worker", "--no-demo-users"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("grader serve: cannot prepare the service:") and len(err.strip().splitlines()) == 1


def test_a_port_in_use_is_a_clear_message(env: Path, capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--no-worker", "--no-demo-users", "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_preparing_twice_keeps_the_data(env: Path) -> None:
    from grader.cli.serve import _prepare
    from grader.bootstrap import settings_from_environment
    from grader.db import make_session_factory
    from grader.db.models import Submission, User
    from grader.services.submissions import submit_answers

    root = Path(__file__).resolve().parents[3]
    settings = settings_from_environment().replace(assignments_dir=root / "assignments")
    _prepare(settings, demo_users=True)
    factory = make_session_factory(settings.database_url)
    with factory() as session:
        student = session.query(User).filter_by(email="student@example.com").one()
        sub, _created = submit_answers(session, user=student, assignment_key="assignment-4",
                                       answers={"1a": "2p_i - 2y_i"}, idempotency_key="k1")
        session.commit()
        sid = sub.id
    _prepare(settings, demo_users=True)
    with factory() as session:
        assert session.get(Submission, sid) is not None
        assert session.get(Submission, sid).answers == {"1a": "2p_i - 2y_i"}
        assert session.query(User).filter_by(email="student@example.com").count() == 1
    factory.kw["bind"].dispose()
