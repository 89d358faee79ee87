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
    assert merged.question("1a").anticipated_errors[0].answer == "2p_i + 2y_i"


def test_feedback_attached_to_an_anticipated_error_group_is_applied() -> None:
    """Was: the file's anticipated error won, so the feedback attached to its group on the
    dashboard was never given, though the page said a regrade would apply it."""
    assignment = load_assignment(SEED)
    own = assignment.question("1a").anticipated_errors[0]
    before = grade_submission(assignment, {"1a": "2y_i - 2p_i"}).question("1a")
    assert before.feedback.startswith(own.feedback)
    merged = merge_anticipated(assignment, {"1a": [("2(y_i - p_i)", "Instructor: mind the inner derivative.")]})
    after = grade_submission(merged, {"1a": "2y_i - 2p_i"}).question("1a")
    assert "Instructor: mind the inner derivative." in after.feedback and own.feedback not in after.feedback
    # the exact text the file anticipates is replaced, not listed twice
    merged = merge_anticipated(assignment, {"1a": [(own.answer, "other")]})
    assert [(e.answer, e.feedback) for e in merged.question("1a").anticipated_errors] == [(own.answer, "other")]
    assert merge_anticipated(assignment, {}) is assignment
