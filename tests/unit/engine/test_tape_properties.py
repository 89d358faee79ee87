"""Property: on random expressions the tape's gradient equals sympy.diff, on both backends."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.engine.tape import Tape

X, W = sp.symbols("x w", real=True)

leaves = st.sampled_from([X, W, sp.Integer(2), sp.Rational(1, 3), sp.Integer(-1), sp.pi])
UNARY = [sp.exp, sp.sin, sp.cos, sp.tanh, sp.atan, lambda u: sp.log(u ** 2 + 1), lambda u: sp.sqrt(u ** 2 + 1),
         sp.Abs, lambda u: 1 / (1 + sp.exp(-u))]
BINARY = [sp.Add, sp.Mul, lambda u, v: u - v, lambda u, v: u / (v ** 2 + 1), lambda u, v: u ** 2 * v,
          sp.Max, lambda u, v: sp.Piecewise((u, v < 0.5), (v * u, True))]


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0](t[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: t[0](t[1], t[2]))
    return unary | binary


expressions = st.recursive(leaves, _extend, max_leaves=8)
points = st.tuples(st.floats(-2, 2), st.floats(-2, 2))


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, points)
def test_tape_gradient_equals_sympy_diff(expr, pt):
    x0, w0 = (round(v, 6) for v in pt)
    values = {"x": x0, "w": w0}
    subs = {X: sp.Rational(str(x0)), W: sp.Rational(str(w0))}
    tape = Tape.from_expr(expr, [X, W])
    grad = tape.gradient(values)
    with mpmath.workdps(30):
        mgrad = tape.gradient(values, backend="mpmath")
    for s in (X, W):
        d = sp.diff(expr, s)
        if d.has(sp.Subs, sp.Derivative, sp.DiracDelta, sp.Heaviside, sp.sign):
            continue  # kinks: sympy's derivative is not a plain function there
        try:
            want = complex(d.subs(subs).evalf(30))
        except (TypeError, ValueError):
            continue
        if abs(want.imag) > 1e-12 or not math.isfinite(want.real) or abs(want.real) > 1e12:
            continue
        assert grad[s.name] == pytest.approx(want.real, rel=1e-7, abs=1e-9), (expr, s)
        assert float(mgrad[s.name]) == pytest.approx(want.real, rel=1e-12, abs=1e-15), (expr, s)
