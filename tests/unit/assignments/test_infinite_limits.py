"""A limit question whose value is ∞ (issue 9, class 6): its key lints clean and answers in every
spelling of ∞ are graded exactly."""

from __future__ import annotations

import pytest

from grader.assignments.grading import grade_submission
from grader.assignments.lint import lint_assignment
from grader.assignments.results import QuestionVerdict as V

from .conftest import make

LIMITS = make("""\
    - id: up
      type: limit
      points: 1
      prompt: lim_{x -> 0} 1/x^2
      value: oo
      limit_of: {expression: "1/x**2", variable: x, to: 0}
    - id: down
      type: limit
      points: 1
      prompt: lim_{x -> 0+} ln(x)
      value: -oo
    - id: at_infinity
      type: limit
      points: 1
      prompt: lim_{x -> oo} x/(x+1)
      value: 1
      limit_of: {expression: "x/(x + 1)", variable: x, to: oo}
""")


def test_infinite_values_and_limits_at_infinity_lint_clean() -> None:
    assert [str(p) for p in lint_assignment(LIMITS)] == []


@pytest.mark.parametrize(("qid", "answer", "verdict"), [
    ("up", r"\infty", V.CORRECT), ("up", "oo", V.CORRECT), ("up", "∞", V.CORRECT),
    ("up", r"+\infty", V.CORRECT), ("up", r"\boxed{\infty}", V.CORRECT),
    ("up", r"\lim_{x \to 0} \frac{1}{x^2} = \infty", V.CORRECT),
    ("up", r"-\infty", V.INCORRECT), ("up", "1/0", V.INCORRECT), ("up", "10^{9}", V.INCORRECT),
    ("down", r"-\infty", V.CORRECT), ("down", "-oo", V.CORRECT), ("down", r"\infty", V.INCORRECT),
    ("at_infinity", "1", V.CORRECT), ("at_infinity", r"\infty", V.INCORRECT),
])
def test_an_infinite_limit_is_graded_exactly(qid: str, answer: str, verdict: V) -> None:
    assert grade_submission(LIMITS, {qid: answer}).question(qid).verdict is verdict
