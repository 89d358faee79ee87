"""The form sends only changed answers; a per-question check leaves the others on the form."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grader.services.errors import InvalidRequest
from grader.services.student_form import changed_answers, input_rows, latest_answers
from grader.services.student_pages import table_rows

FORWARD = {"id": "3f", "type": "ad_table", "part": "forward", "inputs": ["x", "w", "b"],
           "point": {"x": 0.3, "w": 0.5, "b": 0.1}}
ADJOINT = {**FORWARD, "id": "3a", "part": "adjoint"}
QUESTIONS = [{"id": "1a", "type": "expression"}, {"id": "1b", "type": "expression"}, FORWARD]


def sub(answers: dict) -> SimpleNamespace:
    return SimpleNamespace(answers=answers)


def test_the_latest_answer_of_each_question_survives_a_one_question_check() -> None:
    subs = [sub({"1a": "new"}), sub({"1a": "old", "1b": "kept"})]  # newest first
    assert latest_answers(subs) == {"1a": "new", "1b": "kept"}


def test_unchanged_answers_are_not_submitted_again() -> None:
    subs = [sub({"1a": "2p_i", "1b": "x_i"})]
    assert changed_answers({"1a": "2p_i ", "1b": "w"}, QUESTIONS, subs) == {"1b": "w"}


def test_nothing_changed_is_refused_without_using_an_attempt() -> None:
    with pytest.raises(InvalidRequest, match="Nothing changed"):
        changed_answers({"1a": "2p_i"}, QUESTIONS, [sub({"1a": "2p_i"})])


def test_an_ad_table_starts_with_its_input_rows_filled_in() -> None:
    rows = table_rows(FORWARD, None)
    assert rows[:3] == [{"name": "v_{-2}", "expr": "x", "value": "0.3"},
                        {"name": "v_{-1}", "expr": "w", "value": "0.5"},
                        {"name": "v_0", "expr": "b", "value": "0.1"}]
    assert [r["name"] for r in input_rows(ADJOINT)] == ["v_{-2}", "v_{-1}", "v_0"]


def test_a_table_left_as_pre_filled_is_not_an_answer() -> None:
    posted = [{"name": "v_{-2}", "expr": "x", "value": "0.3"}, {"name": "v_{-1}", "expr": "w", "value": "0.5"},
              {"name": "v_0", "expr": "b", "value": "0.1"}]
    assert changed_answers({"3f": posted, "1a": "x"}, QUESTIONS, []) == {"1a": "x"}
    more = [*posted, {"name": "v_1", "expr": "v_{-2} v_{-1}", "value": "0.15"}]
    assert changed_answers({"3f": more}, QUESTIONS, []) == {"3f": more}


def test_a_submit_stores_the_changed_answers_over_the_latest_ones() -> None:
    from grader.services.student_form import submitted_answers

    subs = [sub({"1a": "2p_i", "1b": "x_i", "gone": "an answer to a question no longer there"})]
    assert submitted_answers({"1a": "2p_i", "1b": "w"}, QUESTIONS, subs) == {"1a": "2p_i", "1b": "w"}


def test_an_answer_carried_over_unchanged_costs_no_attempt() -> None:
    """Was: every submit cost one attempt of every question, touched or not."""
    from grader.services.student_pages import PastSubmission, attempts_used

    def past(answers: dict, verdicts: dict) -> PastSubmission:
        return PastSubmission(1, "graded", None, answers,
                              {q: SimpleNamespace(verdict=v) for q, v in verdicts.items()}, 0, 1)

    subs = [  # newest first: 1a checked twice, 1b answered once and carried along
        past({"1a": "c", "1b": "x"}, {"1a": "correct", "1b": "incorrect"}),
        past({"1a": "b", "1b": "x"}, {"1a": "incorrect", "1b": "incorrect"}),
        past({"1a": "a", "1b": "x"}, {"1a": "incorrect", "1b": "incorrect"}),
    ]
    assert attempts_used([{"id": "1a"}, {"id": "1b"}], subs) == {"1a": 3, "1b": 1}
