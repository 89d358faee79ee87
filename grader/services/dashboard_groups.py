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
from cachetools.func import lru_cache
from typing import Any, Callable, Iterable

Equivalence = Callable[[str, str], bool]
# Two answers given at different variants of a question, each as (variant label, text): the same
# mistake when they stand in the same relation to their own variant's key (``variant_groups``).
Across = Callable[[tuple[str, str], tuple[str, str]], bool]


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong answer as graded: its text, the feedback it got, and whose it was."""

    text: str
    feedback: str = ""
    user_id: int | None = None
    submission_id: int | None = None
    variant: str = ""   # the student's values for this question ("" when it has no parameters)


@dataclass(frozen=True)
class WrongAnswerGroup:
    """Answers equivalent to each other: the most common text stands for them all."""

    representative: str
    count: int
    students: int
    variants: tuple[tuple[str, int], ...]
    feedback: str
    parameter_variants: int = 1   # how many students' variants of the question the group spans

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
    across: Across | None = None,
) -> list[WrongAnswerGroup]:
    """Groups of equivalent wrong answers, largest first (at most ``top``).

    Answers of a question with parameters carry their student's ``variant``: within one variant
    they are compared with ``equivalent``, across variants with ``across`` (never, without it).
    Only the ``max_distinct`` most common distinct texts are compared, while the ``budget``
    lasts; the others are grouped by exact text only.
    """
    rows = [a for a in answers if a.text]
    by_key = Counter((a.variant, a.text) for a in rows)
    ordered = [k for k, _ in sorted(by_key.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))]
    compared, rest = ordered[:max_distinct], ordered[max_distinct:]
    clusters: list[list[tuple[str, str]]] = []
    for key in compared:
        for cluster in clusters:
            if budget is not None and budget.exhausted():
                continue
            if _same(cluster[0], key, equivalent, across):
                cluster.append(key)
                break
        else:
            clusters.append([key])
    clusters.extend([k] for k in rest)
    groups = [_group(cluster, rows) for cluster in clusters]
    groups.sort(key=lambda g: (-g.count, g.representative))
    return groups[:top]


def _same(a: tuple[str, str], b: tuple[str, str], equivalent: Equivalence | None, across: Across | None) -> bool:
    """One variant (or none): the question's own comparison of the texts; two: ``across``."""
    if a[0] == b[0]:
        return a[1] == b[1] or (equivalent is not None and _safe(equivalent, a[1], b[1]))
    return across is not None and _safe(across, a, b)


def _safe(equivalent: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    """An equivalence that fails (unparseable, timeout) says "not equivalent"."""
    try:
        return bool(equivalent(a, b))
    except Exception:  # noqa: BLE001 - the dashboard must render whatever one answer does
        return False


def _group(cluster: list[tuple[str, str]], rows: list[WrongAnswer]) -> WrongAnswerGroup:
    members = set(cluster)
    mine = [r for r in rows if (r.variant, r.text) in members]
    feedback = Counter(r.feedback for r in mine if r.feedback).most_common(1)
    by_text = Counter(r.text for r in mine)
    variants = tuple(sorted(by_text.items(), key=lambda v: (-v[1], v[0])))
    return WrongAnswerGroup(
        representative=variants[0][0],
        count=len(mine),
        students=len({r.user_id for r in mine if r.user_id is not None}) or len(mine),
        variants=variants,
        feedback=feedback[0][0] if feedback else "",
        parameter_variants=len({r.variant for r in mine}),
    )


@lru_cache(maxsize=256)
def engine_equivalence(question: Any) -> Equivalence | None:
    """The question's own comparison (parser + ``compare`` with its context), or None when the
    question's answers are not single expressions (AD tables, free text). Cached per question
    (questions are frozen and hashable), with its parses and comparisons, across page views."""
    if getattr(question, "type_name", "") not in ("expression", "number", "limit", "piecewise"):
        return None
    from grader.assignments.keys import grading_context, names_for
    from grader.engine.equivalence import compare
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
