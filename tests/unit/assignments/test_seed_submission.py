"""The seed student's real submission graded as an instructor would, and the assignment catalog."""

from __future__ import annotations

from typing import Any

import pytest

from grader.assignments.grading import grade_submission, key_as_answer
from grader.assignments.lint import lint_paths
from grader.assignments.loader import assignment_files, load_assignment
from grader.assignments.model import AssignmentSpec as Assignment
from grader.assignments.results import QuestionVerdict as V

from .conftest import ASSIGNMENTS

CORRECT = ["1a", "1b", "1d", "1f-limit", "2a", "2b", "2c", "3-forward", "3-adjoint"]


@pytest.fixture(scope="module")
def seed_grade(assignment4: Assignment, seed_answers: dict[str, Any]):
    return grade_submission(assignment4, seed_answers, seed=0)


def test_the_seed_covers_every_question(assignment4: Assignment, seed_answers: dict[str, Any]) -> None:
    assert list(seed_answers) == [q.id for q in assignment4.questions]


@pytest.mark.parametrize("qid", CORRECT)
def test_seed_answers_an_instructor_accepts_are_correct(seed_grade, qid: str) -> None:
    g = seed_grade.question(qid)
    assert g.verdict is V.CORRECT, g.feedback
    assert g.points == g.max_points


def test_seed_1c_restates_the_question(seed_grade) -> None:
    g = seed_grade.question("1c")
    assert g.verdict in (V.INVALID, V.INCORRECT)
    assert g.points == 0
    assert "restates the question" in g.feedback


def test_seed_1e_is_incorrect_and_the_feedback_locates_the_slip(seed_grade) -> None:
    g = seed_grade.question("1e")
    assert g.verdict is V.INCORRECT and g.points == 0
    assert "Your step 3 `(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)` is correct" in g.feedback
    assert "the next step `\\boxed{2p_i^3 e^{-a_i} x_i - 3p_i^2 e^{-a_i} y_i x_i}` is not equal to it" in g.feedback
    assert "they differ at w=" in g.feedback


@pytest.mark.parametrize("qid", ["1f-why", "2d"])
def test_seed_explanations_wait_for_an_instructor(seed_grade, qid: str) -> None:
    g = seed_grade.question(qid)
    assert g.verdict is V.NEEDS_REVIEW and g.points == 0 and g.method == "manual"


def test_seed_total_and_json_shape(seed_grade) -> None:
    out = seed_grade.to_json()
    assert out["max_total"] == 22 and out["total"] == 16
    assert set(out["questions"]["1e"]) == {"verdict", "points", "max_points", "feedback", "method"}
    assert seed_grade.needs_review


def test_grading_is_deterministic_for_a_seed(assignment4: Assignment, seed_answers: dict[str, Any]) -> None:
    a = grade_submission(assignment4, seed_answers, seed=3).to_json()
    b = grade_submission(assignment4, seed_answers, seed=3).to_json()
    assert a == b


# --------------------------------------------------------------------------- catalog

FILES = assignment_files([ASSIGNMENTS])


def test_the_catalog_is_not_empty() -> None:
    assert FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_assignment_loads_and_lints_clean(path) -> None:
    files, problems = lint_paths([path])
    assert files == [path]
    assert problems == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_key_graded_against_itself_is_correct(path) -> None:
    a = load_assignment(path)
    answers = {q.id: key_as_answer(q) for q in a.questions}
    answers = {k: v for k, v in answers.items() if v is not None}
    grade = grade_submission(a, answers)
    for q in a.questions:
        g = grade.question(q.id)
        if q.type_name == "free_text":
            assert g.verdict in (V.NEEDS_REVIEW, V.UNANSWERED)
        elif q.id in answers:
            assert g.verdict is V.CORRECT, (q.id, g.feedback)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_slip_in_1e_is_located_whatever_the_seed(assignment4: Assignment, seed_answers: dict[str, Any],
                                                     seed: int) -> None:
    g = grade_submission(assignment4, {"1e": seed_answers["1e"]}, seed=seed).question("1e")
    assert g.verdict is V.INCORRECT and "Your step 3 `(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)` is correct" in g.feedback
