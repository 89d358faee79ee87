"""Deadlines: an optional ``due`` (ISO 8601 date-time with a timezone) on the assignment and on
each question (the question's own wins), and ``late`` (``accept``, the default, or ``refuse``).

After ``due`` the key may be shown; a late submission is still taken unless ``late: refuse``.
Pure: the current time always comes in as an argument (the caller's clock).

>>> q = {"id": "q1"}
>>> due_of({"due": "2026-12-01T23:59:00+01:00"}, q).isoformat()
'2026-12-01T23:59:00+01:00'
>>> past_due({"due": "2026-12-01T23:59:00Z"}, q, parse_due("2026-12-02T00:00:00Z"))
True
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

LATE_POLICIES = ("accept", "refuse")


class DueError(ValueError):
    """A ``due`` that is not an ISO 8601 date-time with a timezone."""


def parse_due(text: Any) -> datetime:
    """``text`` as a timezone-aware datetime (``2026-12-01T23:59:00Z``, ``...+01:00``)."""
    if isinstance(text, datetime):
        value = text
    elif isinstance(text, str):
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise DueError(f"{text!r} is not an ISO 8601 date-time (e.g. 2026-12-01T23:59:00+01:00)") from None
    else:
        raise DueError(f"{text!r} is not an ISO 8601 date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise DueError(f"{text!r} has no timezone (add Z or an offset such as +01:00)")
    return value


def due_of(assignment: Mapping[str, Any], question: Mapping[str, Any]) -> datetime | None:
    """The deadline of ``question`` in ``assignment`` (raw documents): its own, else the
    assignment's, else None. A stored document was validated on load, so it parses."""
    raw = question.get("due", assignment.get("due"))
    return None if raw is None else parse_due(raw)


def late_policy(assignment: Mapping[str, Any], question: Mapping[str, Any]) -> str:
    """``accept`` or ``refuse``: the question's own, else the assignment's, else ``accept``."""
    return str(question.get("late", assignment.get("late", "accept")))


def past_due(assignment: Mapping[str, Any], question: Mapping[str, Any], now: datetime) -> bool:
    """Has the deadline of ``question`` passed at ``now`` (False without a deadline)?"""
    due = due_of(assignment, question)
    return due is not None and now >= due


def closed(assignment: Mapping[str, Any], question: Mapping[str, Any], now: datetime) -> bool:
    """Past due and refusing late answers."""
    return past_due(assignment, question, now) and late_policy(assignment, question) == "refuse"


def question_deadlines(assignment: Mapping[str, Any]) -> dict[str, datetime | None]:
    """question id -> its deadline (None: none), for a raw assignment document."""
    return {str(q["id"]): due_of(assignment, q) for q in assignment.get("questions", [])}
