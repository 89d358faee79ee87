"""Assignment files: schema and semantic errors name the file, the question and the field."""

from __future__ import annotations

import textwrap

import pytest

from grader.assignments.errors import AssignmentError
from grader.assignments.loader import load_text
from grader.assignments.model import QUESTION_TYPES
from grader.engine.context import Discrete, Interval
from grader.assignments.schema import TYPE_PROPERTIES

HEAD = """\
id: demo
title: Demo
questions:
"""


def problems(yaml_text: str) -> list[str]:
    with pytest.raises(AssignmentError) as info:
        load_text(textwrap.dedent(yaml_text), source="assignments/demo.yaml", compile_keys=False)
    return [str(p) for p in info.value.problems]


def test_every_registered_type_has_a_schema() -> None:
    assert set(QUESTION_TYPES) == set(TYPE_PROPERTIES)


def test_a_missing_field_names_file_question_and_field() -> None:
    out = problems(HEAD + "  - {id: 1a, type: expression, points: 1, prompt: p, key: x}\n"
                          "  - {id: 1b, type: number, prompt: p, value: 2}\n")
    assert out == ["assignments/demo.yaml: question 1b: 'points' is required"]


def test_a_wrong_type_of_value_names_the_field() -> None:
    out = problems(HEAD + "  - {id: 1a, type: expression, points: many, prompt: p, key: x}\n")
    assert out == ["assignments/demo.yaml: question 1a: points: 'many' is not of type 'number'"]


def test_a_misspelled_field_is_reported_not_ignored() -> None:
    out = problems(HEAD + "  - {id: 1a, type: expression, points: 1, prompt: p, keys: x}\n")
    assert any("question 1a" in p and "unknown field(s)" in p and "'keys'" in p for p in out)


def test_a_nested_field_is_named_with_its_path() -> None:
    out = problems(HEAD + "  - id: 2a\n    type: piecewise\n    points: 2\n    prompt: p\n"
                          "    cases: [{value: x, when: x < 1}, {value: 0}]\n")
    assert out == ["assignments/demo.yaml: question 2a: cases[1]: 'when' is required"]


def test_an_unknown_type_lists_the_known_ones() -> None:
    (out,) = problems(HEAD + "  - {id: 1a, type: essay, points: 1, prompt: p}\n")
    assert out.startswith("assignments/demo.yaml: question 1a: type: unknown type 'essay' (known: ad_table")


def test_a_question_without_id_is_named_by_position() -> None:
    out = problems(HEAD + "  - {type: free_text, points: 1, prompt: p}\n")
    assert out == ["assignments/demo.yaml: question #1: 'id' is required"]


def test_a_numeric_id_must_be_quoted() -> None:
    out = problems(HEAD + "  - {id: 3, type: free_text, points: 1, prompt: p}\n")
    assert out == ["assignments/demo.yaml: question #1: id: 3 is not of type 'string'"]


def test_duplicate_ids_and_duplicate_yaml_keys_are_errors() -> None:
    out = problems(HEAD + "  - {id: 1a, type: free_text, points: 1, prompt: p}\n"
                          "  - {id: 1a, type: free_text, points: 1, prompt: q}\n")
    assert out == ["assignments/demo.yaml: question 1a: id: duplicate id (also question #1)"]
    (dup,) = problems(HEAD + "  - id: 1a\n    type: free_text\n    points: 1\n    prompt: p\n    prompt: q\n")
    assert dup.startswith("assignments/demo.yaml: YAML: line 8 column 5: duplicate key 'prompt'")


def test_an_expression_needs_exactly_one_form_of_key() -> None:
    out = problems(HEAD + "  - id: 1a\n    type: expression\n    points: 1\n    prompt: p\n    key: x\n"
                          "    derivative_of: {function: x^2, wrt: x}\n")
    assert out == ["assignments/demo.yaml: question 1a: key: give exactly one of key and derivative_of"]


