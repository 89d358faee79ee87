"""Per-student variants: parameter specs, stable draws, instantiation, keys and lint per variant."""

from __future__ import annotations

import numpy as np
import pytest

from grader.assignments.ad_graph import function_expr
from grader.assignments.errors import AssignmentError
from grader.assignments.grading import grade_one
from grader.assignments.lint import lint_assignment, lint_paths
from grader.assignments.loader import load_assignment
from grader.assignments.variants.instantiate import instantiate
from grader.assignments.variants.parameters import ParameterError, draw, parse_parameters
from grader.assignments.variants.spec import Variant, draw_variant
from grader.engine.trace import build_trace

from .conftest import ASSIGNMENTS, FIXTURES, make

A4V = ASSIGNMENTS / "assignment-4-variants.yaml"


@pytest.fixture(scope="module")
def a4v():
    return load_assignment(A4V)


def test_a_digits_range_is_a_grid_of_that_many_decimals() -> None:
    (p,) = parse_parameters({"x0": {"uniform": [0.15, 0.45], "digits": 1}}).parameters
    assert p.values == (0.2, 0.3, 0.4)


def test_a_step_range_starts_at_its_low_end_without_binary_noise() -> None:
    (p,) = parse_parameters({"x0": {"uniform": [0.1, 0.5], "step": 0.1}}).parameters
    assert p.values == (0.1, 0.2, 0.3, 0.4, 0.5)


def test_an_expression_parameter_is_computed_from_earlier_ones() -> None:
    ps = parse_parameters({"w": {"integer": [2, 2]}, "x": {"choose": [0.5]}, "s": {"expr": "w*x + 1"}})
    assert draw(ps, np.random.default_rng(0)) == {"w": 2, "x": 0.5, "s": 2.0}


def test_where_rejects_draws_exactly_so_a_zero_denominator_is_never_drawn() -> None:
    ps = parse_parameters({"w": {"choose": [0.5, 1]}, "x": {"choose": [0.2]}, "b": {"choose": [-0.1, 0.3]},
                           "where": "w*x + b != 0"})
    draws = [draw(ps, np.random.default_rng(s)) for s in range(40)]
    assert all(d["w"] * d["x"] + d["b"] != pytest.approx(0) for d in draws)
    assert {(d["w"], d["b"]) for d in draws} == {(0.5, 0.3), (1, -0.1), (1, 0.3)}


def test_a_where_that_can_never_hold_is_a_clear_error() -> None:
    ps = parse_parameters({"a": {"integer": [1, 3]}, "where": "a > 5"})
    with pytest.raises(ParameterError, match="can never hold: none of the 3 possible draws meets a > 5"):
        draw(ps, np.random.default_rng(0))


def test_the_number_of_redraws_is_bounded() -> None:
    ps = parse_parameters({"a": {"uniform": [0, 1]}, "where": "a > 0.999999"})
    with pytest.raises(ParameterError, match="no draw met the condition in 5 draws"):
        draw(ps, np.random.default_rng(0), max_redraws=5)


@pytest.mark.parametrize(("raw", "field", "message"), [
    ({"a": {"expr": "b + 1"}}, "parameters.a.expr", "uses b"),
    ({"a": {"uniform": [0, 1], "digit": 1}}, "parameters.a.digit", "unknown field"),
    ({"a": {"choose": [1], "integer": [1, 2]}}, "parameters.a", "exactly one of"),
    ({"a": {"uniform": [2, 1]}}, "parameters.a.uniform", "low <= high"),
    ({"a": {"integer": [1, 2]}, "where": "a >"}, "parameters.where", ""),
])
def test_a_bad_parameter_names_its_field(raw: dict, field: str, message: str) -> None:
    with pytest.raises(ParameterError) as exc:
        parse_parameters(raw)
    assert exc.value.field == field and message in exc.value.message


def test_loader_errors_in_parameters_name_file_question_and_field() -> None:
    with pytest.raises(AssignmentError) as exc:
        make("""
            - id: q1
              type: number
              points: 1
              parameters: {a: {choose: [1, 2]}, b: {expr: "c"}}
              prompt: "{{a}}"
              value: "{{a}}"
        """)
    assert str(exc.value).startswith("t.yaml: question q1: parameters.b.expr: uses c")


