"""Step feedback on derivation chains."""

from __future__ import annotations

from grader.assignments.derivation_steps import step_number
from grader.assignments.grading import grade_submission

from .conftest import make

HEADER = """\
definitions: {a_i: "w*x_i", p_i: "1/(1 + exp(-a_i))"}
domain: {w: [-2, 2], x_i: [-2, 2], y_i: {values: [0, 1]}}
"""


def test_step_numbers_count_every_written_member() -> None:
    text = r"\frac{a}{b} = (x + y) = \boxed{x}"
    assert step_number(text, 1, 9) == 1
    assert step_number(text, text.index("(x"), 9) == 2
    assert step_number(text, text.index(r"\boxed") + 1, 9) == 3
    assert step_number("f(a = b) = c", 12, 9) == 2   # an = inside brackets is not a step


def test_the_slip_is_located_between_the_last_right_step_and_the_next() -> None:
    a = make("""\
        - id: e
          type: expression
          points: 1
          prompt: dl/dw
          derivative_of: {function: "(y_i - p_i)^2", wrt: w}
    """, HEADER)
    answer = r"2(p_i - y_i) p_i (1 - p_i) x_i = 2 p_i^2 x_i - 2 p_i^3 x_i - 2 y_i p_i x_i + 2 y_i p_i^2 x_i = \boxed{2 p_i^2 x_i - 2 p_i^3 x_i}"
    g = grade_submission(a, {"e": answer}).question("e")
    assert g.verdict.value == "incorrect"
    assert "Your step 2 `2 p_i^2 x_i - 2 p_i^3 x_i - 2 y_i p_i x_i + 2 y_i p_i^2 x_i` is correct" in g.feedback
    assert "the next step `\\boxed{2 p_i^2 x_i - 2 p_i^3 x_i}` is not equal to it (they differ at" in g.feedback


def test_no_step_feedback_when_no_step_is_right() -> None:
    a = make("- {id: d, type: expression, points: 1, prompt: p, derivative_of: {function: 'x^2', wrt: x}}\n")
    g = grade_submission(a, {"d": "x = 3x"}).question("d")
    assert g.verdict.value == "incorrect" and "step" not in g.feedback
