"""submit_answers: validation, idempotency, visibility; submissions' answers never change."""

from typing import Any

import pytest

from grader.db import Session
from grader.db.models import Submission
from grader.services.errors import Conflict, InvalidRequest, NotFound, TooLarge
from grader.services.submissions import read_submission, submission_for, submit_answers
from tests.support.db import add_assignment


def submit(session: Session, world: dict[str, Any], who: str = "alice", **kw: Any) -> tuple[Submission, bool]:
    args: dict[str, Any] = {"answers": {"q1": "2*p - 2*y"}, "idempotency_key": None, "source": "api"}
    args.update(kw)
    args.setdefault("assignment_key", "hw1")
    return submit_answers(session, user=world[who], **args)


def test_a_submission_is_stored_queued_against_the_current_version(session: Session, world: dict) -> None:
    sub, created = submit(session, world)
    session.commit()
    assert created and sub.id and sub.status == "queued" and sub.grading_attempts == 0
    assert sub.assignment_version_id == world["version"].id
    assert sub.answers == {"q1": "2*p - 2*y"} and sub.source == "api"


def test_the_same_idempotency_key_gives_the_same_submission(session: Session, world: dict) -> None:
    first, created1 = submit(session, world, idempotency_key="k-1")
    session.commit()
    again, created2 = submit(session, world, idempotency_key="k-1")
    assert (created1, created2) == (True, False) and again.id == first.id
    assert session.query(Submission).count() == 1


def test_a_reused_key_with_other_answers_is_a_conflict(session: Session, world: dict) -> None:
    submit(session, world, idempotency_key="k-1")
    session.commit()
    with pytest.raises(Conflict):
        submit(session, world, idempotency_key="k-1", answers={"q1": "0"})


def test_idempotency_keys_are_per_user(session: Session, world: dict) -> None:
    a, _ = submit(session, world, idempotency_key="same")
    b, created = submit(session, world, who="bob", idempotency_key="same")
    assert created and a.id != b.id


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ([], InvalidRequest), ({}, InvalidRequest), ({"nope": "1"}, InvalidRequest),
        ({"q1": True}, InvalidRequest), ({"q1": [[[[["x"]]]]]}, InvalidRequest),
        ({"q1": ["1"] * 600}, InvalidRequest), ({"q1": [{"expr": "x" * 4001}]}, TooLarge),
        ({"q1": "x" * 4001}, TooLarge),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(session: Session, world: dict, answers: Any, error: type) -> None:
    with pytest.raises(error) as info:
        submit(session, world, answers=answers)
    assert info.value.message
    session.rollback()
    assert session.query(Submission).count() == 0


TABLE_YAML = "id: hwt\ntitle: Table\nquestions:\n  - id: t1\n    type: ad_table\n    points: 1\n"


def test_a_table_answer_is_lists_and_objects_of_values(session: Session, world: dict) -> None:
    add_assignment(session, world["course"], TABLE_YAML)
    table = {"rows": [{"name": "v_1", "expr": "v_{-2}*v_{-1}", "value": 0.15}], "adjoints": {"v_1": -16}}
    sub, created = submit(session, world, answers={"t1": table}, assignment_key="hwt")
    assert created and sub.answers["t1"] == table


@pytest.mark.parametrize("value", [5, 2.5, None, ["2*p"], {"expr": "2*p"}])
def test_a_text_question_takes_only_text(session: Session, world: dict, value: Any) -> None:
    """Issue 12: a number answer to an expression question was stored, then the student's and the
    instructor's submission pages answered 500."""
    with pytest.raises(InvalidRequest, match="must be text"):
        submit(session, world, answers={"q1": value})
    session.rollback()
    assert session.query(Submission).count() == 0


def test_a_bad_idempotency_key_is_a_400(session: Session, world: dict) -> None:
    with pytest.raises(InvalidRequest) as info:
        submit(session, world, idempotency_key="x" * 201)
    assert info.value.status == 400


def test_users_outside_the_course_and_unknown_assignments_get_404(session: Session, world: dict) -> None:
    with pytest.raises(NotFound):
        submit(session, world, who="eve")
    with pytest.raises(NotFound):
        submit_answers(session, user=world["alice"], assignment_key="nope", answers={"q1": "1"},
                       idempotency_key=None, source="api")


def test_students_see_only_their_own_submissions_and_instructors_their_courses(session: Session, world: dict) -> None:
    sub, _ = submit(session, world)
    session.commit()
    assert submission_for(session, world["alice"], sub.id) is sub
    assert submission_for(session, world["teacher"], sub.id) is sub
    for who in ("bob", "eve"):
        with pytest.raises(NotFound):
            submission_for(session, world[who], sub.id)
    assert read_submission(session, world["alice"], sub.id)["status"] == "queued"


def test_stored_answers_cannot_be_changed(session: Session, world: dict) -> None:
    sub, _ = submit(session, world)
    session.commit()
    sub.answers = {"q1": "changed"}
    with pytest.raises(ValueError, match="immutable"):
        session.flush()
