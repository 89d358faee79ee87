"""Properties of compare() on random expressions: equal forms accepted, perturbed forms rejected."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from grader.engine.equivalence import compare
from grader.engine.results import Verdict

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


def random_expr(r: random.Random, depth: int = 0) -> sp.Expr:
    """Small expressions of the kind derivative answers are made of (defined on all reals)."""
    if depth > 3 or r.random() < 0.25:
        return r.choice([x, y, sp.Integer(r.randint(1, 5)), sp.Rational(r.randint(1, 5), r.randint(2, 7))])
    a, b = random_expr(r, depth + 1), random_expr(r, depth + 1)
    return r.choice([
        lambda: a + b, lambda: a * b, lambda: sp.exp(a / 3), lambda: 1 / (1 + sp.exp(-a)),
        lambda: sp.sin(a), lambda: a ** r.randint(2, 3), lambda: a / (1 + b ** 2), lambda: sp.tanh(a),
        lambda: sp.log(1 + a ** 2),
    ])()


def _cases(n: int = 40) -> list[sp.Expr]:
    r, out = random.Random(2024), []
    while len(out) < n:
        e = random_expr(r)
        if e.free_symbols:
            out.append(e)
    return out


CASES = _cases()


@pytest.mark.parametrize("e", CASES, ids=[f"e{i}" for i in range(len(CASES))])
def test_random_expression_equivalences(e):
    assert compare(e, sp.expand(e)).verdict is Verdict.CORRECT
    assert compare(e, e + sp.exp(-40) * x).verdict is Verdict.INCORRECT       # below double precision
    assert compare(e, e * (1 + sp.Rational(1, 10**8))).verdict is Verdict.INCORRECT
    wrong = compare(e, e + x * y / 1000)
    assert wrong.verdict is Verdict.INCORRECT and wrong.witness is not None
