"""Wrong answers grouped by mathematical equivalence, not by string.

``2*p_i - 2*y_i``, ``2(p_i-y_i)`` and ``-2y_i+2p_i`` are one mistake made three ways; the
instructor wants to see it once, with a count. Grouping is greedy: each distinct answer text joins
the first group whose representative it is equivalent to (by the question's own comparison, with
its context), else starts a group. Framework-free; the comparison is injected so tests can use
plain data.

>>> rows = [WrongAnswer("2p", "f"), WrongAnswer("p*2", "f"), WrongAnswer("3p", "g")]
>>> same = lambda a, b: sorted(a.replace("*", "")) == sorted(b.replace("*", ""))
>>> [(g.representative, g.count) for g in group_wrong_answers(rows, equivalent=same)]
[('2p', 2), ('3p', 1)]
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

Equivalence = Callable[[str, str], bool]


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong answer as graded: its text, the feedback it got, and whose it was."""

    text: str
    feedback: str = ""
    user_id: int | None = None
    submission_id: int | None = None


@dataclass(frozen=True)
class WrongAnswerGroup:
    """Answers equivalent to each other: the most common text stands for them all."""

    representative: str
    count: int
    students: int
    variants: tuple[tuple[str, int], ...]
    feedback: str

    @property
    def other_variants(self) -> tuple[tuple[str, int], ...]:
        return tuple(v for v in self.variants if v[0] != self.representative)


def answer_text(value: Any) -> str:
    """A stored answer as one string (dict/list answers as canonical JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class Budget:
    """A time budget shared by every comparison of one page (comparisons cost 5-30 ms each).

    ``hit`` records that it ran out, so the page can say the grouping is partial; comparisons
    already made are cached, so the next view goes further.
    """

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.hit = False

    def exhausted(self) -> bool:
        if time.monotonic() > self.deadline:
            self.hit = True
        return self.hit


def group_wrong_answers(
    answers: Iterable[WrongAnswer],
    *,
    equivalent: Equivalence | None = None,
    max_distinct: int = 100,
    top: int = 10,
    budget: Budget | None = None,
) -> list[WrongAnswerGroup]:
    """Groups of equivalent wrong answers, largest first (at most ``top``).

    Only the ``max_distinct`` most common distinct texts are compared, while the ``budget``
    lasts; the others are grouped by exact text only.
    """
    rows = [a for a in answers if a.text]
    by_text = Counter(a.text for a in rows)
    ordered = [t for t, _ in sorted(by_text.items(), key=lambda kv: (-kv[1], kv[0]))]
    compared, rest = ordered[:max_distinct], ordered[max_distinct:]
    clusters: list[list[str]] = []
    for text in compared:
        for cluster in clusters:
            if equivalent is None or (budget is not None and budget.exhausted()):
                continue
            if _safe(equivalent, cluster[0], text):
                cluster.append(text)
                break
        else:
            clusters.append([text])
    clusters.extend([t] for t in rest)
    groups = [_group(cluster, by_text, rows) for cluster in clusters]
    groups.sort(key=lambda g: (-g.count, g.representative))
    return groups[:top]


def _safe(equivalent: Equivalence, a: str, b: str) -> bool:
    """An equivalence that fails (unparseable, timeout) says "not equivalent"."""
    try:
        return bool(equivalent(a, b))
    except Exception:  # noqa: BLE001 - the dashboard must render whatever one answer does
        return False


def _group(cluster: list[str], by_text: Counter[str], rows: list[WrongAnswer]) -> WrongAnswerGroup:
    members = set(cluster)
    mine = [r for r in rows if r.text in members]
    feedback = Counter(r.feedback for r in mine if r.feedback).most_common(1)
    variants = tuple(sorted(((t, by_text[t]) for t in cluster), key=lambda v: (-v[1], v[0])))
    return WrongAnswerGroup(
        representative=variants[0][0],
        count=len(mine),
        students=len({r.user_id for r in mine if r.user_id is not None}) or len(mine),
        variants=variants,
        feedback=feedback[0][0] if feedback else "",
    )


@lru_cache(maxsize=256)
def engine_equivalence(question: Any) -> Equivalence | None:
    """The question's own comparison (parser + ``compare`` with its context), or None when the
    question's answers are not single expressions (AD tables, free text). Cached per question
    (questions are frozen and hashable), with its parses and comparisons, across page views."""
    if getattr(question, "type_name", "") not in ("expression", "number", "limit", "piecewise"):
        return None
    from grader.assignments.keys import grading_context, names_for
    from grader.engine.check import compare
    from grader.engine.parsing import parse
    from grader.engine.results import Verdict

    spec = question.context
    ctx = grading_context(spec)
    names = names_for(spec)

    @lru_cache(maxsize=2048)
    def read(text: str) -> Any:
        try:
            return parse(text, names=names)
        except Exception:  # noqa: BLE001 - unreadable answers never join a group
            return None

    @lru_cache(maxsize=20000)
    def equivalent(a: str, b: str) -> bool:
        pa, pb = read(a), read(b)
        if pa is None or pb is None:
            return False
        result = compare(pa.expr, pb.expr, context=ctx, inexact=pa.inexact or pb.inexact, seed=0,
                         key_guards=pa.guards, answer_guards=pb.guards)
        return result.verdict is Verdict.CORRECT

    return equivalent
