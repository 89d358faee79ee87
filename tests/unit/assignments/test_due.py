"""Deadlines in assignment files: ``due`` (ISO 8601 with a timezone) and ``late`` on the
assignment and per question, checked on load with the file, question and field named."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from grader.assignments.due import closed, due_of, parse_due, past_due, question_deadlines
from grader.assignments.errors import AssignmentError
from grader.assignments.loader import load_text, read_yaml

DOC = """\
id: demo
title: Demo
due: 2026-12-01T23:59:00+01:00
late: refuse
questions:
  - id: q1
    type: expression
    points: 1
    prompt: "d/dx x^2"
    key: "2*x"
  - id: q2
    type: expression
    points: 1
    prompt: "d/dx x^3"
    key: "3*x^2"
    due: "2026-12-08T12:00:00Z"
    late: accept
"""


def problems(text: str) -> list[str]:
    with pytest.raises(AssignmentError) as info:
        load_text(textwrap.dedent(text), source="assignments/demo.yaml", compile_keys=False)
    return [str(p) for p in info.value.problems]


def test_due_and_late_load_on_the_assignment_and_each_question_overrides_them() -> None:
    a = load_text(DOC, source="demo.yaml", compile_keys=False)
    cet = timezone(timedelta(hours=1))
    assert a.due == datetime(2026, 12, 1, 23, 59, tzinfo=cet) and a.late == "refuse"
    q1, q2 = a.questions
    assert (q1.due, q1.late) == (datetime(2026, 12, 1, 23, 59, tzinfo=cet), "refuse")   # inherited
    assert (q2.due, q2.late) == (datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc), "accept")  # its own


def test_an_assignment_without_due_has_none() -> None:
    a = load_text(DOC.replace("due: 2026-12-01T23:59:00+01:00\n", "").replace("late: refuse\n", ""),
                  compile_keys=False)
    assert a.due is None and a.late == "accept" and a.questions[0].due is None


def test_an_unquoted_yaml_date_time_stays_text_so_the_stored_document_is_json() -> None:
    data = read_yaml(DOC)
    assert data["due"] == "2026-12-01T23:59:00+01:00"
    json.dumps(data)  # the catalog stores it in a JSON column: a datetime here would not serialise


def test_a_due_without_a_timezone_is_refused_naming_the_question_and_field() -> None:
    found = problems(DOC.replace('"2026-12-08T12:00:00Z"', '"2026-12-08T12:00:00"'))
    assert len(found) == 1 and "q2" in found[0] and "due" in found[0] and "no timezone" in found[0]


def test_a_due_that_is_no_date_is_refused_at_the_top_level() -> None:
    found = problems(DOC.replace("due: 2026-12-01T23:59:00+01:00", "due: next friday"))
    assert len(found) == 1 and "due" in found[0] and "ISO 8601" in found[0], found


@pytest.mark.parametrize("bad", ["late: maybe", "due: 3"])
def test_schema_refuses_a_wrong_late_or_a_non_text_due(bad: str) -> None:
    field = bad.split(":")[0]
    found = problems(DOC.replace("late: refuse" if field == "late" else "due: 2026-12-01T23:59:00+01:00", bad))
    assert found and all(field in p for p in found), found


def test_past_due_and_closed_compare_with_the_clock_given() -> None:
    data = read_yaml(DOC)
    q1, q2 = data["questions"]
    before, after = parse_due("2026-12-01T22:58:59Z"), parse_due("2026-12-01T22:59:00Z")  # 23:59 at +01:00
    assert not past_due(data, q1, before) and past_due(data, q1, after)
    assert closed(data, q1, after) and not closed(data, q2, parse_due("2026-12-09T00:00:00Z"))  # q2 accepts
    assert question_deadlines(data) == {"q1": due_of(data, q1), "q2": parse_due("2026-12-08T12:00:00+00:00")}
