"""Feedback instructors attach to wrong answers on the dashboard, applied when grading.

The attached entries (``grader.db.queries.pages.anticipated_errors_for``) travel with a grading's
input (``GradingInput.anticipated``: question id and its (answer, feedback) pairs); ``merge_anticipated`` appends them to the
questions' own anticipated errors before the assignment is graded.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping, Sequence

Extra = Mapping[str, Sequence[tuple[str, str]]]


def merge_anticipated(assignment: Any, extra: Extra) -> Any:
    """The grading hook: ``assignment`` (``grader.assignments``) with the dashboard's anticipated
    errors appended to each question's own (the file's come first, so they win on a tie)."""
    if not extra:
        return assignment
    from grader.assignments.model import AnticipatedError

    questions = []
    for q in assignment.questions:
        added = tuple(AnticipatedError(a, f) for a, f in extra.get(q.id, ()))
        known = {e.answer for e in q.anticipated_errors}
        added = tuple(e for e in added if e.answer not in known)
        questions.append(dataclasses.replace(q, anticipated_errors=q.anticipated_errors + added) if added else q)
    return dataclasses.replace(assignment, questions=tuple(questions), _index={})

