"""Deadlines in the services: the key is revealed after the last attempt OR once ``due`` has
passed (by the clock the caller passes), and ``late: refuse`` turns a late submission away with a
409 through the one submit path, storing and sending nothing."""

from __future__ import annotations

from typing import Any

import pytest

from grader.assignments.due import parse_due
from grader.db import Session
from grader.db.models import Course, Submission
from grader.services.checks import revealed_key, revealed_keys
from grader.services.errors import Conflict
from grader.services.submit import submit
from tests.support.fakes import FakeQueue
from tests.unit.conftest import add_assignment, add_user

DUE = "2026-12-01T23:59:00+01:00"
BEFORE, AFTER = parse_due("2026-12-01T23:58:00+01:00"), parse_due("2026-12-02T00:00:00+01:00")
DOC = f"""\
id: hw-due
title: With a deadline
due: {DUE}
late: refuse
questions:
  - id: q1
    type: expression
    points: 1
    prompt: "d/dx x^2"
    key: "2*x"
    attempts_allowed: 3
  - id: q2
    type: expression
    points: 1
    prompt: "d/dx x^3"
    key: "3*x^2"
    due: 2026-12-08T23:59:00+01:00
"""


def test_revealed_key_waits_for_the_last_attempt_or_the_deadline() -> None:
    q = {"type": "expression", "key": "2*x"}
    assert revealed_key(q, None) is None and revealed_key(q, 2) is None   # attempts left, before due
    assert revealed_key(q, None, past_due=True) == "2*x"                   # unlimited, after due
    assert revealed_key(q, 2, past_due=True) == "2*x"                      # attempts left, after due
    assert revealed_key(q, 0) == "2*x"                                     # last attempt used


def test_revealed_keys_reads_each_questions_own_deadline_at_the_time_given() -> None:
    from grader.assignments.loader import read_yaml

    definition = read_yaml(DOC)
    questions = definition["questions"]
    assert revealed_keys(questions, [], definition=definition, now=BEFORE) == {}
    assert revealed_keys(questions, [], definition=definition, now=AFTER) == {"q1": "2*x"}  # q2 due a week later
    assert revealed_keys(questions, [], definition=definition, now=parse_due("2026-12-09T00:00:00+01:00")) == {
        "q1": "2*x", "q2": "3*x^2"}
    assert revealed_keys(questions, []) == {}  # no document: attempts alone decide


@pytest.fixture
def due_world(session: Session) -> dict[str, Any]:
    course = Course(key="cd", title="Deadlines", is_default=True)
    session.add(course)
    add_assignment(session, course, DOC)
    alice, _ = add_user(session, "alice@example.com", course)
    teacher, _ = add_user(session, "teacher@example.com", course, role="instructor")
    session.commit()
    return {"alice": alice, "teacher": teacher}


def _submit(session: Session, who: Any, answers: dict[str, str], now: Any, key: str) -> Any:
    return submit(session, FakeQueue(), user=who, assignment_key="hw-due", answers=answers,
                  idempotency_key=key, source="api", now=now)


def test_a_late_answer_to_a_question_that_refuses_is_a_409_and_nothing_is_stored(
        session: Session, due_world: dict[str, Any]) -> None:
    with pytest.raises(Conflict) as info:
        _submit(session, due_world["alice"], {"q1": "2*x"}, AFTER, "late-1")
    assert info.value.status == 409
    assert "deadline has passed" in info.value.message and "q1" in info.value.message and DUE in info.value.message
    assert session.query(Submission).count() == 0


def test_before_due_and_for_a_question_still_open_the_submission_is_taken(
        session: Session, due_world: dict[str, Any]) -> None:
    assert _submit(session, due_world["alice"], {"q1": "2*x"}, BEFORE, "k1").created
    assert _submit(session, due_world["alice"], {"q2": "3*x^2"}, AFTER, "k2").created   # q2 is due later
    assert session.query(Submission).count() == 2


def test_late_accept_takes_a_late_submission(session: Session, due_world: dict[str, Any]) -> None:
    from grader.db.models import AssignmentVersion

    later = parse_due("2026-12-09T00:00:00+01:00")   # past q2's own due; q2 inherits late: refuse
    with pytest.raises(Conflict):
        _submit(session, due_world["alice"], {"q2": "3*x^2"}, later, "k3")
    assert session.query(Submission).count() == 0
    row = session.query(AssignmentVersion).one()
    row.definition = {**row.definition, "late": "accept"}
    session.commit()
    assert _submit(session, due_world["alice"], {"q1": "2*x"}, later, "k4").created


def test_course_staff_are_never_refused(session: Session, due_world: dict[str, Any]) -> None:
    assert _submit(session, due_world["teacher"], {"q1": "2*x"}, AFTER, "t1").created


def test_an_unchanged_answer_to_a_closed_question_is_no_late_answer(session: Session, due_world: dict[str, Any]) -> None:
    """A check of q2 after q1 closed resends q1's stored answer with it: that is not refused, a
    changed q1 is."""
    assert _submit(session, due_world["alice"], {"q1": "3*x"}, BEFORE, "c1").created
    assert _submit(session, due_world["alice"], {"q1": "3*x", "q2": "x"}, AFTER, "c2").created
    with pytest.raises(Conflict):
        _submit(session, due_world["alice"], {"q1": "2*x", "q2": "x"}, AFTER, "c3")
