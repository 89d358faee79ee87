"""Each question type graded through ``grade_submission``: verdicts, points, feedback."""

from __future__ import annotations

import pytest

from grader.assignments.errors import AssignmentError, SubmissionError
from grader.assignments.grading import GRADERS, grade_one, grade_submission
from grader.assignments.model import QUESTION_TYPES, AssignmentSpec as Assignment
from grader.assignments.results import QuestionVerdict as V

from .conftest import make

LOGISTIC = """\
definitions: {a_i: "w*x_i", p_i: "1/(1 + exp(-a_i))"}
domain: {w: [-2, 2], x_i: [-2, 2], y_i: {values: [0, 1]}}
"""


def grade(a: Assignment, qid: str, answer):
    return grade_submission(a, {qid: answer}).question(qid)


def test_every_question_type_has_a_grader() -> None:
    assert set(GRADERS) == set(QUESTION_TYPES)


@pytest.fixture(scope="module")
def logistic() -> Assignment:
    return make("""\
        - id: da
          type: expression
          points: 1
          prompt: dp/da in p only
          key: "p_i*(1 - p_i)"
          check_against: {function: "1/(1 + exp(-a_i))", wrt: a_i}
          allowed: [p_i]
        - id: dw
          type: expression
          points: 2
          prompt: dl/dw
          derivative_of: {function: "(y_i - p_i)^2", wrt: w}
          anticipated_errors:
            - {answer: "2*(p_i - y_i)*p_i*(1 - p_i)", feedback: "Do not forget da_i/dw = x_i."}
        - id: n
          type: number
          points: 1
          prompt: 1/3 to three places
          value: 0.3333
          tolerance: 0.001
        - id: lim
          type: limit
          points: 1
          prompt: a limit
          value: 0
          limit_of: {expression: "2*(p_i - 1)*p_i*(1 - p_i)*x_i", variable: p_i, to: 0}
        - id: why
          type: free_text
          points: 1
          prompt: explain
          rubric: "anything sensible"
    """, LOGISTIC)


@pytest.mark.parametrize("answer", ["p_i(1-p_i)", r"p_i - p_i^2", r"\boxed{p_i\left(1 - p_i\right)}"])
def test_an_expression_in_the_allowed_symbols_is_correct(logistic: Assignment, answer: str) -> None:
    g = grade(logistic, "da", answer)
    assert (g.verdict, g.points) == (V.CORRECT, 1)


def test_an_equal_expression_outside_the_allowed_symbols_is_not_accepted(logistic: Assignment) -> None:
    g = grade(logistic, "da", r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}")
    assert g.verdict is V.INCORRECT and g.method == "allowed" and "only p_i" in g.feedback


def test_a_computed_derivative_key_accepts_any_equivalent_form(logistic: Assignment) -> None:
    for answer in ["2(p_i - y_i) p_i (1 - p_i) x_i",
                   r"-2(y_i - p_i)\frac{e^{-w x_i}}{(1+e^{-w x_i})^2} x_i"]:
        g = grade(logistic, "dw", answer)
        assert g.verdict is V.CORRECT, (answer, g.feedback)


def test_an_anticipated_error_gets_its_feedback(logistic: Assignment) -> None:
    g = grade(logistic, "dw", "2 p_i (1 - p_i)(p_i - y_i)")
    assert g.verdict is V.INCORRECT and g.points == 0
    assert g.feedback == "Do not forget da_i/dw = x_i."
    assert g.method.endswith("anticipated error")


def test_a_wrong_answer_not_anticipated_gets_a_witness(logistic: Assignment) -> None:
    g = grade(logistic, "dw", "2 p_i (1 - p_i)(p_i - y_i) x_i^2")
    assert g.verdict is V.INCORRECT and g.witness and "expected" in g.feedback


def test_an_unreadable_answer_is_invalid_with_its_column(logistic: Assignment) -> None:
    g = grade(logistic, "dw", "2(p_i - y_i")
    assert g.verdict is V.INVALID and "column" in g.feedback and not g.counts_as_attempt


@pytest.mark.parametrize("answer", [r"\frac{d}{da_i}(p_i)", r"\frac{dp_i}{da_i}", "d/da_i p_i",
                                    r"\frac{\partial p_i}{\partial a_i}"])
def test_a_restated_question_is_invalid(logistic: Assignment, answer: str) -> None:
    g = grade(logistic, "da", answer)
    assert g.verdict is V.INVALID and g.method == "restated" and "restates the question" in g.feedback


def test_a_chain_starting_from_the_question_is_graded_on_its_result(logistic: Assignment) -> None:
    assert grade(logistic, "da", r"\frac{d p_i}{d a_i} = \boxed{p_i - p_i^2}").verdict is V.CORRECT


@pytest.mark.parametrize("answer,verdict", [("0.333", V.CORRECT), ("1/3", V.CORRECT), ("0.34", V.INCORRECT)])
def test_a_number_is_right_within_its_tolerance(logistic: Assignment, answer: str, verdict: V) -> None:
    assert grade(logistic, "n", answer).verdict is verdict


@pytest.mark.parametrize("answer,verdict", [("0", V.CORRECT), (r"\boxed{0}", V.CORRECT), ("1", V.INCORRECT)])
def test_a_limit_is_its_value(logistic: Assignment, answer: str, verdict: V) -> None:
    assert grade(logistic, "lim", answer).verdict is verdict


