"""AD tables: the student's own graph, points per cell, error carried forward."""

from __future__ import annotations

import re

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
    assert "v_3 = 5 is right given your earlier entries but not on the right values: credit carried forward" in f.feedback
    assert "4" not in f.feedback.split("v_3 = 5")[1].split(".")[0]  # the key is not given away


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
    assert "The adjoint of v_0 = 16 is not right." in a.feedback


def test_a_wrong_cell_does_not_reveal_the_key() -> None:
    """Was: 'The adjoint of v_{-2} = 5 is not right (expected -7)' while attempts remained."""
    from grader.assignments.ad_table import grade_cell

    hidden = grade_cell("v_{-2}", 5.0, -7.0, -7.0, 1e-3, 1.0, "The adjoint")
    assert hidden.note == "The adjoint of v_{-2} = 5 is not right." and "-7" not in hidden.note
    shown = grade_cell("v_{-2}", 5.0, -7.0, -7.0, 1e-3, 1.0, "The adjoint", reveal=True)
    assert "(expected -7)" in shown.note


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


# A graph that forgot the "+ x" of y = x + 1/(wx + b): it computes 1/(wx + b).
FORGOT_X = [
    {"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15},
    {"name": "v_2", "expr": "v_1 + v_0", "value": 0.25},
    {"name": "v_3", "expr": r"\frac{1}{v_2}", "value": 4},
]
# Its adjoints, all right for that graph; only x's differs from the true dy/dx = -7.
FORGOT_X_ADJ = {"v_3": 1, "v_2": -16, "v_1": -16, "v_0": -16, "v_{-1}": -4.8, "v_{-2}": -8}


def test_adjoints_right_only_for_a_wrong_graph_keep_their_credit_but_are_not_correct(table: Assignment) -> None:
    # Was: verdict correct, 7/7, "All cells right." though the graph computes another function.
    f, a = grade(table, FORGOT_X, FORGOT_X_ADJ)
    assert f.verdict is V.INCORRECT
    assert a.points == 7 and a.verdict is V.INCORRECT
    assert "All cells right" not in a.feedback
    assert [c.name for c in a.cells if c.carried] == ["v_{-2}"]
    assert "adjoint of v_{-2} = -8 is right for your graph, but not for the function" in a.feedback
    assert "-7" not in a.feedback  # the key's value is not given away while attempts remain


def test_with_a_wrong_graph_the_rows_it_shares_with_the_key_are_judged_on_their_own(table: Assignment) -> None:
    # The rows the student's graph shares with the reference (v_1..v_3, w, b) have the true adjoints.
    _, a = grade(table, FORGOT_X, FORGOT_X_ADJ)
    assert [c.name for c in a.cells if c.correct and not c.carried] == ["v_{-1}", "v_0", "v_1", "v_2", "v_3"]
    assert a.feedback.startswith("Your graph computes 1/(b + w*x), not x + 1/(b + w*x)")


def test_a_wrong_graph_with_no_reference_rows_flags_every_row_it_cannot_check(table: Assignment) -> None:
    # Rows of a wrong graph that match no reference row can only be checked on the student's graph.
    rows = [{"name": "v_1", "expr": "x w + b + 1", "value": 1.25}, {"name": "v_2", "expr": "1/v_1", "value": 0.8}]
    adj = {"v_2": 1, "v_1": -0.64, "x": -0.32, "w": -0.192, "b": -0.64}
    _, a = grade(table, rows, adj)
    assert a.points == 7 and a.verdict is V.INCORRECT
    assert {c.name for c in a.cells if c.carried} == {"v_1", "v_{-2}", "v_{-1}", "v_0"}


def test_with_a_wrong_graph_an_adjoint_right_for_the_function_is_right(table: Assignment) -> None:
    # dy/dx = -7 is the true adjoint of x even though the student's own graph gives -8.
    _, a = grade(table, FORGOT_X, dict(FORGOT_X_ADJ, **{"v_{-2}": -7}))
    assert a.points == 7 and a.verdict is V.INCORRECT
    assert all(c.correct and not c.carried for c in a.cells)
    assert a.feedback.startswith("Your graph computes 1/(b + w*x), not x + 1/(b + w*x)")


def test_a_right_graph_read_back_from_the_forward_part_still_grades_correct(table: Assignment) -> None:
    _, a = grade(table, ROWS, ADJ)
    assert a.verdict is V.CORRECT and a.feedback == "All cells right."


def test_a_row_that_divides_by_zero_is_named_not_printed_as_zoo(table: Assignment) -> None:
    # Was: "Your graph computes zoo, not x + 1/(b + w*x) ... (expected nan)".
    rows = [{"name": "v_1", "expr": "x w + b", "value": 0.25},
            {"name": "v_2", "expr": "1/(v_1 - v_1) + x", "value": 4.3}]
    f, a = grade(table, rows, {"v_2": 1, "v_1": -16})
    assert f.verdict is V.INCORRECT and [c.name for c in f.cells if c.correct] == ["v_1"]
    assert "row v_2 (`1/(v_1 - v_1) + x`) is undefined" in f.feedback
    assert "The value of v_2 is undefined on your graph, so 4.3 cannot be right" in f.feedback
    for text in (f.feedback, a.feedback):
        assert not re.search(r"\b(zoo|nan|oo|inf)\b", text), text


def test_the_function_a_wrong_graph_computes_is_written_as_typed(table: Assignment) -> None:
    rows = [dict(r) for r in ROWS]
    rows[3] = {"name": "v_4", "expr": "v_{-2}^2 + v_3", "value": 4.09}
    f, _ = grade(table, rows)
    assert "Your graph computes x^2 + 1/(b + w*x), not x + 1/(b + w*x) (at " in f.feedback


def test_the_seed_question_3_with_a_graph_that_adds_w_instead_of_x(assignment4: Assignment, seed_answers) -> None:
    # v_4 = v_{-1} + v_3 computes w + 1/(wx + b); adjoints that follow from it were "correct, All cells right".
    rows = [dict(r) for r in seed_answers["3-forward"]]
    rows[6] = {"name": "v_4", "expr": "v_{-1} + v_3", "value": 4.5}
    rows[7] = {"name": "y", "expr": "v_4", "value": 4.5}
    adj = dict(seed_answers["3-adjoint"], **{r"\bar{v}_{-2}": -8, r"\bar{v}_{-1}": -3.8})
    g = grade_submission(assignment4, dict(seed_answers, **{"3-forward": rows, "3-adjoint": adj}))
    fwd, a = g.question("3-forward"), g.question("3-adjoint")
    assert fwd.verdict is V.INCORRECT and "Your graph computes w + 1/(b + w*x), not x + 1/(b + w*x)" in fwd.feedback
    assert (a.verdict, a.points, a.max_points) == (V.INCORRECT, 3.5, 3.5)
    assert "All cells right" not in a.feedback
    assert sorted(c.name for c in a.cells if c.carried) == ["v_{-1}", "v_{-2}"]   # v_4: the seed 1, right anyway
    assert "The adjoint of v_{-2} = -8 is right for your graph, but not for the function" in a.feedback
    assert "The adjoint of v_{-1} = -3.8 is right for your graph, but not for the function" in a.feedback
    assert a.to_json()["verdict"] == "incorrect" and a.to_json()["points"] == 3.5


def test_a_row_of_a_wrong_graph_that_matches_no_part_of_the_function_says_so(table: Assignment) -> None:
    rows = [{"name": "v_1", "expr": "x w + b + 1", "value": 1.25}, {"name": "v_2", "expr": "1/v_1", "value": 0.8}]
    _, a = grade(table, rows, {"v_2": 1, "v_1": -0.64, "x": -0.32, "w": -0.192, "b": -0.64})
    assert ("The adjoint of v_1 = -0.64 is right for your graph, and it matches no part of the function, "
            "so it can be checked only there: credit carried forward.") in a.feedback
