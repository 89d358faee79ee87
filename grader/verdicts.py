"""The verdict on one question, used from the assignment grader to the stored row and the pages.

A ``str`` enum, so a stored value compares equal to its member (``"correct" == CORRECT``). It
sits outside the layers (``grader.db`` stores it, ``grader.assignments`` decides it).
"""

from __future__ import annotations

from enum import Enum


class QuestionVerdict(str, Enum):
    """Verdict on one question of a submission (the engine's three, plus two of our own)."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    UNANSWERED = "unanswered"
    NEEDS_REVIEW = "needs_review"


NOT_ATTEMPTS = (QuestionVerdict.INVALID, QuestionVerdict.UNANSWERED)  # never use up an attempt


def hand_graded_verdict(points: float, max_points: float) -> QuestionVerdict:
    """An instructor's points as a verdict: full marks are correct, anything less incorrect.

    >>> hand_graded_verdict(2, 2).value, hand_graded_verdict(1.5, 2).value
    ('correct', 'incorrect')
    """
    return QuestionVerdict.CORRECT if points >= max_points else QuestionVerdict.INCORRECT
