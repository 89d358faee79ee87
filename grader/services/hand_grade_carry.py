"""What the manual-grading queue shows next to a changed answer: the student's earlier hand grade.

The carrying itself (same answer -> same hand grade) happens where rows are written,
``grader/db/queries/hand_grade_carry.py``; the rule is in docs/grading.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from grader.services.dashboard import ManualItem


def with_earlier_grades(items: Iterable[ManualItem],
                        earlier: Mapping[tuple[int, str], Sequence[Any]]) -> list[ManualItem]:
    """Each waiting item with the newest hand grade of an earlier submission of the same student
    to the same question (``earlier``: newest first, as ``earlier_grades_by_student`` gives)."""
    out = []
    for item in items:
        if not item.graded:
            found = next((g for g in earlier.get((item.user_id, item.question_id), ())
                          if g.submission_id < item.submission_id), None)
            if found is not None:
                item = replace(item, earlier=found)
        out.append(item)
    return out
