"""The witness point in the student's own symbols."""

from __future__ import annotations

import re
from pathlib import Path

from grader.assignments import grade_submission, load_assignment

SEED = load_assignment(Path(__file__).resolve().parents[3] / "assignments" / "assignment-4.yaml")


def test_a_witness_names_the_defined_symbols_the_answer_uses() -> None:
    """Was: 'At w=..., x_i=..., y_i=1 ...' for an answer written in p_i, with no p_i in sight
    (then 'There p_i = 0.347' after it); now the point is given in the answer's own symbols."""
    g = grade_submission(SEED, {"1a": "2(p_i + y_i)"}).question("1a")
    assert g.verdict.value == "incorrect"
    assert re.match(r"At p_i=[\d.]+, y_i=[01] \(w=\S+, x_i=\S+\) your answer is", g.feedback), g.feedback
    assert "a_i" not in g.feedback            # only the symbols it uses
    assert "There p_i" not in g.feedback      # said once, in the point
