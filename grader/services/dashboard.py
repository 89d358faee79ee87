"""The instructor dashboard's numbers, computed from plain rows (no Flask, no SQLAlchemy).

``grader/db/queries/pages.py`` turns the database into ``AnsweredResult``/``SubmissionRow`` lists; the
functions here compute what the page shows. Scores and per-question rates use each student's
latest submission (the one that counts); wrong answers are gathered from every submission.

>>> rows = [AnsweredResult(1, 7, "a", "1a", "2p", "correct", 1, 1)]
>>> per_question_table(rows, [QuestionInfo("1a", "expression", 1)])[0].percent_correct
100.0
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from grader.verdicts import QuestionVerdict
from grader.services.dashboard_groups import (
    Across,
    Budget,
    Equivalence,
    WrongAnswer,
    WrongAnswerGroup,
    answer_text,
    group_wrong_answers,
)

WRONG_VERDICTS = (QuestionVerdict.INCORRECT,)


@dataclass(frozen=True)
class QuestionInfo:
    """What the dashboard needs to know about a question."""

    id: str
    type: str
    points: float
    prompt: str = ""


@dataclass(frozen=True)
class AnsweredResult:
    """One current grading result with the answer it graded."""

    submission_id: int
    user_id: int
    user_label: str
    question_id: str
    answer: Any
    verdict: str
    points: float
    max_points: float
    feedback: str = ""
    method: str = ""
    result_id: int | None = None


@dataclass(frozen=True)
class SubmissionRow:
    """One submission with its status and current total (None while not graded)."""

    submission_id: int
    user_id: int
    user_label: str
    status: str
    created_at: Any
    total: float | None
    max_total: float | None


@dataclass(frozen=True)
class ScoreBin:
    """Scores in ``[low, high)`` (the last bin includes ``high``)."""

    low: float
    high: float
    count: int
    last: bool = False

    @property
    def label(self) -> str:
        """The bin with its bounds: ``[0, 2)``, the last one closed: ``[20, 22]`` ("0–2" left it
        unclear which bin a score of 2 fell in)."""
        return f"[{_fmt(self.low)}, {_fmt(self.high)}{']' if self.last else ')'}"


@dataclass(frozen=True)
class QuestionRow:
    """One line of the per-question table."""

    question_id: str
    type: str
    answered: int
    percent_correct: float
    mean_points: float
    max_points: float
    invalid_rate: float
    needs_review: int


@dataclass(frozen=True)
class Summary:
    """Headline numbers of an assignment."""

    submissions: int
    students: int
    graded: int
    pending: int
    mean_score: float | None
    max_score: float
    bins: tuple[ScoreBin, ...] = field(default_factory=tuple)


def latest_per_student(submissions: Iterable[SubmissionRow]) -> dict[int, SubmissionRow]:
    """user id -> that user's latest graded submission (by id)."""
    out: dict[int, SubmissionRow] = {}
    for s in submissions:
        if s.status == "graded" and (s.user_id not in out or s.submission_id > out[s.user_id].submission_id):
            out[s.user_id] = s
    return out


def score_bins(scores: Sequence[float], max_score: float, *, bins: int = 12) -> list[ScoreBin]:
    """Counts of ``scores`` in at most ``bins`` bins of a round width (1, 2, 2.5, 5, 10, ...) over
    ``[0, max_score]``; the last bin includes ``max_score``.

    >>> [(b.label, b.count) for b in score_bins([0, 5, 10, 10], 10, bins=2)]
    [('[0, 5)', 1), ('[5, 10]', 3)]
    """
    top = max_score if max_score > 0 else 1.0
    width = _round_width(top / max(1, bins))
    n = max(1, math.ceil(top / width - 1e-9))
    counts = [0] * n
    for score in scores:
        clamped = min(max(float(score), 0.0), top)
        counts[min(int(clamped / width), n - 1)] += 1
    return [ScoreBin(i * width, min((i + 1) * width, top), c, last=i == n - 1) for i, c in enumerate(counts)]


