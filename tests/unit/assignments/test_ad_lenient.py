"""An AD table with unreadable cells: every problem reported at once, the readable cells graded.
Was: one unbalanced brace made the whole part invalid (0 points) and only the first problem was
named."""

from __future__ import annotations

import json
from pathlib import Path

from grader.assignments import grade_submission, load_assignment
from grader.assignments.ad_lenient import read_graph_leniently

ROOT = Path(__file__).resolve().parents[3]
SEED = load_assignment(ROOT / "assignments" / "assignment-4.yaml")
ROWS = json.loads((ROOT / "tests" / "fixtures" / "seed-submission.json").read_text(encoding="utf-8"))["answers"]["3-forward"]


def forward(rows: list[dict]) -> object:
    return grade_submission(SEED, {"3-forward": rows}).question("3-forward")


def test_the_seed_table_is_fully_right() -> None:
    g = forward(ROWS)
    assert g.verdict.value == "correct" and g.points == g.max_points


def test_one_unreadable_cell_costs_its_own_cells_only() -> None:
    rows = [dict(r) for r in ROWS]
    rows[3]["expr"] = "v_{-2}*(v_{-1}"  # v_1, unbalanced
    g = forward(rows)
    assert g.verdict.value == "incorrect"
    share = g.max_points / 5
    assert abs(g.points - 3 * share) < 1e-9  # v_2, v_3, v_4 still graded right; graph and v_1 not
    assert "row v_1: unbalanced parenthesis" in g.feedback and "v_1 is not graded" in g.feedback


def test_every_problem_of_a_table_is_reported_at_once() -> None:
    rows = [dict(r) for r in ROWS]
    rows[3]["expr"] = "v_{-2}*(v_{-1}"
    rows[5]["expr"] = r"\frac{1}{v_2"
    rows[6]["name"] = "4 4"
    read = read_graph_leniently(rows, SEED.question("3-forward"))
    assert read.graph is not None and len(read.problems) >= 3, read.problems
    text = " ".join(read.problems)
    assert "row v_1" in text and "row v_3" in text and "4 4" in text
    g = forward(rows)
    assert g.points > 0 and all(p in g.feedback for p in read.problems)


def test_a_table_with_nothing_readable_is_invalid_and_says_why() -> None:
    g = forward([{"name": "v_1", "expr": "(((", "value": None}])
    assert g.verdict.value == "invalid" and "cannot read your table" in g.feedback

