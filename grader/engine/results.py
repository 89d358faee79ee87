"""Typed results of checking one answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Verdict(str, Enum):
    """Outcome of checking one answer (the ``grader check`` contract's three values)."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    INVALID = "invalid"


@dataclass(frozen=True)
class RegionResult:
    """One region of a piecewise key: its condition as text and whether the answer matches there."""

    condition: str
    correct: bool
    witness: dict[str, float] | None = None


@dataclass(frozen=True)
class CheckResult:
    """Verdict on one answer, with the evidence behind it.

    ``method`` is ``"symbolic"``, ``"numeric:N points"``, ``"parse"`` (invalid) or
    ``"allowed"`` (symbol outside the allowed set). ``witness`` is a point where an incorrect
    answer differs from the key. ``regions`` is filled for piecewise keys.
    """

    verdict: Verdict
    feedback: str = ""
    method: str = ""
    witness: dict[str, float] | None = None
    regions: tuple[RegionResult, ...] = ()
    column: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, id_: Any = None) -> dict[str, Any]:
        """The ``grader check`` output line (without ``id`` when ``id_`` is None)."""
        out: dict[str, Any] = {} if id_ is None else {"id": id_}
        out.update(verdict=self.verdict.value, feedback=self.feedback, method=self.method)
        return out
