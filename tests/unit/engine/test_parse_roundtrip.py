"""Property: sympy's own text and LaTeX printers' output parses back to the same expression."""

from __future__ import annotations

import cmath
import math

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.engine.errors import LimitExceeded
from grader.engine.limits import DEFAULT_LIMITS
from grader.engine.parsing import parse

X, Y, Z, P, ETA = (sympy.Symbol(n, real=True) for n in ("x", "y", "z", "p_i", "eta"))
POINTS = ({X: 0.7, Y: 1.3, Z: 2.1, P: 0.35, ETA: 0.1}, {X: -1.1, Y: 0.4, Z: 0.9, P: 0.8, ETA: 2.0},
          {X: 1.9, Y: -0.6, Z: -1.4, P: -0.5, ETA: -0.7})

leaves = st.one_of(
    st.sampled_from([X, Y, Z, P, ETA]),
    st.integers(-9, 9).map(sympy.Integer),
    st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(lambda t: sympy.Rational(*t)),
    st.sampled_from([sympy.E, sympy.pi]),
)
UNARY = [sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.tanh, sympy.sinh,
         sympy.sqrt, sympy.Abs, sympy.atan, sympy.asin, sympy.sign, sympy.cosh,
         lambda a: 1 / (1 + sympy.exp(-a))]


def _safe(make):
    def apply(t):
        try:
            return make(*t)
        except (TypeError, ValueError, ZeroDivisionError):
            return t[0]
    return apply


def _extend(children):
    return st.one_of(
        st.tuples(children, children).map(_safe(lambda a, b: a + b)),
        st.tuples(children, children).map(_safe(lambda a, b: a - b)),
        st.tuples(children, children).map(_safe(lambda a, b: a * b)),
        st.tuples(children, children).map(_safe(lambda a, b: a / b if b != 0 else a)),
        st.tuples(children, st.sampled_from([-2, -1, 2, 3, sympy.Rational(1, 2),
                                             sympy.Rational(-3, 2)])).map(_safe(sympy.Pow)),
        st.tuples(children, st.sampled_from(UNARY)).map(_safe(lambda a, f: f(a))),
        st.tuples(children, children).map(_safe(sympy.Max)),
        st.tuples(children, children, st.integers(-3, 3)).map(
            _safe(lambda a, b, c: sympy.Piecewise((a, X < c), (b, True)))),
        st.tuples(children, children, st.integers(-3, 3)).map(
            _safe(lambda a, b, c: sympy.Piecewise((a, (Y >= c) & (P < 1)), (b, Y <= c)))),
        st.tuples(children, children).map(_safe(sympy.Min)),
    )


expressions = st.recursive(leaves, _extend, max_leaves=8).filter(
    lambda e: not e.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan, sympy.I)
    and not e.atoms(sympy.AccumBounds))


def _value(expr: sympy.Expr, point: dict) -> complex | None:
    try:
        v = complex(expr.evalf(15, subs=point))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return v if cmath.isfinite(v) else None


def _same(parsed: sympy.Expr, original: sympy.Expr) -> bool:
    if parsed == original:
        return True
    compared = 0
    for point in POINTS:
        a, b = _value(parsed, point), _value(original, point)
        if a is None or b is None:
            continue
        compared += 1
        if abs(a - b) > 1e-9 * max(1.0, abs(b)):
            return False
    return compared > 0 or sympy.simplify(parsed - original) == 0


_LN_LIMIT = DEFAULT_LIMITS.max_magnitude * math.log(10)


def _really_huge(expr: sympy.Expr) -> bool:
    """Whether a constant exponential inside ``expr`` truly passes 10^max_magnitude: judged by
    sympy's own evaluation of exponents, innermost first (each evaluated one is known small)."""
    for sub in sympy.postorder_traversal(expr):
        if sub.free_symbols:
            continue
        if isinstance(sub, sympy.Pow) and not sub.exp.is_Integer:
            size = sub.exp * sympy.log(sympy.Abs(sub.base))
        elif isinstance(sub, (sympy.exp, sympy.sinh, sympy.cosh)):
            size = sympy.Abs(sub.args[0])
        else:
            continue
        value = size.evalf(15)
        if value.is_real and value > _LN_LIMIT:
            return True
    return False


def _parses_back(text: str, expr: sympy.Expr, syntax: str) -> None:
    try:
        parsed = parse(text, syntax=syntax).expr
    except LimitExceeded:  # refused as too large: only right when it really is
        assert _really_huge(expr), text
        return
    assert _same(parsed, expr), text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_sympy_text_printer_round_trips(expr):
    _parses_back(sympy.sstr(expr), expr, "text")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_sympy_latex_printer_round_trips(expr):
    _parses_back(sympy.latex(expr), expr, "latex")


# drawn by the properties above and refused as "number too large (more than 10^10000)": the old
# size estimate over-counted 3/4 as 3*(1/4) and compounded it through exp
@pytest.mark.parametrize("expr", [
    sympy.exp(sympy.exp(sympy.Rational(3, 4))), sympy.exp(sympy.exp(1 + sympy.E)),
    sympy.exp(sympy.exp(sympy.Rational(-7, 9) * sympy.pi)), sympy.exp(sympy.exp(sympy.exp(2))),
    sympy.cosh(sympy.exp(sympy.E + sympy.pi)), sympy.exp(sympy.exp(9) / 9),
])
def test_nested_exponentials_of_moderate_constants_round_trip(expr):
    for text, syntax in ((sympy.sstr(expr), "text"), (sympy.latex(expr), "latex")):
        assert _same(parse(text, syntax=syntax).expr, expr), text


@pytest.mark.parametrize("expr", [
    sympy.exp(X) * sympy.log(Y), sympy.sqrt(X + 1), sympy.root(X, 4), sympy.asin(X),
    sympy.acos(X), sympy.Min(X, 1), sympy.log(X, 2), sympy.sign(X), sympy.cosh(X) ** -1,
    sympy.exp(-X**2 / 2), 2**X, sympy.E ** (X * Y), sympy.factorial(X), X ** sympy.Rational(3, 2),
    sympy.Piecewise((X, (X < 1) & (Y > 0)), (Y, True)), sympy.Piecewise((X, X <= 1), (0, True)),
    sympy.Rational(-3, 7) * X, sympy.Abs(X - Y) / (Z + 1),
])
def test_printer_output_for_named_forms_round_trips(expr):
    for text in (sympy.sstr(expr), sympy.latex(expr)):
        assert _same(parse(text).expr, expr), text


def test_heaviside_round_trips_in_text():
    assert parse(sympy.sstr(sympy.Heaviside(X))).expr == sympy.Heaviside(X)
