"""Notation graded end to end (issue 9, class 6): infinite values compared exactly, never by
sampling; the real cube root; indicators against a step key."""

from __future__ import annotations

import pytest

from grader.engine.check import check_answer
from grader.engine.context import GradingContext

CASES = [
    # (key, answer, verdict)
    ("oo", r"\infty", "correct"),
    ("oo", "oo", "correct"),
    ("oo", "∞", "correct"),
    ("oo", r"2\infty", "correct"),
    ("oo", "-oo", "incorrect"),
    ("oo", r"-\infty", "incorrect"),
    ("-oo", r"-\infty", "correct"),
    ("-oo", "oo", "incorrect"),
    ("oo", "10^30", "incorrect"),
    ("oo", "1/0", "incorrect"),      # unsigned: not the +∞ a limit question asks for
    ("oo", "x", "incorrect"),
    ("0", r"\infty", "incorrect"),
    ("0", r"e^{-\infty}", "correct"),
    ("x", r"x \infty", "invalid"),
]


@pytest.mark.parametrize(("key", "answer", "verdict"), CASES)
def test_infinite_values_are_compared_exactly(key, answer, verdict):
    result = check_answer(key, answer, cache=None)
    assert result.verdict.value == verdict
    if verdict != "invalid":
        assert result.method == "symbolic"


def test_wrong_sign_of_infinity_says_which():
    assert "-∞" in check_answer("oo", "-oo", cache=None).feedback


def test_division_by_zero_against_a_finite_key_is_still_undefined():
    result = check_answer("0", "1/0", cache=None)
    assert result.verdict.value == "incorrect" and "undefined" in result.feedback


@pytest.mark.parametrize("answer", ["x^2/0", r"\frac{x^2}{0.1 + 0.2 - 0.3}", "x/(1 - 1)"])
def test_a_variable_over_an_exact_zero_is_undefined_not_an_infinity_typed_in(answer):
    # was 'invalid: ∞ can be a whole answer ...': the student typed no ∞, sympy built one from x/0
    result = check_answer("x^2", answer, context=GradingContext.from_json({"domain": {"x": [-3, 3]}}), cache=None)
    assert result.verdict.value == "incorrect" and "undefined" in result.feedback


def test_real_cube_root_key_refuses_the_principal_power_below_zero():
    result = check_answer(r"\sqrt[3]{x}", "x^(1/3)", cache=None)
    assert result.verdict.value == "incorrect" and "undefined" in result.feedback
    assert check_answer("cbrt(x)", r"\sqrt[3]{x}", cache=None).verdict.value == "correct"
    assert check_answer("cbrt(x)", "-cbrt(-x)", cache=None).verdict.value == "correct"


@pytest.mark.parametrize("answer", [r"\mathbb{1}[x > 0]", "[x > 0]", r"\mathbb{1}_{x>0}"])
def test_indicator_answers_grade_against_a_step_key(answer):
    assert check_answer("Piecewise((1, x > 0), (0, True))", answer, cache=None).verdict.value == "correct"
    assert check_answer("Piecewise((1, x < 0), (0, True))", answer, cache=None).verdict.value == "incorrect"


@pytest.mark.parametrize("backend", ["numpy", "mpmath"])
@pytest.mark.parametrize(("at", "value", "slope"), [(-8.0, -2.0, 1 / 12), (8.0, 2.0, 1 / 12),
                                                    (-27.0, -3.0, 1 / 27)])
def test_the_tape_evaluates_the_real_cube_root_below_zero(backend, at, value, slope):
    from grader.engine.parsing import parse
    from grader.engine.tape import Tape

    expr = parse(r"\sqrt[3]{x}").expr
    tape = Tape.from_expr(expr, sorted(expr.free_symbols, key=str))
    assert float(tape.output({"x": at}, backend=backend)) == pytest.approx(value)
    assert float(tape.gradient({"x": at}, backend=backend)["x"]) == pytest.approx(slope)
