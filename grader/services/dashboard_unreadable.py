"""Answers the grader could not read, per question, with the parser's message: what to fix in the
prompt or the help when a question's answers are mostly invalid (1c was 86% invalid, and the
dashboard listed none of them). Framework-free, from the dashboard's plain rows.

>>> from grader.services.dashboard import AnsweredResult
>>> rows = [AnsweredResult(1, 7, "a", "1c", "p(1-p", "invalid", 0, 1, "unbalanced parenthesis at column 2")]
>>> [(u.text, u.count) for u in unreadable_answers(rows)["1c"]]
[('p(1-p', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from grader.services.dashboard import AnsweredResult
from grader.services.dashboard_groups import answer_text

UNREADABLE = "invalid"
MAX_LISTED = 20  # per question, most frequent first


@dataclass(frozen=True)
class UnreadableAnswer:
    """One unreadable answer text, how often it was given, by how many students, and why."""

    text: str
    message: str
    count: int
    students: int


def unreadable_answers(rows: Iterable[AnsweredResult], *, limit: int = MAX_LISTED) -> dict[str, list[UnreadableAnswer]]:
    """question id -> its unreadable answers (most frequent first, at most ``limit``)."""
    seen: dict[str, dict[str, list[AnsweredResult]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.verdict == UNREADABLE:
            seen[r.question_id][answer_text(r.answer)].append(r)
    out: dict[str, list[UnreadableAnswer]] = {}
    for qid, by_text in seen.items():
        items = [UnreadableAnswer(text, rs[-1].feedback or "", len(rs), len({r.user_id for r in rs}))
                 for text, rs in by_text.items()]
        items.sort(key=lambda u: (-u.count, u.text))
        out[qid] = items[:limit]
    return out
