"""Typed results of grading a whole submission: one ``QuestionGrade`` per question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.verdicts import NOT_ATTEMPTS, QuestionVerdict

__all__ = ["Cell", "QuestionGrade", "QuestionVerdict", "SubmissionGrade"]


@dataclass(frozen=True)
class Cell:
    """One graded cell of a multi-part answer (a piecewise region, an AD-table value).

    ``carried`` marks a cell credited because it is right given the student's earlier wrong entries.
    """

    name: str
    correct: bool
    points: float
    max_points: float
    note: str = ""
    carried: bool = False


@dataclass(frozen=True)
class QuestionGrade:
    """The grade of one question. ``cells`` holds partial-credit detail when there is any.

    ``verdict`` and ``points`` are independent: ``incorrect`` may come with full points (an AD
    table credited by error carried forward), so nothing may read "correct" off the points.
    """

    question_id: str
    verdict: QuestionVerdict
    points: float
    max_points: float
    feedback: str = ""
    method: str = ""
    cells: tuple[Cell, ...] = ()
    witness: dict[str, float] | None = None

    @property
    def counts_as_attempt(self) -> bool:
        """Invalid (unreadable) and unanswered answers never use up an attempt."""
        return self.verdict not in NOT_ATTEMPTS

    def to_json(self) -> dict[str, Any]:
        """``{"verdict", "points", "max_points", "feedback", "method"}``."""
        return {
            "verdict": self.verdict.value,
            "points": _num(self.points),
            "max_points": _num(self.max_points),
            "feedback": self.feedback,
            "method": self.method,
        }

    @classmethod
    def from_json(cls, question_id: str, data: dict[str, Any]) -> "QuestionGrade":
        """Back from ``to_json()`` (what crosses a process boundary or sits in the verdict cache).

        >>> g = QuestionGrade("1a", QuestionVerdict.CORRECT, 2.0, 2.0, "ok", "symbolic")
        >>> QuestionGrade.from_json("1a", g.to_json()) == g
        True
        """
        return cls(question_id=question_id, verdict=QuestionVerdict(data["verdict"]),
                   points=float(data["points"]), max_points=float(data["max_points"]),
                   feedback=str(data.get("feedback", "")), method=str(data.get("method", "")))


@dataclass(frozen=True)
class SubmissionGrade:
    """Every question's grade, in the assignment's order, and the totals."""

    assignment_id: str
    questions: tuple[QuestionGrade, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        return round(sum(q.points for q in self.questions), 6)

    @property
    def max_total(self) -> float:
        return round(sum(q.max_points for q in self.questions), 6)

    @property
    def needs_review(self) -> bool:
        """True when an instructor still has to look at some question."""
        return any(q.verdict is QuestionVerdict.NEEDS_REVIEW for q in self.questions)

    def question(self, question_id: str) -> QuestionGrade:
        """The grade of one question, by id (KeyError when absent)."""
        for q in self.questions:
            if q.question_id == question_id:
                return q
        raise KeyError(question_id)

    def to_json(self) -> dict[str, Any]:
        """``{"questions": {id: {...}}, "total": .., "max_total": ..}``."""
        return {
            "questions": {q.question_id: q.to_json() for q in self.questions},
            "total": _num(self.total),
            "max_total": _num(self.max_total),
        }


def _num(x: float) -> float | int:
    """Whole numbers print as ints (``3``, not ``3.0``); others rounded to 4 places."""
    r = round(float(x), 4)
    return int(r) if r == int(r) else r