def test_table_references_and_points_are_checked() -> None:
    out = problems(HEAD + textwrap.dedent("""\
        - id: t
          type: ad_table
          part: adjoint
          graph_from: nowhere
          points: 1
          prompt: p
          function: x*w
          inputs: [x, w]
          point: {x: 1}
    """).replace("\n", "\n  ").replace("- id", "  - id", 1))
    assert "assignments/demo.yaml: question t: point: no value for input(s) w" in out
    assert "assignments/demo.yaml: question t: graph_from: 'nowhere' is not a forward ad_table question of this assignment" in out


def test_bad_yaml_names_the_line() -> None:
    (out,) = problems("id: demo\ntitle: [unclosed\n")
    assert out.startswith("assignments/demo.yaml: YAML: line")


def test_missing_top_level_fields_are_named() -> None:
    assert problems("id: demo\nquestions: []\n") == [
        "assignments/demo.yaml: 'title' is required",
        "assignments/demo.yaml: questions: [] should be non-empty",
    ]


def test_question_context_overrides_and_removes_assignment_defaults() -> None:
    a = load_text(textwrap.dedent("""\
        id: demo
        title: Demo
        definitions: {a_i: "w*x_i", p_i: "1/(1+exp(-a_i))"}
        domain: {w: [-2, 2], y_i: {values: [0, 1]}}
        questions:
          - {id: q1, type: free_text, points: 1, prompt: p}
          - id: q2
            type: free_text
            points: 1
            prompt: p
            definitions: {p_i: null, y_i: "1"}
            domain: {y_i: {values: [-1, 1]}, w: null}
            allowed: [w]
    """), compile_keys=False)
    q1, q2 = a.questions
    assert q1.context.definition_map == {"a_i": "w*x_i", "p_i": "1/(1+exp(-a_i))"}
    assert q1.context.domain_map == {"w": Interval(-2, 2), "y_i": Discrete((0.0, 1.0))}
    assert q2.context.definition_map == {"a_i": "w*x_i", "y_i": "1"}
    assert q2.context.domain_map == {"y_i": Discrete((-1.0, 1.0))}
    assert q2.context.allowed == ("w",) and q1.context.allowed is None
    assert a.question("q2") is q2 and a.max_points == 2


def test_attempts_allowed_is_kept_and_invalid_answers_do_not_count() -> None:
    from grader.assignments.results import QuestionGrade, QuestionVerdict

    a = load_text(HEAD + "  - {id: q, type: free_text, points: 1, prompt: p, attempts_allowed: 3}\n",
                  compile_keys=False)
    assert a.questions[0].attempts_allowed == 3
    assert not QuestionGrade("q", QuestionVerdict.INVALID, 0, 1).counts_as_attempt
    assert QuestionGrade("q", QuestionVerdict.INCORRECT, 0, 1).counts_as_attempt
    assert problems(HEAD + "  - {id: q, type: free_text, points: 1, prompt: p, attempts_allowed: 0}\n") == [
        "assignments/demo.yaml: question q: attempts_allowed: 0 is less than the minimum of 1"]


@pytest.mark.parametrize("header,message", [
    ('definitions: {p_i: "1/(1+exp(-a_i)"}\n', "question q: definitions.p_i: cannot be read: unbalanced parenthesis at column 3"),
    ('definitions: {p_i: "q_i", q_i: "p_i"}\n', "question q: definitions: are circular: p_i -> q_i -> p_i"),
    ('definitions: {"2x": "1"}\n', "question q: definitions: '2x' is not a symbol name or a function like f(u)"),
])
def test_bad_definitions_are_named(header: str, message: str) -> None:
    from .conftest import make

    with pytest.raises(AssignmentError) as info:
        make("- {id: q, type: expression, points: 1, prompt: p, key: p_i}\n", header)
    assert str(info.value) == f"t.yaml: {message}"
