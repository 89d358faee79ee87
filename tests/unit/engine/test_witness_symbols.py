"""The witness in the symbols the student used: an answer written in p_i is told p_i (and the
sampled symbols it names) at the point, the ones it does not name in parentheses, and the
printed values reproduce when typed back."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy as sp

from grader.engine.check import check_answer
from grader.engine.context import GradingContext
from grader.engine.results import Verdict
from grader.engine.witness_symbols import in_student_symbols

CTX = GradingContext.from_json({"definitions": {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i"},
                                "domain": {"w": [-2, 2], "x_i": [-2, 2], "y_i": {"values": [0, 1]}}})
KEY = "(p_i - y_i)*x_i"
p, a, w, x, y = (sp.Symbol(n, real=True) for n in ("p_i", "a_i", "w", "x_i", "y_i"))
KEY_EXPR = (1 / (1 + sp.exp(-w * x)) - y) * x


def parts(feedback: str) -> tuple[dict[str, Fraction], dict[str, Fraction], float, float]:
    m = re.search(r"[Aa]t ([^;(]*?) (?:\(([^)]*)\) )?your answer is (\S+), expected ([^\s;(]+)", feedback)
    assert m, feedback

    def point(text: str | None) -> dict[str, Fraction]:
        return {} if not text else {k: Fraction(v) for k, v in (kv.split("=") for kv in text.split(", "))}

    return point(m.group(1)), point(m.group(2)), float(m.group(3)), float(m.group(4).rstrip("."))


def exactly(expr: sp.Expr, point: dict[str, Fraction]) -> float:
    return float(expr.xreplace({sp.Symbol(k, real=True): sp.Rational(v.numerator, v.denominator)
                                for k, v in point.items()}).evalf(30))


@pytest.mark.parametrize("answer, written, shown, hidden", [
    ("p_i - y_i", p - y, {"p_i", "y_i"}, {"w", "x_i"}),
    ("(p_i - y_i)*x_i*p_i", (p - y) * x * p, {"p_i", "x_i", "y_i"}, {"w"}),
    ("a_i*(p_i - y_i)", a * (p - y), {"a_i", "p_i", "y_i"}, {"w", "x_i"}),
])
def test_an_answer_in_defined_symbols_is_told_the_point_in_its_own_symbols(
        answer: str, written: sp.Expr, shown: set[str], hidden: set[str]) -> None:
    # Was: "At w=0.589, x_i=1.73, y_i=1 your answer is ..." for an answer written in p_i, which
    # names neither w nor, here, x_i: the student could not check the point against their answer.
    r = check_answer(KEY, answer, context=CTX, cache=None)
    assert r.verdict is Verdict.INCORRECT
    point, rest, said, expected = parts(r.feedback)
    assert set(point) == shown and set(rest) == hidden, r.feedback
    # typed back: the answer as written at exactly the printed values is the value said ...
    assert said == pytest.approx(exactly(written, point), rel=1e-3, abs=1e-12)
    # ... the key at the printed sampled point is the expected value, and the two differ
    sampled = {**rest, **{k: v for k, v in point.items() if k in ("x_i", "y_i")}}
    assert expected == pytest.approx(exactly(KEY_EXPR, sampled), rel=1e-3)
    assert abs(said - expected) > 1e-3
    # the defined symbols are printed as their values at the sampled point (3 significant digits)
    at_p = 1 / (1 + sp.exp(-sp.Rational(sampled["w"]) * sp.Rational(sampled["x_i"])))
    if "p_i" in point:
        assert float(point["p_i"]) == float(f"{float(at_p):.3g}")
    assert r.extra["witness_symbols"] == {k: float(v) for k, v in {**point, **rest}.items()}


def test_an_answer_in_the_sampled_symbols_keeps_the_sampled_point() -> None:
    r = check_answer(KEY, "1/(1+exp(-w*x_i)) - y_i", context=CTX, cache=None)
    point, rest, _, _ = parts(r.feedback)
    assert set(point) == {"w", "x_i", "y_i"} and rest == {} and "witness_symbols" not in r.extra


def test_no_rounding_that_still_differs_gives_no_student_witness() -> None:
    # within the tolerance at every rounding: nothing to print in the student's symbols
    assert in_student_symbols(2 * a, 2 * w * x, {"w": 0.5, "x_i": 0.4}, CTX, tolerance=0.5) is None
    s = in_student_symbols(3 * a, 2 * w * x, {"w": 0.5, "x_i": 0.4}, CTX)
    assert s is not None and (s.point, s.hidden) == ({"a_i": 0.2}, {"w": 0.5, "x_i": 0.4})
    assert (s.answer, s.expected) == pytest.approx((0.6, 0.4))
