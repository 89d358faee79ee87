"""The rule for an instructor's grade when the engine grades the answer again (a regrade, a new
version of the assignment): the hand grade wins. ``grader.db.queries.hand_grades`` stores what
this decides."""

from __future__ import annotations

from grader.verdicts import hand_graded_verdict


def carried_grade(hand_points: float, hand_max: float, hand_verdict: str, new_max: float) -> tuple[float, str]:
    """(points, verdict) of a hand grade carried onto a new row: the same points, capped at the new
    maximum; the same verdict while the maximum is unchanged, else the verdict of those points.

    >>> carried_grade(1.5, 2.0, "incorrect", 2.0)
    (1.5, 'incorrect')
    >>> carried_grade(2.0, 2.0, "correct", 1.0)
    (1.0, 'correct')
    """
    points = min(hand_points, new_max)
    verdict = hand_verdict if new_max == hand_max else hand_graded_verdict(points, new_max).value
    return points, verdict
