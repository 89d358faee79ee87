"""The fault table printed at the end of an integration run: for every fault, submissions accepted,
graded, lost (accepted but never graded: must be 0) and graded twice as current (must be 0).

Fault tests call ``account`` on the database after the fault and ``record`` the row;
``tests/integration/conftest.py`` prints the table in pytest's terminal summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import func, select


@dataclass(frozen=True)
class FaultRow:
    fault: str
    accepted: int
    graded: int
    lost: int
    twice: int


ROWS: list[FaultRow] = []


def account(factory: Any, accepted: Iterable[int], fault: str) -> FaultRow:
    """Count, for the accepted submission ids: graded ones, lost ones (not graded), and those with
    more current result rows than questions (graded twice as current). Records the row."""
    from grader.db.models import GradingResult, Submission

    ids = sorted(set(accepted))
    with factory() as s:
        status = dict(s.execute(select(Submission.id, Submission.status).where(Submission.id.in_(ids))).all())
        current = s.execute(
            select(GradingResult.submission_id, func.count(), func.count(func.distinct(GradingResult.question_id)))
            .where(GradingResult.submission_id.in_(ids), GradingResult.is_current.is_(True))
            .group_by(GradingResult.submission_id)).all()
    graded = sum(1 for sid in ids if status.get(sid) == "graded")
    twice = sum(1 for _sid, rows, questions in current if rows > questions)
    row = FaultRow(fault, len(ids), graded, len(ids) - graded, twice)
    ROWS.append(row)
    return row


def table() -> list[str]:
    """The rows as aligned text lines (empty when no fault test ran)."""
    if not ROWS:
        return []
    head = ("fault", "accepted", "graded", "lost", "graded twice as current")
    body = [(r.fault, str(r.accepted), str(r.graded), str(r.lost), str(r.twice)) for r in ROWS]
    widths = [max(len(x[i]) for x in (head, *body)) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*head), fmt.format(*("-" * w for w in widths)), *(fmt.format(*b) for b in body)]
