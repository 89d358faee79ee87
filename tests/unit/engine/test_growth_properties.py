"""Property: the enclosures the growth check relies on hold every value the tape computes."""

from __future__ import annotations

import mpmath
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grader.engine.double_bounds import fits_in_doubles
from grader.engine.growth_check import row_enclosures
from grader.engine.tape import Tape
from grader.engine.value_bounds import Bounds, TooLarge

X, W = sp.symbols("x w", real=True)
BOX = {"x": (-2.0, 2.0), "w": (0.5, 3.0)}

leaves = st.sampled_from([X, W, sp.Integer(2), sp.Rational(1, 3), sp.Integer(-3), sp.pi, sp.E])
UNARY = [sp.exp, sp.sin, sp.cos, sp.tan, sp.tanh, sp.atan, sp.sinh, sp.cosh, sp.Abs, lambda u: sp.sqrt(sp.Abs(u)),
         lambda u: sp.log(u ** 2 + 1), lambda u: 1 / u, lambda u: u ** 3, lambda u: u ** -2,
         lambda u: sp.exp(sp.exp(u)), lambda u: W ** u, lambda u: sp.asin(sp.tanh(u))]
BINARY = [sp.Add, sp.Mul, lambda u, v: u - v, lambda u, v: u / (v ** 2 + 1), sp.Max, sp.Min,
          lambda u, v: sp.Piecewise((u, v < 0.5), (v * u, True))]


def _safe(t: tuple) -> sp.Expr:
    try:
        return t[0](*t[1:])
    except (TypeError, ValueError, ZeroDivisionError):  # sympy refuses some combinations of constants
        return t[1]


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    unary = st.tuples(st.sampled_from(UNARY), children).map(_safe)
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(_safe)
    return unary | binary


expressions = st.recursive(leaves, _extend, max_leaves=6).filter(
    lambda e: not e.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I))
points = st.tuples(st.floats(*BOX["x"]), st.floats(*BOX["w"]))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expressions, points)
def test_every_value_on_the_box_lies_in_its_enclosure(expr, pt):
    tape = Tape.from_expr(expr, [W, X])
    try:
        spans = row_enclosures(tape, BOX, Bounds(10_000))
    except TooLarge:
        assume(False)
    small = fits_in_doubles(tape.rows, BOX)
    rows = tape.forward({"x": pt[0], "w": pt[1]}, backend="mpmath", prec=80)
    bounds = Bounds(10_000)
    for row, span, value in zip(tape.rows, spans, rows):
        if span is None or isinstance(value, bool) or not mpmath.isfinite(value):
            continue
        lo, hi = bounds.ends(span)
        slack = 1e-9 * max(1.0, abs(float(value)))
        assert lo - slack <= float(value) <= hi + slack, (expr, row)
        if small:
            assert abs(value) < 1e300, (expr, row)
