"""AD tables: the student's own graph, points per cell, error carried forward."""

from __future__ import annotations

import pytest

from grader.assignments.grading import grade_submission
from grader.assignments.model import AssignmentSpec as Assignment
from grader.assignments.results import QuestionVerdict as V

from .conftest import make

TABLE = """\
- id: fwd
  type: ad_table
  part: forward
  points: 5
  prompt: forward
  function: "x + 1/(w*x + b)"
  inputs: [x, w, b]
  point: {x: 0.3, w: 0.5, b: 0.1}
  domain: {x: [0.1, 2], w: [0.1, 2], b: [0.1, 2]}
- id: adj
  type: ad_table
  part: adjoint
  graph_from: fwd
  points: 7
  prompt: adjoints
  function: "x + 1/(w*x + b)"
  inputs: [x, w, b]
  point: {x: 0.3, w: 0.5, b: 0.1}
  domain: {x: [0.1, 2], w: [0.1, 2], b: [0.1, 2]}
"""

ROWS = [
    {"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15},
    {"name": "v_2", "expr": "v_1 + v_0", "value": 0.25},
    {"name": "v_3", "expr": r"\frac{1}{v_2}", "value": 4},
    {"name": "v_4", "expr": "v_{-2} + v_3", "value": 4.3},
]
ADJ = {"v_4": 1, "v_3": 1, "v_2": -16, "v_1": -16, "v_0": -16, "v_{-1}": -4.8, "v_{-2}": -7}


@pytest.fixture(scope="module")
def table() -> Assignment:
    return make(TABLE)


def grade(a: Assignment, fwd, adj=None):
    answers = {"fwd": fwd} if adj is None else {"fwd": fwd, "adj": adj}
    g = grade_submission(a, answers)
    return g.question("fwd"), g.question("adj")


def test_a_right_table_without_input_rows_is_correct(table: Assignment) -> None:
    f, a = grade(table, ROWS, ADJ)
    assert (f.verdict, f.points, len(f.cells)) == (V.CORRECT, 5, 5)
    assert (a.verdict, a.points, len(a.cells)) == (V.CORRECT, 7, 7)


def test_a_different_but_valid_graph_is_graded_on_its_own_rows(table: Assignment) -> None:
    rows = [
        {"name": "v_1", "expr": "x w + b", "value": "1/4"},
        {"name": "v_2", "expr": "1/v_1", "value": 4},
        {"name": "v_3", "expr": "v_2 + x", "value": 4.3},
    ]
    adj = {r"\bar{v}_3": 1, "v_2": 1, "v_1": -16, "v_{-2}": -7, "v_{-1}": -4.8, "v_0": -16}
    f, a = grade(table, rows, adj)
    assert f.verdict is V.CORRECT and a.verdict is V.CORRECT, (f.feedback, a.feedback)


def test_a_wrong_value_is_carried_forward_to_later_cells(table: Assignment) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["value"] = 0.2          # wrong
    rows[2]["value"] = 5            # right given 0.2
    rows[3]["value"] = 5.3          # right given 5
    f, _ = grade(table, rows)
    assert f.verdict is V.INCORRECT and f.points == 4
    assert [(c.name, c.correct, c.carried) for c in f.cells] == [
        ("graph", True, False), ("v_1", True, False), ("v_2", False, False), ("v_3", True, True),
        ("v_4", True, True)]
    assert "v_3 = 5 is right given your earlier entries (it should be 4): credit carried forward" in f.feedback


def test_adjoints_use_the_students_own_values_and_adjoints(table: Assignment) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["value"] = 0.2
    adj = dict(ADJ, v_2=-25, v_1=-25, v_0=-25, **{"v_{-1}": -7.5, "v_{-2}": -11.5})
    _, a = grade(table, rows, adj)
    assert a.points == 7 and a.verdict is V.INCORRECT
    assert sum(c.carried for c in a.cells) == 5


def test_a_wrong_adjoint_loses_only_its_cell(table: Assignment) -> None:
    _, a = grade(table, ROWS, dict(ADJ, v_0=16))
    assert a.points == 6 and [c.name for c in a.cells if not c.correct] == ["v_0"]
    assert "The adjoint of v_0 = 16 is not right (expected -16)" in a.feedback


def test_a_graph_that_computes_another_function_loses_the_graph_cell(table: Assignment) -> None:
    rows = [dict(r) for r in ROWS]
    rows[3] = {"name": "v_4", "expr": "v_{-1} + v_3", "value": 4.5}
    f, _ = grade(table, rows)
    assert f.points == 4 and not f.cells[0].correct
    assert "Your graph computes" in f.feedback


def test_missing_values_and_adjoints_are_wrong_cells(table: Assignment) -> None:
    rows = [dict(r) for r in ROWS]
    del rows[2]["value"]
    f, a = grade(table, rows, {"v_4": 1})
    assert f.points == 4 and "The value of v_3 is missing" in f.feedback
    assert a.points == 1


@pytest.mark.parametrize("rows,message", [
    ("v_1 = x w", "expected a list of rows"),
    ([{"name": "v_1", "expr": "v_7 + 1", "value": 1}], "uses v_7, which is not defined above it"),
    ([{"name": "v_1", "expr": "x w"}, {"name": "v_1", "expr": "v_1 + b"}], "defined twice"),
    ([{"name": "v_1", "expr": "x (w", "value": 1}], "row v_1: unbalanced parenthesis"),
])
def test_an_unreadable_table_is_invalid(table: Assignment, rows, message: str) -> None:
    f, _ = grade(table, rows)
    assert f.verdict is V.INVALID and message in f.feedback


def test_adjoints_without_a_readable_graph_are_invalid(table: Assignment) -> None:
    _, a = grade(table, "nonsense", ADJ)
    assert a.verdict is V.INVALID and "need your graph" in a.feedback


def test_adjoints_may_carry_their_own_rows(table: Assignment) -> None:
    g = grade_submission(table, {"adj": {"adjoints": ADJ, "rows": ROWS}})
    assert g.question("adj").verdict is V.CORRECT
    assert g.question("fwd").verdict is V.UNANSWERED


def test_input_adjoints_may_be_named_by_the_input(table: Assignment) -> None:
    adj = {"v_4": 1, "v_3": 1, "v_2": -16, "v_1": -16, r"\bar{b}": -16, "w": -4.8, "x": -7}
    _, a = grade(table, ROWS, adj)
    assert a.verdict is V.CORRECT, a.feedback
