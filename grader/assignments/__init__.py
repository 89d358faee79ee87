"""Assignments as data: loading and linting assignment files, grading whole submissions.

Pure like the engine, except ``loader`` which reads files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.assignments.errors import AssignmentError, Problem, SubmissionError
from grader.assignments.model import QUESTION_TYPES, AssignmentSpec, Question
from grader.assignments.results import QuestionGrade, QuestionVerdict, SubmissionGrade

if TYPE_CHECKING:  # pragma: no cover
    from grader.assignments.grading import grade_one, grade_submission
    from grader.assignments.lint import lint_assignment, lint_paths
    from grader.assignments.loader import load_assignment

_LAZY = {
    "load_assignment": "grader.assignments.loader",
    "grade_submission": "grader.assignments.grading",
    "grade_one": "grader.assignments.grading",
    "lint_assignment": "grader.assignments.lint",
    "lint_paths": "grader.assignments.lint",
}


def __getattr__(name: str) -> Any:
    """Import the engine-heavy parts only when used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "QUESTION_TYPES", "AssignmentError", "AssignmentSpec", "Problem", "Question", "QuestionGrade",
    "QuestionVerdict", "SubmissionError", "SubmissionGrade", "grade_one", "grade_submission", "lint_assignment",
    "lint_paths", "load_assignment",
]