def test_free_text_waits_for_an_instructor_and_blank_is_unanswered(logistic: Assignment) -> None:
    g = grade_submission(logistic, {"why": "Because the gradient vanishes.", "da": "  "})
    assert g.question("why").verdict is V.NEEDS_REVIEW
    for qid in ("da", "dw", "n", "lim"):
        assert g.question(qid).verdict is V.UNANSWERED and g.question(qid).points == 0
    assert g.total == 0 and g.max_total == 6


def test_unknown_question_ids_and_bad_answers_are_submission_errors(logistic: Assignment) -> None:
    with pytest.raises(SubmissionError, match="unknown question id.*9z"):
        grade_submission(logistic, {"9z": "x"})
    with pytest.raises(SubmissionError):
        grade_submission(logistic, ["x"])  # type: ignore[arg-type]


def test_a_non_text_expression_answer_is_invalid(logistic: Assignment) -> None:
    assert grade(logistic, "dw", ["x"]).verdict is V.INVALID
    assert grade(logistic, "n", 0.3333).verdict is V.CORRECT


def test_grade_one_matches_grade_submission(logistic: Assignment) -> None:
    answers = {"da": "p_i(1-p_i)", "dw": "0"}
    assert grade_one(logistic, answers, "dw") == grade_submission(logistic, answers).question("dw")


def test_a_key_that_does_not_parse_is_named_at_load() -> None:
    with pytest.raises(AssignmentError) as info:
        make("""\
            - {id: 1e, type: expression, points: 1, prompt: p, key: "2*(p_i - y_i"}
            - id: 2a
              type: piecewise
              points: 1
              prompt: p
              cases: [{value: "x", when: "x <"}, {value: "0", when: "x > 1"}]
        """)
    messages = [str(p) for p in info.value.problems]
    assert messages[0] == "t.yaml: question 1e: key: unbalanced parenthesis at column 3"
    assert messages[1].startswith("t.yaml: question 2a: cases[0].when:")


# --------------------------------------------------------------------------- piecewise

@pytest.fixture(scope="module")
def hinge() -> Assignment:
    return make("""\
        - id: 2b
          type: piecewise
          points: 2
          prompt: dl/dw
          cases:
            - {value: "-y_i*x_i + 2*w", when: "y_i*a_i < 1"}
            - {value: "2*w", when: "y_i*a_i > 1"}
        - id: 2c
          type: piecewise
          points: 2
          prompt: update rule, y_i = 1
          definitions: {y_i: "1"}
          cases:
            - {value: "w + eta*x_i - 2*eta*w", when: "y_i*a_i < 1"}
            - {value: "w - 2*eta*w", when: "y_i*a_i > 1"}
    """, """\
        definitions: {a_i: "w*x_i"}
        domain: {w: [-2, 2], x_i: [-2, 2], y_i: {values: [-1, 1]}, eta: [0.01, 1]}
    """)


def test_piecewise_regions_earn_their_share(hinge: Assignment) -> None:
    g = grade(hinge, "2b", r"\begin{cases} -y_i x_i + 2w & y_i w x_i < 1 \\ 0 & y_i w x_i > 1 \end{cases}")
    assert g.verdict is V.INCORRECT and g.points == 1 and g.max_points == 2
    assert [c.correct for c in g.cells] == [True, False]
    assert "1 of 2 regions" in g.feedback


def test_piecewise_all_regions_right_is_correct(hinge: Assignment) -> None:
    g = grade(hinge, "2b", "Piecewise((2w - y_i x_i, y_i a_i < 1), (2w, y_i a_i > 1))")
    assert (g.verdict, g.points) == (V.CORRECT, 2)


@pytest.mark.parametrize("answer", [
    r"w \leftarrow \begin{cases} w + \eta y_i x_i - 2\eta w & y_i w x_i < 1 \\ w - 2\eta w & y_i w x_i > 1 \end{cases}",
    r"w \leftarrow \begin{cases} w + \eta x_i - 2\eta w & w x_i < 1 \\ w - 2\eta w & w x_i > 1 \end{cases}",
])
def test_an_update_rule_with_y_kept_or_substituted_is_correct(hinge: Assignment, answer: str) -> None:
    g = grade(hinge, "2c", answer)
    assert g.verdict is V.CORRECT, g.feedback


def test_what_the_engine_cannot_decide_goes_to_an_instructor(monkeypatch: pytest.MonkeyPatch) -> None:
    a = make("- {id: q, type: expression, points: 1, prompt: p, key: 'log(x)', domain: {x: [-2, -1]}}\n")
    g = grade(a, "q", "log(x)")
    assert g.verdict is V.NEEDS_REVIEW and g.method == "undetermined"

    from grader.engine.errors import EngineError

    def broken(*_args):
        raise EngineError("boom")

    monkeypatch.setitem(GRADERS, "expression", broken)
    g = grade(a, "q", "x")
    assert g.verdict is V.NEEDS_REVIEW and g.method == "error: EngineError: boom"


def test_a_last_case_may_be_otherwise() -> None:
    a = make("""\
        - id: r
          type: piecewise
          points: 2
          prompt: relu'
          cases: [{value: "1", when: "x > 0"}, {value: "0", when: otherwise}]
          check_against: {function: "Max(0, x)", wrt: x}
    """)
    from grader.assignments.lint import lint_assignment

    assert lint_assignment(a) == []
    assert grade(a, "r", "Heaviside(x)").verdict is V.CORRECT
    g = grade(a, "r", r"\begin{cases} 1 & x > 0 \\ 1 & x \le 0 \end{cases}")
    assert g.points == 1 and g.verdict is V.INCORRECT
