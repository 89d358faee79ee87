"""The seed's own written part is a valid submission: extracted, located, and graded like the form."""

from __future__ import annotations

import re
from typing import Any

import pytest

from grader.assignments import grade_submission
from grader.assignments.documents import extract_answers
from grader.assignments.model import AssignmentSpec
from tests.unit.assignments.conftest import FIXTURES

SEED = FIXTURES / "documents" / "seed-assignment-4-written.md"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.fixture(scope="module")
def extraction(assignment4: AssignmentSpec) -> Any:
    return extract_answers(assignment4, SEED.read_bytes())


def test_every_question_of_the_seed_is_found(extraction: Any, assignment4: AssignmentSpec) -> None:
    assert extraction.missing == {}
    assert [f.question_id for f in extraction.found] == [q.id for q in assignment4.questions]


def test_the_seed_extracts_to_the_answers_typed_into_the_form(extraction: Any, seed_answers: dict[str, Any],
                                                             assignment4: AssignmentSpec) -> None:
    got = extraction.answers
    for q in assignment4.questions:
        want = seed_answers[q.id]
        if q.type_name == "free_text":  # the form's copy joined paragraphs with ". "
            assert _words(got[q.id]) == _words(want), q.id
        elif isinstance(want, str):
            assert " ".join(got[q.id].split()) == " ".join(want.split()), q.id
        else:
            assert got[q.id] == want, q.id


def test_the_seed_document_grades_to_the_same_verdicts(extraction: Any, seed_answers: dict[str, Any],
                                                       assignment4: AssignmentSpec) -> None:
    from_document = grade_submission(assignment4, extraction.answers, seed=0)
    from_form = grade_submission(assignment4, seed_answers, seed=0)
    verdicts = {g.question_id: g.verdict.value for g in from_document.questions}
    assert verdicts == {g.question_id: g.verdict.value for g in from_form.questions}
    assert verdicts == {
        "1a": "correct", "1b": "correct", "1c": "invalid", "1d": "correct", "1e": "incorrect",
        "1f-limit": "correct", "1f-why": "needs_review", "2a": "correct", "2b": "correct", "2c": "correct",
        "2d": "needs_review", "3-forward": "correct", "3-adjoint": "correct",
    }
    e = next(g for g in from_document.questions if g.question_id == "1e")
    assert "step 3" in e.feedback and "is not equal to it" in e.feedback
    c = next(g for g in from_document.questions if g.question_id == "1c")
    assert "restates the question" in c.feedback


@pytest.mark.parametrize("question_id, opening", [
    ("1a", r"$\frac{dl_i}{dp_i} = 2(y_i"),  # the formula that holds the answer (its echo cut off)
    ("1c", r"$\boxed{\frac{d}{da_i}(p_i)}$"),
    ("2a", r"$$\frac{\partial l_i}{\partial a_i} = \begin{cases}"),
    ("1f-why", "This is bad for learning"),
    ("3-forward", "| $v_{-2}$ | $= x$"),
    ("3-adjoint", r"$\bar{v}_{-2} = \frac"),
])
def test_each_answer_says_where_it_was_found(extraction: Any, question_id: str, opening: str) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    hit = next(f for f in extraction.found if f.question_id == question_id)
    assert lines[hit.line - 1][hit.column - 1:].startswith(opening)
    assert 0.5 <= hit.confidence <= 1.0


def test_a_boxed_answer_is_surer_than_a_plain_one(extraction: Any) -> None:
    by_id = {f.question_id: f for f in extraction.found}
    assert by_id["1a"].confidence > by_id["1b"].confidence