def _round_width(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``raw``."""
    scale = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for step in (1, 2, 2.5, 5, 10):
        if step * scale >= raw - 1e-12:
            return step * scale
    return 10 * scale


def summarize(submissions: Sequence[SubmissionRow], max_score: float, *, bins: int = 12) -> Summary:
    """Counts, mean score and the histogram over each student's latest graded submission."""
    latest = latest_per_student(submissions)
    scores = [s.total for s in latest.values() if s.total is not None]
    return Summary(
        submissions=len(submissions),
        students=len({s.user_id for s in submissions}),
        graded=sum(1 for s in submissions if s.status == "graded"),
        pending=sum(1 for s in submissions if s.status != "graded"),
        mean_score=round(sum(scores) / len(scores), 2) if scores else None,
        max_score=max_score,
        bins=tuple(score_bins(scores, max_score, bins=bins)),
    )


def counted_rows(rows: Iterable[AnsweredResult], submissions: Iterable[SubmissionRow]) -> list[AnsweredResult]:
    """The rows of each student's latest graded submission."""
    keep = {s.submission_id for s in latest_per_student(submissions).values()}
    return [r for r in rows if r.submission_id in keep]


def per_question_table(rows: Iterable[AnsweredResult], questions: Sequence[QuestionInfo]) -> list[QuestionRow]:
    """Percent correct, mean points and invalid rate per question, in the assignment's order."""
    by_q: dict[str, list[AnsweredResult]] = defaultdict(list)
    for r in rows:
        by_q[r.question_id].append(r)
    table = []
    for q in questions:
        mine = by_q.get(q.id, [])
        n = len(mine)
        answered = [r for r in mine if r.verdict != QuestionVerdict.UNANSWERED]
        table.append(QuestionRow(
            question_id=q.id,
            type=q.type,
            answered=len(answered),
            percent_correct=_pct(sum(r.verdict == QuestionVerdict.CORRECT for r in mine), n),
            mean_points=round(sum(r.points for r in mine) / n, 2) if n else 0.0,
            max_points=q.points,
            invalid_rate=_pct(sum(r.verdict == QuestionVerdict.INVALID for r in mine), n),
            needs_review=sum(r.verdict == QuestionVerdict.NEEDS_REVIEW for r in mine),
        ))
    return table


def wrong_answer_groups(
    rows: Iterable[AnsweredResult],
    questions: Sequence[QuestionInfo],
    *,
    equivalence_for: Callable[[str], Equivalence | None],
    top: int = 5,
    budget: Budget | None = None,
    variant_of: Callable[[AnsweredResult], str] | None = None,
    across_for: Callable[[str], Across | None] | None = None,
) -> dict[str, list[WrongAnswerGroup]]:
    """question id -> its most common wrong answers, grouped by equivalence (for a question
    with parameters: per ``variant_of`` the student, and ``across_for`` variants)."""
    by_q: dict[str, list[WrongAnswer]] = defaultdict(list)
    for r in rows:
        if r.verdict in WRONG_VERDICTS:
            by_q[r.question_id].append(WrongAnswer(answer_text(r.answer), r.feedback, r.user_id, r.submission_id,
                                                   variant_of(r) if variant_of else ""))
    return {
        q.id: group_wrong_answers(by_q[q.id], equivalent=equivalence_for(q.id), top=top, budget=budget,
                                  across=across_for(q.id) if across_for else None)
        for q in questions
        if q.type != "free_text" and by_q.get(q.id)
    }


def hand_graded(method: str, verdict: str) -> bool:
    """An instructor's grade: method ``manual`` with a verdict (the engine marks free text that
    waits for one as ``manual`` + ``needs_review``)."""
    return method == "manual" and verdict != QuestionVerdict.NEEDS_REVIEW


@dataclass(frozen=True)
class ManualItem:
    """A free-text answer waiting for (or given) an instructor's points and comment."""

    result_id: int | None
    submission_id: int
    user_label: str
    question_id: str
    answer: str
    max_points: float
    points: float
    graded: bool
    comment: str = ""  # the instructor's comment once graded (the form starts from it)
    user_id: int = 0
    earlier: Any = None  # a hand grade of an earlier, different answer (hand_grade_carry.EarlierGrade)


def manual_queue(rows: Iterable[AnsweredResult], questions: Sequence[QuestionInfo], *,
                 include_graded: bool = False) -> list[ManualItem]:
    """Free-text answers waiting for an instructor (and, with ``include_graded``, those graded by
    hand), those waiting first, oldest first. Unanswered questions are not listed."""
    free = {q.id for q in questions if q.type == "free_text"}
    items = [
        ManualItem(r.result_id, r.submission_id, r.user_label, r.question_id, answer_text(r.answer),
                   r.max_points, r.points, graded=hand_graded(r.method, r.verdict),
                   comment=(r.feedback or "") if hand_graded(r.method, r.verdict) else "", user_id=r.user_id)
        for r in rows
        if r.question_id in free
        and (r.verdict == QuestionVerdict.NEEDS_REVIEW or (include_graded and hand_graded(r.method, r.verdict)))
    ]
    items.sort(key=lambda i: (i.graded, i.submission_id, i.question_id))
    return items


@dataclass(frozen=True)
class StudentLine:
    """One student on the per-student list."""

    user_id: int
    user_label: str
    attempts: int
    latest_submission_id: int
    latest_status: str
    score: float | None
    max_score: float | None


def student_lines(submissions: Iterable[SubmissionRow]) -> list[StudentLine]:
    """Every student who submitted, with attempts and the latest submission's score."""
    by_user: dict[int, list[SubmissionRow]] = defaultdict(list)
    for s in submissions:
        by_user[s.user_id].append(s)
    lines = []
    for uid, subs in by_user.items():
        last = max(subs, key=lambda s: s.submission_id)
        lines.append(StudentLine(uid, last.user_label, len(subs), last.submission_id, last.status,
                                 last.total, last.max_total))
    lines.sort(key=lambda line: line.user_label)
    return lines


def _pct(k: int, n: int) -> float:
    return round(100.0 * k / n, 1) if n else 0.0


def _fmt(x: float) -> str:
    return f"{round(float(x), 2):g}"
