"""The preview flags answers that read but will be graded wrong, before they are submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.db import Session
from grader.db.models import Course, Enrollment, User
from grader.services.previews import suggest
from grader.services.validation import validate_answer
from tests.support.db import add_assignment

SEED = (Path(__file__).resolve().parents[3] / "assignments" / "assignment-4.yaml").read_text(encoding="utf-8")


@pytest.fixture
def student(session: Session) -> Any:
    course = Course(key="intro-ml", title="Intro ML", is_default=True)
    session.add(course)
    add_assignment(session, course, SEED)
    user = User(email="s@example.com", display_name="s")
    session.add_all([user, Enrollment(user=user, course=course, role="student")])
    session.commit()
    return user


def check(session: Session, user: Any, qid: str, answer: str) -> dict[str, Any]:
    return validate_answer(session, user, answer=answer, assignment_key="assignment-4", question_id=qid)


def kinds(out: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in out["flags"]]


def test_a_clean_answer_is_green_with_its_symbols(session: Session, student: Any) -> None:
    out = check(session, student, "1a", "-2(y_i - p_i)")
    assert out["status"] == "ok" and out["flags"] == [] and out["symbols"] == ["p_i", "y_i"]
    assert out["typed_text"] == "-2*(y_i - p_i)"


def test_p_for_p_i_is_red_and_suggests_p_i(session: Session, student: Any) -> None:
    out = check(session, student, "1a", "2(p - y_i)")
    assert out["status"] == "error" and kinds(out) == ["unknown_symbol"]
    assert out["flags"][0]["suggestion"] == "p_i" and "did you mean p_i?" in out["flags"][0]["message"]


def test_a_symbol_outside_allowed_is_red(session: Session, student: Any) -> None:
    out = check(session, student, "1c", "exp(-a_i) p_i^2")
    assert out["status"] == "error" and kinds(out) == ["not_allowed"]
    assert "use only p_i" in out["flags"][0]["message"]


def test_a_word_read_as_a_product_is_flagged(session: Session, student: Any) -> None:
    out = check(session, student, "1f-limit", "zero")
    assert "word_product" in kinds(out) and out["status"] == "error"
    assert "z·e·r·o" in out["flags"][0]["message"]


def test_a_symbol_in_a_limit_answer_is_not_a_number(session: Session, student: Any) -> None:
    out = check(session, student, "1f-limit", "2 p_i")
    assert kinds(out) == ["not_numeric"]
    assert check(session, student, "1f-limit", "0")["status"] == "ok"
    # y_i is defined as 1 in this question: still a number
    assert check(session, student, "1f-limit", "(1 - y_i)*0")["status"] == "ok"


def test_without_a_question_only_words_are_flagged(session: Session) -> None:
    out = validate_answer(session, None, answer="p + zero")
    assert kinds(out) == ["word_product"] and out["status"] == "warning"


def test_an_unreadable_answer_is_red(session: Session) -> None:
    assert validate_answer(session, None, answer="2*(x")["status"] == "error"


@pytest.mark.parametrize(("name", "known", "meant"), [
    ("p", {"p_i", "y_i"}, "p_i"), ("x", {"x_i", "w"}, "x_i"), ("ettta", {"eta", "w"}, "eta"),
    ("q", {"p_i", "y_i"}, None)])
def test_suggestions(name: str, known: set[str], meant: str | None) -> None:
    assert suggest(name, known) == meant
