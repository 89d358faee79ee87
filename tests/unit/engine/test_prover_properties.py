"""Property: the prover is never wrong. True only for pairs equal at every point, False only when
the difference is a nonzero constant; equal rewritings of one expression are never called different."""

from __future__ import annotations

import math
import random

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.engine.prover import prove_equal
from grader.engine.tape import Tape

X, Y = sp.symbols("x y", real=True)
leaves = st.sampled_from([X, Y, sp.Integer(2), sp.Rational(1, 2), sp.Integer(-1)])
UNARY = [sp.exp, lambda u: 1 / (1 + sp.exp(-u)), lambda u: u ** 2, lambda u: -u, sp.sin, sp.tanh]
BINARY = [sp.Add, sp.Mul, lambda u, v: u / (v ** 2 + 1), lambda u, v: u - v]


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return (st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0](t[1]))
            | st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: t[0](t[1], t[2])))


expressions = st.recursive(leaves, _extend, max_leaves=6)
REWRITES = [sp.expand, sp.together, lambda e: e.rewrite(sp.exp), sp.factor_terms,
            lambda e: e.subs(sp.exp(X), 1 / sp.exp(-X))]


def _values(expr: sp.Expr, n: int = 6) -> list[float]:
    rng = random.Random(1)
    tape = Tape.from_expr(expr, [X, Y])
    return [tape.output({"x": rng.uniform(-2, 2), "y": rng.uniform(-2, 2)}) for _ in range(n)]


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, expressions)
def test_verdicts_agree_with_numbers(a, b):
    verdict = prove_equal(a, b, budget_s=0.2)
    va, vb = _values(a), _values(b)
    if verdict is True:
        assert all(_close(p, q) for p, q in zip(va, vb)), (a, b)
    elif verdict is False:
        diffs = [p - q for p, q in zip(va, vb) if math.isfinite(p) and math.isfinite(q)]
        assert diffs and all(abs(d) > 1e-12 and math.isclose(d, diffs[0], rel_tol=1e-6) for d in diffs), (a, b)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.sampled_from(REWRITES))
def test_equal_rewritings_are_never_called_different(a, rewrite):
    b = rewrite(a)
    assert prove_equal(a, b, budget_s=0.2) is not False, (a, b)
    assert prove_equal(a, b + 1, budget_s=0.2) is not True, (a, b)