def test_a_placeholder_naming_no_parameter_is_reported_where_it_is() -> None:
    with pytest.raises(AssignmentError) as exc:
        make("""
            - {id: q1, type: number, points: 1, prompt: "What is {{a}} + {{z}}?", value: "{{a}}"}
        """, header="parameters: {a: {choose: [1, 2]}}\n")
    assert str(exc.value) == "t.yaml: question q1: prompt: unknown parameter {{z}} (known: a)"


def test_numbers_fill_prompts_plainly_and_expressions_safely() -> None:
    a = make("""
        - id: q1
          type: expression
          points: 1
          prompt: "Differentiate $x - {{b}}$ times $e^{x}$."
          derivative_of: {function: "(x - {{b}})*exp(x)", wrt: x}
    """, header="parameters: {b: {choose: [-0.3]}}\n")
    q = a.question("q1")
    assert q.prompt == "Differentiate $x - -0.3$ times $e^{x}$."
    assert q.derivative_of.function == "(x - (-0.3))*exp(x)"


def test_draws_are_a_pure_function_of_the_seed_parts(a4v) -> None:
    np.random.seed(1)   # the global state plays no part
    one = draw_variant(a4v.variants, "course-seed", "assignment-4-variants", 7)
    np.random.seed(2)
    assert draw_variant(a4v.variants, "course-seed", "assignment-4-variants", 7) == one
    others = {draw_variant(a4v.variants, "course-seed", "assignment-4-variants", s) for s in range(20)}
    assert len(others) > 10
    assert draw_variant(a4v.variants, "another-course", "assignment-4-variants", 7) != one


def test_a_variant_round_trips_through_json(a4v) -> None:
    v = draw_variant(a4v.variants, "s", "a", 1)
    assert Variant.from_json(v.to_json()) == v
    assert v.to_json()["questions"]["1b"]["act"]["name"] in ("logistic", "tanh", "softplus")


def _variant(a4v, *, x0: float, w0: float, b0: float, act: str = "tanh") -> Variant:
    choice = next(c for c in a4v.variants.scope("1b").parameters[0].values if dict(c)["name"] == act)
    shared = (("x0", x0), ("w0", w0), ("b0", b0), ("den", round(w0 * x0 + b0, 12)))
    return Variant(shared, (("1b", (("act", choice),)),))


def test_the_ad_table_key_is_traced_at_the_students_point(a4v) -> None:
    concrete = instantiate(a4v, _variant(a4v, x0=0.3, w0=0.5, b0=0.1))
    q = concrete.question("3-adjoint")
    assert dict(q.point) == {"x": 0.3, "w": 0.5, "b": 0.1}
    assert [r.value for r in q.key_rows] == ["0.3", "0.5", "0.1", "0.15", "0.25", "4", "4.3"]
    assert dict(q.key_adjoints)["v_{-2}"] == "-7" and dict(q.key_adjoints)["v_{-1}"] == "-4.8"
    assert "$x = 0.3, w = 0.5, b = 0.1$" in concrete.question("3-forward").prompt


def test_every_variants_table_key_agrees_with_grader_trace_at_its_point(a4v) -> None:
    for x0, w0, b0 in [(0.8, 2, -0.1), (0.1, 1.5, -0.5), (0.9, 0.5, 0.5)]:
        q = instantiate(a4v, _variant(a4v, x0=x0, w0=w0, b0=b0)).question("3-adjoint")
        trace = build_trace(function_expr(q), [("x", x0), ("w", w0), ("b", b0)])
        by_input = {r.symbol: float(trace.adjoints[r.name]) for r in trace.forward if r.symbol}
        key = dict(q.key_adjoints)
        assert [float(key[n]) for n in ("v_{-2}", "v_{-1}", "v_0")] == pytest.approx(
            [by_input["x"], by_input["w"], by_input["b"]], rel=1e-9)


