"""Errors about assignment files and submissions, each naming file, question and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an assignment file (or a submission), located as precisely as we can.

    >>> str(Problem("assignments/a.yaml", "1e", "key", "unbalanced parenthesis at column 14"))
    'assignments/a.yaml: question 1e: key: unbalanced parenthesis at column 14'
    """

    file: str
    question: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.question is not None:
            parts.append(f"question {self.question}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class AssignmentError(Exception):
    """An assignment file that cannot be used; carries every problem found, one per line."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class SubmissionError(Exception):
    """A submission that cannot be graded at all: bad shape, unknown question id."""
