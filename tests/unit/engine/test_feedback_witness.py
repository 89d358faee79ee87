"""A witness point in feedback is one a student can type back: short, and the answers differ there."""

from __future__ import annotations

import re
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from grader.engine.context import GradingContext
from grader.engine.equivalence import compare
from grader.engine.results import Verdict
from grader.engine.witness_print import reproducible, rounded

x = sp.Symbol("x", real=True)
CTX = GradingContext.from_json({"domain": {"x": [-3, 3]}})
# differs from x^2 only on the sliver 1.5 < x < 1.5001, which the boundary probe finds
SLIVER = x**2 + sp.Piecewise((1, (x > sp.Rational(3, 2)) & (x < sp.Rational(15001, 10000))), (0, True))


def printed_point(feedback: str) -> dict[str, Fraction]:
    m = re.search(r"[Aa]t ((?:\w+=-?[\d.e+-]+(?:, )?)+) your answer", feedback)
    assert m, feedback
    return {k: Fraction(v) for k, v in (kv.split("=") for kv in m.group(1).split(", "))}


def exactly(expr: sp.Expr, point: dict[str, Fraction]) -> sp.Expr:
    return expr.subs({sp.Symbol(k, real=True): sp.Rational(v.numerator, v.denominator) for k, v in point.items()})


@pytest.mark.parametrize("seed", range(4))
def test_a_witness_near_a_breakpoint_reproduces_when_typed_back(seed: int) -> None:
    # Was: "At x=1.5 your answer is 3.25, expected 2.25" for x = 1.50005875, and at x = 1.5 both are 2.25.
    r = compare(x**2, SLIVER, context=CTX, seed=seed)
    assert r.verdict is Verdict.INCORRECT
    point = printed_point(r.feedback)
    assert exactly(SLIVER, point) != exactly(x**2, point)
    assert r.witness == {k: float(v) for k, v in point.items()}


def test_a_sampled_witness_is_printed_with_three_significant_digits() -> None:
    answer = x**2 + sp.Piecewise((1, x > sp.Rational(12345, 10000)), (0, True))
    r = compare(x**2, answer, context=CTX, seed=0)
    point = printed_point(r.feedback)
    text = re.search(r"x=(\S+) your answer", r.feedback).group(1)
    assert len(text.replace("-", "").replace(".", "").strip("0")) <= 3, text
    assert exactly(answer, point) - exactly(x**2, point) == 1


def test_the_values_shown_are_those_at_the_printed_point() -> None:
    r = compare(x**2, x**2 + 1, context=CTX, seed=0)
    point = printed_point(r.feedback)
    shown = float(exactly(x**2, point))
    m = re.search(r"your answer is (\S+), expected ([^\s;(]+)", r.feedback)
    assert m and float(m.group(2)) == pytest.approx(shown, rel=1e-3)
    assert float(m.group(1)) == pytest.approx(shown + 1, rel=1e-3)


def test_more_digits_when_the_short_point_agrees() -> None:
    # 1.5000001 rounds to 1.5, where both sides agree: the witness keeps the digits it needs.
    w = reproducible(x**2, x**2 + sp.Piecewise((1, x > sp.Rational(3, 2)), (0, True)), {"x": 1.5000001})
    assert w is not None and w.point == {"x": 1.5000001}
    assert (w.answer, w.expected) == (pytest.approx(3.2500003), pytest.approx(2.2500003))


def test_a_point_where_no_rounding_differs_is_not_printed_rounded() -> None:
    assert reproducible(x**2, x**2 + sp.Piecewise((1, sp.Eq(x, sp.Rational(1, 3))), (0, True)),
                        {"x": 1 / 3}) is None


def test_rounding_stays_inside_the_domain() -> None:
    ctx = GradingContext.from_json({"domain": {"x": [0.05, 0.95]}})
    w = reproducible(sp.log(x), sp.log(x) + x, {"x": 0.0500004}, ctx.domain)
    assert w is not None and 0.05 <= w.point["x"] <= 0.95


def test_an_expected_value_that_is_rounding_noise_prints_as_zero() -> None:
    # Was: "At x=-2.901 your answer is -2.901, expected 4.278e-61" (the key sin^2 + cos^2 - 1 is 0).
    r = compare(sp.sin(x)**2 + sp.cos(x)**2 - 1, x, context=CTX)
    assert r.verdict is Verdict.INCORRECT
    assert re.search(r"expected 0(\b|$)", r.feedback) and "e-" not in r.feedback


def test_an_undefined_answer_is_undefined_at_the_printed_point() -> None:
    r = compare(sp.log(x**2), 2 * sp.log(x), context=CTX)
    m = re.match(r"Your answer is undefined at x=(-[\d.]+), where", r.feedback)
    assert m and len(m.group(1)) <= 5
    with mpmath.workprec(200):
        assert mpmath.mpf(m.group(1)) < 0   # log of a negative number: undefined over the reals


@pytest.mark.parametrize("value,digits,text", [(1.23456, 3, "1.23"), (-0.000123456, 3, "-0.000123"),
                                               (98765.4, 3, "98800.0"), (1.5000001, 10, "1.5000001")])
def test_rounded(value: float, digits: int, text: str) -> None:
    assert repr(rounded(value, digits)) == text
