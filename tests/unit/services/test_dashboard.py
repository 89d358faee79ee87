"""The dashboard's numbers on plain rows (no database, no Flask)."""

from __future__ import annotations

from grader.services.dashboard import (
    QuestionInfo,
    AnsweredResult,
    SubmissionRow,
    counted_rows,
    manual_queue,
    per_question_table,
    score_bins,
    student_lines,
    summarize,
    wrong_answer_groups,
)
from grader.services.dashboard_groups import WrongAnswer, answer_text, group_wrong_answers

QUESTIONS = [QuestionInfo("1a", "expression", 2), QuestionInfo("1f", "free_text", 3)]


def sub(sid: int, uid: int, total: float | None, status: str = "graded") -> SubmissionRow:
    return SubmissionRow(sid, uid, f"s{uid}@x", status, None, total, 5)


def row(sid: int, uid: int, qid: str, answer: str, verdict: str, points: float, feedback: str = "") -> AnsweredResult:
    return AnsweredResult(sid, uid, f"s{uid}@x", qid, answer, verdict, points, 2 if qid == "1a" else 3,
                     feedback, "numeric", result_id=sid * 10 + len(qid))


def sorted_chars(a: str, b: str) -> bool:
    """A fake equivalence: same characters ignoring '*' and spaces."""
    return sorted(a.replace("*", "").replace(" ", "")) == sorted(b.replace("*", "").replace(" ", ""))


def test_score_bins_put_the_maximum_in_the_last_bin() -> None:
    assert [b.count for b in score_bins([0, 4.9, 5, 10], 10, bins=2)] == [2, 2]


def test_score_bins_survive_a_zero_maximum() -> None:
    assert sum(b.count for b in score_bins([0, 0], 0)) == 2


def test_summary_uses_each_students_latest_graded_submission() -> None:
    subs = [sub(1, 1, 1.0), sub(2, 1, 5.0), sub(3, 2, 3.0), sub(4, 2, None, "queued")]
    s = summarize(subs, 5)
    assert (s.submissions, s.students, s.graded, s.pending) == (4, 2, 3, 1)
    assert s.mean_score == 4.0
    assert sum(b.count for b in s.bins) == 2


def test_per_question_table_rates() -> None:
    rows = [row(1, 1, "1a", "2p", "correct", 2), row(2, 2, "1a", "x", "invalid", 0),
            row(3, 3, "1a", "3p", "incorrect", 0), row(4, 4, "1a", "", "unanswered", 0)]
    table = per_question_table(rows, QUESTIONS)
    first = table[0]
    assert (first.percent_correct, first.invalid_rate, first.answered, first.mean_points) == (25.0, 25.0, 3, 0.5)
    assert table[1].answered == 0


def test_counted_rows_keep_only_latest_submissions() -> None:
    subs = [sub(1, 1, 0.0), sub(2, 1, 2.0)]
    rows = [row(1, 1, "1a", "3p", "incorrect", 0), row(2, 1, "1a", "2p", "correct", 2)]
    assert [r.submission_id for r in counted_rows(rows, subs)] == [2]


def test_wrong_answers_are_grouped_by_equivalence_not_string() -> None:
    answers = [WrongAnswer("2*p", "half", 1), WrongAnswer("p*2", "half", 2), WrongAnswer("p 2", "", 3),
               WrongAnswer("3q", "other", 4)]
    groups = group_wrong_answers(answers, equivalent=sorted_chars)
    assert [(g.count, g.students) for g in groups] == [(3, 3), (1, 1)]
    assert groups[0].feedback == "half"
    assert len(groups[0].variants) == 3


def test_without_an_equivalence_answers_group_by_exact_text() -> None:
    groups = group_wrong_answers([WrongAnswer("a"), WrongAnswer("a"), WrongAnswer("b")])
    assert [(g.representative, g.count) for g in groups] == [("a", 2), ("b", 1)]


def test_a_failing_equivalence_means_not_equivalent() -> None:
    def boom(a: str, b: str) -> bool:
        raise RuntimeError("timeout")

    assert len(group_wrong_answers([WrongAnswer("a"), WrongAnswer("b")], equivalent=boom)) == 2


def test_dict_answers_are_compared_as_canonical_json() -> None:
    assert answer_text({"b": 1, "a": 2}) == answer_text({"a": 2, "b": 1})


