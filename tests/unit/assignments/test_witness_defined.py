"""The witness point in the student's own symbols."""

from __future__ import annotations

from pathlib import Path

from grader.assignments import grade_submission, load_assignment

SEED = load_assignment(Path(__file__).resolve().parents[3] / "assignments" / "assignment-4.yaml")


def test_a_witness_names_the_defined_symbols_the_answer_uses() -> None:
    """Was: 'At w=..., x_i=..., y_i=1 ...' for an answer written in p_i, with no p_i in sight."""
    g = grade_submission(SEED, {"1a": "2(p_i + y_i)"}).question("1a")
    assert g.verdict.value == "incorrect" and "At w=" in g.feedback
    assert "There p_i = " in g.feedback and "a_i =" not in g.feedback  # only the symbols it uses
