"""Computed feedback: each kind of wrong answer gets its own sentence, with a witness point."""

from __future__ import annotations

import re

import sympy as sp
import pytest

from grader.engine.context import GradingContext
from grader.engine.equivalence import compare
from grader.engine.feedback import describe_point, fmt, simple_number, witness_sentence
from grader.engine.results import Verdict


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


w, x, y, a, p_sym = map(R, ["w", "x_i", "y_i", "a_i", "p_i"])
DOM = {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}
PLAIN = GradingContext.from_json({"domain": DOM})
SEED = GradingContext.from_json({"domain": DOM, "definitions": {
    "p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i", "logistic(u)": "1/(1+exp(-u))"}})
KEY = 2 * (w - y) * x


@pytest.mark.parametrize("answer,fragment", [
    (-KEY, "sign error"),
    (2 * KEY, "off by a factor of 2 "),
    (KEY / 2, "off by a factor of 1/2"),
    (-3 * KEY / 4, "off by a factor of -3/4"),
    (KEY / x, "missing factor of x_i"),
    (KEY * w, "extra factor of w"),
    (KEY * 3 * w, "extra factor of 3*w"),
    (KEY + 5, "additive constant: your answer is the expected answer + 5"),
    (KEY - sp.Rational(1, 2), "additive constant: your answer is the expected answer - 1/2"),
])
def test_kinds_of_wrong(answer, fragment):
    r = compare(KEY, answer, context=PLAIN)
    assert r.verdict is Verdict.INCORRECT
    assert fragment in r.feedback.lower()
    assert re.search(r"at w=-?[\d.]+, x_i=-?[\d.]+, y_i=[01] your answer is", r.feedback)


def test_factor_named_with_definitions():
    p = SEED.substitute(p_sym)
    key = 2 * (p - y) * p * (1 - p) * x
    r = compare(key, key * p, context=SEED)
    assert "extra factor of p_i;" in r.feedback
    r = compare(key, key * p**2, context=SEED)
    assert "extra factor of p_i^2;" in r.feedback   # as typed, not Python's p_i**2


@pytest.mark.parametrize("divisor", [1 - p_sym, p_sym * (1 - p_sym)])
def test_a_factor_that_is_not_a_simple_power_gets_a_generic_sentence(divisor):
    # Was: "missing factor of 1 - p_i", "missing factor of p_i*(1 - p_i)": factors are named only
    # when they are a constant or a power of one symbol.
    p = SEED.substitute(p_sym)
    key = 2 * (p - y) * p * (1 - p) * x
    r = compare(key, key / SEED.substitute(divisor), context=SEED)
    assert r.feedback.startswith("Your answer is off by a factor that is not a constant (it depends on p_i); at ")
    assert "missing factor" not in r.feedback


E9 = sp.Rational(1, 10**9)


@pytest.mark.parametrize("answer,wrong_claim", [
    (KEY * (2 + E9 * w), "factor of 2"),
    (-KEY * (1 + E9 * x), "sign error"),
    (KEY + 5 + E9 * w, "additive constant"),
    (KEY * w * (1 + E9 * w), "extra factor of w"),
])
def test_a_constant_or_factor_read_off_doubles_is_verified_before_it_is_said(answer, wrong_claim):
    # Was: "Off by a factor of 2" for 2 + 1e-9 w, "Sign error" for -(1 + 1e-9 x_i), ...: the doubles
    # cannot see 1e-9; 200-bit arithmetic can, and the claim is dropped.
    r = compare(KEY, answer, context=PLAIN)
    assert r.verdict is Verdict.INCORRECT
    assert wrong_claim not in r.feedback.lower()
    assert re.fullmatch(r"At w=\S+, x_i=\S+, y_i=[01] your answer is \S+, expected \S+", r.feedback), r.feedback


def test_piecewise_feedback_names_the_wrong_region():
    ctx = GradingContext.from_json({"domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [-1, 1]}}})
    key = sp.Piecewise((-y, y * w * x < 1), (0, True))
    r = compare(key, sp.Piecewise((y, y * w * x < 1), (0, True)), context=ctx)
    assert r.feedback.startswith("Wrong when w*x_i*y_i < 1")
    assert r.regions[0].witness is not None and r.regions[1].correct


def test_undefined_answer_feedback():
    ctx = GradingContext.from_json({"domain": {"x_i": [-3, 3]}})
    r = compare(sp.log(x ** 2), 2 * sp.log(x), context=ctx)
    assert r.verdict is Verdict.INCORRECT
    assert re.match(r"Your answer is undefined at x_i=-[\d.]+, where the expected answer is", r.feedback)


def test_extra_symbol_is_named():
    r = compare(2 * w, 2 * w + R("z"), context=PLAIN)
    assert "your answer uses z, which the expected answer does not" in r.feedback.lower()


def test_number_feedback_without_point():
    r = compare(sp.Rational(-24, 5), sp.Rational(-479, 100), inexact=True)
    assert r.feedback == "Your answer is -4.79, expected -4.8"


@pytest.mark.parametrize("value,text", [(2.0, "2"), (0.5, "1/2"), (-0.75, "-3/4"), (3.14159, None), (0.0, None)])
def test_simple_number(value, text):
    assert simple_number(value) == text


def test_formatting_helpers():
    assert fmt(1.0) == "1" and fmt(0.123456) == "0.1235" and fmt(float("nan")) == "undefined"
    assert describe_point({"x_i": 1.2, "y_i": 1.0}) == "x_i=1.2, y_i=1"
    assert witness_sentence({"x": 1.0}, 0.31, 0.29) == "at x=1 your answer is 0.31, expected 0.29"
    assert "differ by 2e-22" in witness_sentence({"x": 1.0}, 1.0, 1.0, 2e-22)