def test_wrong_answer_groups_skip_free_text_and_correct_answers() -> None:
    rows = [row(1, 1, "1a", "2*p", "incorrect", 0), row(2, 2, "1a", "p*2", "incorrect", 0),
            row(3, 3, "1a", "2p", "correct", 2), row(4, 4, "1f", "words", "incorrect", 0)]
    groups = wrong_answer_groups(rows, QUESTIONS, equivalence_for=lambda qid: sorted_chars)
    assert list(groups) == ["1a"]
    assert groups["1a"][0].count == 2


def test_manual_queue_lists_free_text_needing_review() -> None:
    rows = [row(1, 1, "1f", "because", "needs_review", 0), row(2, 2, "1a", "x", "needs_review", 0)]
    items = manual_queue(rows, QUESTIONS)
    assert [(i.submission_id, i.answer, i.max_points) for i in items] == [(1, "because", 3)]


def test_student_lines_count_attempts() -> None:
    lines = student_lines([sub(1, 1, 1.0), sub(2, 1, 4.0), sub(3, 2, 2.0)])
    assert [(line.user_label, line.attempts, line.score) for line in lines] == [("s1@x", 2, 4.0), ("s2@x", 1, 2.0)]


def test_manual_queue_lists_hand_graded_answers_after_waiting_ones() -> None:
    graded = AnsweredResult(2, 2, "s2@x", "1f", "why", "correct", 3, 3, "ok", "manual", result_id=9)
    waiting = AnsweredResult(1, 1, "s1@x", "1f", "because", "needs_review", 0, 3, "", "manual", result_id=8)
    rows = [graded, row(3, 3, "1f", "", "unanswered", 0), waiting]
    items = manual_queue(rows, QUESTIONS, include_graded=True)
    assert [(i.submission_id, i.graded) for i in items] == [(1, False), (2, True)]


def test_attempts_left_ignore_invalid_and_unanswered_answers() -> None:
    from types import SimpleNamespace

    from grader.services.student_pages import PastSubmission, attempts_left, attempts_used

    def past(verdict: str) -> PastSubmission:
        return PastSubmission(1, "graded", None, {}, {"1a": SimpleNamespace(verdict=verdict)}, 0, 1)

    questions = [{"id": "1a", "attempts_allowed": 3}, {"id": "1b"}]
    subs = [past("incorrect"), past("invalid"), past("unanswered"), past("correct")]
    assert attempts_used(questions, subs) == {"1a": 2, "1b": 0}
    assert attempts_left(questions, subs) == {"1a": 1, "1b": None}


def test_form_fields_become_the_submission_shape() -> None:
    from grader.services.student_pages import answers_from_form, table_rows

    questions = [{"id": "1a", "type": "expression"}, {"id": "3f", "type": "ad_table", "part": "forward"},
                 {"id": "3a", "type": "ad_table", "part": "adjoint"}, {"id": "2d", "type": "free_text"}]
    form = {"answer-1a": " 2p_i ", "answer-2d": "  ", "3f-name-0": "v_1", "3f-expr-0": "x w", "3f-value-0": "0.15",
            "3f-name-1": "", "3f-expr-1": "ignored", "3a-name-0": "v_1", "3a-adjoint-0": "-16"}
    answers = answers_from_form(questions, form)
    assert answers == {"1a": "2p_i", "3f": [{"name": "v_1", "expr": "x w", "value": "0.15"}], "3a": {"v_1": "-16"}}
    assert table_rows(questions[1], answers["3f"])[0]["expr"] == "x w"
    assert table_rows(questions[2], answers["3a"])[0] == {"name": "v_1", "adjoint": "-16"}


def test_an_exhausted_budget_falls_back_to_exact_text() -> None:
    from grader.services.dashboard_groups import Budget

    budget = Budget(-1)
    groups = group_wrong_answers([WrongAnswer("2*p"), WrongAnswer("p*2")], equivalent=sorted_chars, budget=budget)
    assert len(groups) == 2 and budget.hit


def test_a_filled_ad_table_keeps_blank_rows_to_add_to() -> None:
    from grader.services.student_pages import MAX_TABLE_ROWS, table_rows

    question = {"id": "3f", "type": "ad_table", "part": "forward"}
    eight = [{"name": f"v_{i}", "expr": "x", "value": "1"} for i in range(8)]
    rows = table_rows(question, eight)
    assert len(rows) == 10 and rows[8] == rows[9] == {}
    assert len(table_rows(question, eight * 3)) == MAX_TABLE_ROWS
    assert len(table_rows(question, None)) == 8
