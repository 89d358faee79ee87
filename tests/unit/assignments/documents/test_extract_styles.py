"""Documents written in other styles than the seed: LaTeX enumerate/align*, plain text, Markdown lists."""

from __future__ import annotations

from typing import Any

import pytest

from grader.assignments import grade_submission
from grader.assignments.documents import extract_answers
from grader.assignments.model import AssignmentSpec
from tests.unit.assignments.conftest import FIXTURES

DOCS = FIXTURES / "documents"
FORWARD = [
    {"name": "v_{-2}", "expr": "x", "value": 0.3}, {"name": "v_{-1}", "expr": "w", "value": 0.5},
    {"name": "v_0", "expr": "b", "value": 0.1},
]
ADJOINTS = {"v_4": 1, "v_3": 1, "v_2": -16, "v_1": -16, "v_0": -16, "v_{-1}": -4.8, "v_{-2}": -7}
EXPECTED: dict[str, dict[str, Any]] = {
    "latex-enumerate.tex": {
        "1a": "2(y_i - p_i)(-1) = 2p_i - 2y_i",  # align* rows continued with &= are one chain
        "1d": "x_i",
        "1f-limit": r"\lim_{p_i \to 0} \frac{dl_i}{dw} = \boxed{0}",
        "2a": r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & \text{if } y_i a_i > 1 \end{cases}",
    },
    "plain-chains.txt": {
        "1a": "2(y_i - p_i)*(-1) = 2p_i - 2y_i",  # the label dl_i/dp_i = left out
        "1c": "p_i*(1 - p_i)",
        "1f-limit": "0",
        "2a": "Piecewise((-y_i, y_i*a_i < 1), (0, y_i*a_i > 1))",
    },
    "markdown-lists.md": {
        "1a": r"\boxed{-2(y_i - p_i)}",
        "1d": "x_i",
        "1e": "2(p_i - y_i) p_i (1 - p_i) x_i",  # the formula, not the sentence before it
        "2d": "The perceptron changes $w$ only on a mistake and has no weight decay.",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_question_is_found_in_each_style(name: str, assignment4: AssignmentSpec) -> None:
    found = extract_answers(assignment4, (DOCS / name).read_bytes())
    assert found.missing == {}
    for question_id, answer in EXPECTED[name].items():
        assert found.answers[question_id] == answer, question_id
    assert found.answers["3-forward"][:3] == FORWARD
    adjoints = {k.replace("\\bar{v}", "v").replace("{", "").replace("}", ""): v
                for k, v in found.answers["3-adjoint"].items()}
    assert adjoints == {k.replace("{", "").replace("}", ""): v for k, v in ADJOINTS.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_style_grades_as_written(name: str, assignment4: AssignmentSpec) -> None:
    found = extract_answers(assignment4, (DOCS / name).read_bytes())
    grade = grade_submission(assignment4, found.answers, seed=0)
    verdicts = {g.question_id: g.verdict.value for g in grade.questions}
    assert {k for k, v in verdicts.items() if v != "correct"} == {"1f-why", "2d"}, verdicts
    assert verdicts["1f-why"] == verdicts["2d"] == "needs_review"


def test_latex_macros_are_expanded_and_said(assignment4: AssignmentSpec) -> None:
    found = extract_answers(assignment4, (DOCS / "latex-enumerate.tex").read_bytes())
    assert found.answers["1b"] == r"\frac{e^{-a_i}}{(1 + e^{-a_i})^2}"  # \dd{p_i}{a_i} = ... echo left out
    assert any("dd" in n and "pp" in n for n in found.notes)


def test_locations_point_into_the_original_file(assignment4: AssignmentSpec) -> None:
    text = (DOCS / "latex-enumerate.tex").read_text(encoding="utf-8").split("\n")
    found = extract_answers(assignment4, "\n".join(text))
    hit = next(f for f in found.found if f.question_id == "1d")
    assert text[hit.line - 1][hit.column - 1:].startswith(r"$\dd{a_i}{w} = x_i$")
