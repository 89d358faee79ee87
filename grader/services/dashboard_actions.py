"""Use cases behind the pages: gather dashboard data, grade by hand, attach feedback to an error.

Framework-free: a ``Session`` comes in, queries live in ``grader/db/queries/pages.py``, the numbers
in ``grader/services/dashboard.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from grader.db import Session
from grader.db.queries import pages as wq
from grader.db.models import GradingResult, User
from grader.db.queries.hand_grade_carry import carry_to_later, earlier_grades_by_student
from grader.services import dashboard as d
from grader.services.anticipated import merge_anticipated  # noqa: F401 - the grading hook, re-exported
from grader.services.catalog import STAFF_ROLES, assignment_definition, assignment_for, role_for
from grader.services.dashboard_groups import Budget, WrongAnswerGroup, engine_equivalence
from grader.services.variant_groups import VariantLabels
from grader.services.dashboard_unreadable import UnreadableAnswer, unreadable_answers
from grader.services.errors import InvalidRequest, NotFound
from grader.services.hand_grade_carry import with_earlier_grades
from grader.services.hand_grades import carried_grade
from grader.services.lms.graded_hook import notify_graded
from grader.verdicts import hand_graded_verdict

MAX_COMMENT = 4000
GROUPING_BUDGET_S = 4.0  # per page view; comparisons are cached, so later views group further


@dataclass(frozen=True)
class DashboardData:
    """Everything the instructor dashboard of one assignment shows."""

    key: str
    title: str
    questions: list[d.QuestionInfo]
    summary: d.Summary
    table: list[d.QuestionRow]
    wrong: dict[str, list[WrongAnswerGroup]]
    attached: dict[str, dict[str, str]]   # question id -> group representative -> feedback
    queue: list[d.ManualItem]
    students: list[d.StudentLine]
    grouping_partial: bool = False
    unreadable: dict[str, list[UnreadableAnswer]] = field(default_factory=dict)


def question_infos(version: Any) -> list[d.QuestionInfo]:
    """The questions of a stored version, as the dashboard needs them."""
    return [d.QuestionInfo(str(q["id"]), str(q.get("type", "expression")), float(q.get("points", 0)),
                           str(q.get("prompt", "")))
            for q in version.definition.get("questions", [])]


def dashboard_data(session: Session, user: User, key: str, *, group: bool = True) -> DashboardData:
    """Stats, histogram, per-question table, grouped wrong answers, manual queue, students."""
    assignment, version, _role = assignment_for(session, user, key, staff=True)
    questions = question_infos(version)
    sub_dicts, res_dicts = wq.assignment_rows(session, assignment.id)
    subs = [d.SubmissionRow(**s) for s in sub_dicts]
    rows = [d.AnsweredResult(**r) for r in res_dicts]
    counted = d.counted_rows(rows, subs)
    definition = assignment_definition(version)

    def equivalence_for(qid: str) -> Any:
        if not group:
            return None
        try:
            return engine_equivalence(definition.question(qid))
        except Exception:  # noqa: BLE001 - no engine comparison: group by text
            return None

    budget = Budget(GROUPING_BUDGET_S)
    labels = VariantLabels(session, assignment, version, definition)   # per student's variant
    wrong = d.wrong_answer_groups(rows, questions, equivalence_for=equivalence_for, budget=budget,
                                  variant_of=labels.label, across_for=labels.across if group else None)
    stored = {qid: dict(pairs) for qid, pairs in wq.anticipated_errors_for(session, assignment.id).items()}
    return DashboardData(
        key=assignment.key,
        title=assignment.title,
        questions=questions,
        summary=d.summarize(subs, sum(q.points for q in questions)),
        table=d.per_question_table(counted, questions),
        wrong=wrong,
        attached=_attached_by_group(wrong, stored),
        queue=with_earlier_grades(d.manual_queue(counted, questions, include_graded=True),
                                  earlier_grades_by_student(session, assignment.id)),
        students=d.student_lines(subs),
        grouping_partial=budget.hit,
        unreadable=unreadable_answers(rows),
    )


def _attached_by_group(wrong: dict[str, list[WrongAnswerGroup]],
                       stored: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """question id -> representative -> feedback attached to any way of writing that group."""
    out: dict[str, dict[str, str]] = {}
    for qid, groups in wrong.items():
        mine = stored.get(qid, {})
        for g in groups:
            found = next((mine[text] for text, _n in g.variants if text in mine), None)
            if found is not None:
                out.setdefault(qid, {})[g.representative] = found
    return out


def _staff_result(session: Session, user: User, result_id: int) -> GradingResult:
    result = session.get(GradingResult, result_id)
    if result is None or role_for(session, user, result.submission.assignment_version.assignment) not in STAFF_ROLES:
        raise NotFound(f"result {result_id} not found")
    return result


def grade_manually(session: Session, user: User, result_id: int, *, points: Any, comment: str) -> GradingResult:
    """Give an answer points and a comment by hand; saved as the new current result, with the grader.

    The LMS is told the new score (webhooks, AGS score post) in the same transaction; a failure
    there is logged and keeps the grade. The caller commits with ``dispatch.commit_and_send``.
    """
    result = _staff_result(session, user, result_id)
    if not result.is_current:
        raise InvalidRequest("this answer was graded again since; reload the page", status=409)
    try:
        value = float(points)
    except (TypeError, ValueError):
        raise InvalidRequest("points must be a number") from None
    if not math.isfinite(value) or not 0 <= value <= result.max_points:
        raise InvalidRequest(f"points must be between 0 and {result.max_points:g}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidRequest(f"the comment is longer than {MAX_COMMENT} characters")
    row = wq.record_manual_grade(session, result, grader_id=user.id, points=value, comment=comment,
                                 verdict=hand_graded_verdict(value, result.max_points).value)
    notify_graded(session, row.submission_id, regrade=True)
    for later in carry_to_later(session, row, carry=carried_grade):  # the same answer resubmitted before this grade
        notify_graded(session, later, regrade=True)
    return row


def attach_feedback(session: Session, user: User, key: str, *, question_id: str, answer: str,
                    feedback: str) -> None:
    """Store feedback for a wrong answer as an anticipated error of the question (a regrade applies it)."""
    assignment, version, _role = assignment_for(session, user, key, staff=True)
    if question_id not in {q.id for q in question_infos(version)}:
        raise NotFound(f"question {question_id!r} not found")
    answer, feedback = (answer or "").strip(), (feedback or "").strip()
    if not answer or not feedback:
        raise InvalidRequest("both the answer and the feedback are needed")
    if len(answer) > MAX_COMMENT or len(feedback) > MAX_COMMENT:
        raise InvalidRequest(f"at most {MAX_COMMENT} characters each")
    wq.add_anticipated_error(session, assignment_id=assignment.id, question_id=question_id, answer=answer,
                             feedback=feedback, created_by_id=user.id)