def test_the_same_wrong_answer_gets_each_variants_own_feedback(a4v) -> None:
    tanh = instantiate(a4v, _variant(a4v, x0=0.3, w0=0.5, b0=0.1, act="tanh"))
    logistic = instantiate(a4v, _variant(a4v, x0=0.3, w0=0.5, b0=0.1, act="logistic"))
    answer = {"1b": "1 + tanh(a_i)^2"}
    g_tanh, g_log = grade_one(tanh, answer, "1b"), grade_one(logistic, answer, "1b")
    assert g_tanh.verdict.value == g_log.verdict.value == "incorrect"
    assert "the derivative of tanh(u) is 1 - tanh(u)^2" in g_tanh.feedback
    assert "tanh" not in logistic.question("1b").derivative_of.function
    assert "1 - tanh" not in g_log.feedback
    assert grade_one(tanh, {"1b": "1 - tanh(a_i)^2"}, "1b").verdict.value == "correct"
    table = [{"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15}, {"name": "v_2", "expr": "v_1 + v_0", "value": 0.25},
             {"name": "v_3", "expr": "1/v_2", "value": 4}, {"name": "v_4", "expr": "v_{-2} + v_3", "value": 4.3}]
    here = instantiate(a4v, _variant(a4v, x0=0.3, w0=0.5, b0=0.1))
    there = instantiate(a4v, _variant(a4v, x0=0.5, w0=1, b0=0.2))
    assert grade_one(here, {"3-forward": table}, "3-forward").verdict.value == "correct"
    elsewhere = grade_one(there, {"3-forward": table}, "3-forward")
    assert elsewhere.verdict.value == "incorrect"
    # the student is not told the key while attempts remain; the cell is wrong at their own point
    assert "The value of v_1 = 0.15 is not right." in elsewhere.feedback and "expected" not in elsewhere.feedback
    from grader.assignments.ad_graph import read_graph
    from grader.assignments.ad_table import forward_cells

    q = there.question("3-forward")
    cells = forward_cells(read_graph(table, q), q, 1.0, reveal=True)
    assert any("(expected 0.5)" in c.note for c in cells)  # x0 * w0 = 0.5 * 1 at this student's point


def test_instantiations_are_cached_per_variant(a4v) -> None:
    v = _variant(a4v, x0=0.4, w0=2, b0=0.1)
    assert instantiate(a4v, v) is instantiate(a4v, v)


def test_lint_names_the_first_bad_variant_of_the_planted_file() -> None:
    _files, problems = lint_paths([FIXTURES / "planted-variant.yaml"])
    assert [str(p) for p in problems] == [
        f"{FIXTURES / 'planted-variant.yaml'}: question 3: point: variant x0=0.5, w0=2, b0=-1: "
        "the function is undefined at {'x': 0.5, 'w': 2.0, 'b': -1.0}"]


def test_lint_checks_every_variant_of_the_variant_edition(a4v) -> None:
    assert lint_assignment(a4v, variants=1000) == []


def test_lint_finds_a_bad_key_at_one_variant_only() -> None:
    a = make("""
        - id: q1
          type: expression
          points: 1
          parameters: {k: {integer: [1, 4]}}
          prompt: "d/dx of x^{{k}}"
          key: "{{k}}*x^({{k}} - 1) + ({{k}} - 3)*({{k}} - 4)*({{k}} - 1)"
          check_against: {function: "x^{{k}}", wrt: x}
    """)
    (p,) = lint_assignment(a, variants=10)
    assert p.question == "q1" and p.field == "check_against"
    assert p.message.startswith("variant k=2: the key differs from d(x^2)/dx")


def test_lint_checks_all_variants_of_a_finite_set_up_to_the_limit_and_samples_beyond(a4v) -> None:
    from grader.assignments.variants.lint import used_names
    from grader.assignments.variants.spec import question_variants

    used = used_names(a4v.variants, "1b")
    assert used == {"act"}
    every, complete = question_variants(a4v.variants, "1b", used, limit=3)
    assert complete and sorted(dict(v.values_for("1b")["act"])["f"] for v in every) == [
        "1/(1 + exp(-a_i))", "log(1 + exp(a_i))", "tanh(a_i)"]
    some, complete = question_variants(a4v.variants, "3-forward", used_names(a4v.variants, "3-forward"), limit=7)
    assert not complete and len(some) == 7
