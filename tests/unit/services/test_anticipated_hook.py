"""The grading hook for feedback attached from the dashboard: ``merge_anticipated``."""

from __future__ import annotations

from pathlib import Path

from grader.assignments import grade_submission, load_assignment
from grader.services.dashboard_actions import merge_anticipated

SEED = Path(__file__).resolve().parents[3] / "assignments" / "assignment-4.yaml"


def test_attached_feedback_is_given_to_equivalent_answers() -> None:
    assignment = load_assignment(SEED)
    merged = merge_anticipated(assignment, {"1a": [("2p_i + 2y_i", "You added 2y_i: check the sign.")]})
    grade = grade_submission(merged, {"1a": "2(y_i + p_i)"}).question("1a")
    assert grade.verdict.value == "incorrect"
    assert "You added 2y_i" in grade.feedback
    assert merged.question("1a").anticipated_errors[-1].answer == "2p_i + 2y_i"


def test_the_files_own_anticipated_errors_win_and_nothing_else_changes() -> None:
    assignment = load_assignment(SEED)
    own = assignment.question("1a").anticipated_errors[0]
    merged = merge_anticipated(assignment, {"1a": [(own.answer, "other")]})
    assert merged.question("1a").anticipated_errors == assignment.question("1a").anticipated_errors
    assert merge_anticipated(assignment, {}) is assignment
