"""The symbolic prover: proofs of the seed's identities, disproofs, undecided, and bounded time."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from grader.engine.prover import prove_equal, try_simplify
from grader.engine.prover_rational import RationalForm

a, x, w, y, b = sp.symbols("a_i x_i w y_i b", real=True)
P = 1 / (1 + sp.exp(-a))
DPDA = sp.exp(-a) / (1 + sp.exp(-a)) ** 2
KEY_1E = 2 * P ** 3 * sp.exp(-a) * x - 2 * P ** 2 * sp.exp(-a) * y * x


@pytest.mark.parametrize("key, answer", [
    (DPDA, P * (1 - P)),                                     # 1b vs 1c's form
    (DPDA, sp.exp(a) / (1 + sp.exp(a)) ** 2),
    (DPDA, 1 / (sp.exp(a) + 2 + sp.exp(-a))),
    (P * (1 - P), P - P ** 2),                               # 1c
    (KEY_1E, (2 * P - 2 * y) * P * (1 - P) * x),             # 1e chain rule form
    (KEY_1E.subs(a, w * x), ((2 * P - 2 * y) * DPDA * x).subs(a, w * x)),
    (sp.tanh(a), 2 / (1 + sp.exp(-2 * a)) - 1),
    (sp.exp(-a / 2) ** 2, sp.exp(-a)),
    (2 * P - 2 * y, 2 * (P - y)),                            # 1a
    (x ** 2 / x, x),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)),
    (-y * x + 2 * w, 2 * w - x * y),
    (x + 1 / (w * x + b), (w * x ** 2 + b * x + 1) / (w * x + b)),
])
def test_proves_true_identities_quickly(key, answer):
    prove_equal(key, answer, budget_s=1.0)  # warm sympy's caches for the timing below
    t0 = time.monotonic()
    assert prove_equal(key, answer, budget_s=0.25) is True
    assert time.monotonic() - t0 < 1.0  # a hang guard, not a speed test: the figures are in benchmarks/check_bench.py


@pytest.mark.parametrize("key, answer", [
    (x + sp.exp(-50), x),
    (DPDA, DPDA + 1),
    (sp.Integer(-24) / 5, sp.Rational(-5, 1)),
    (sp.pi * x, sp.pi * x + sp.sqrt(2) - sp.sqrt(3)),
])
def test_disproves_a_nonzero_constant_difference(key, answer):
    assert prove_equal(key, answer, budget_s=0.25) is False


@pytest.mark.parametrize("key, answer", [
    (DPDA, sp.exp(-a) / (1 + sp.exp(-a)) ** 3),              # differs but not by a constant
    (x, x + x ** 2 / 1000),
    (sp.Abs(x), x),
    (sp.exp(-x), 2 * sp.exp(-x)),
])
def test_different_but_not_constant_is_undecided_never_true(key, answer):
    assert prove_equal(key, answer, budget_s=0.25) is None


def test_piecewise_proved_branch_by_branch():
    k = sp.Piecewise((-y * x + 2 * w, y * w * x < 1), (2 * w, True))
    s = sp.Piecewise((2 * w - x * y, y * w * x < 1), (w + w, True))
    assert prove_equal(k, s, budget_s=0.25) is True


@pytest.mark.parametrize("key, answer", [
    ((x + y + w) ** 150, (x + 2 * y + w) ** 150),
    ((x + 1) ** 200 * (y + 1) ** 200, (x * y + x + y + 1) ** 200),
    (sp.exp(-10 ** 6 * a) / (1 + sp.exp(-a)), sp.exp(a)),
    (sp.Add(*[sp.sin(x * k) ** 3 / (1 + sp.exp(-k * a)) for k in range(1, 60)]), sp.Integer(0)),
    (sp.Add(*[1 / (1 + sp.exp(-k * x * w + y)) for k in range(1, 30)]), sp.Integer(0)),  # stopped by the clock
    (sp.Add(*[1 / (x + k * y + k ** 2) for k in range(1, 60)]), sp.Add(*[1 / (x + k * y) for k in range(1, 60)])),
])
def test_big_inputs_are_gated_and_return_within_budget(key, answer):
    t0 = time.monotonic()
    assert prove_equal(key, answer, budget_s=0.1) is None
    assert time.monotonic() - t0 < 2.0  # a hang guard, not a speed test: the figures are in benchmarks/check_bench.py


def test_zero_budget_is_undecided_unless_structural():
    assert prove_equal(P, P, budget_s=0.0) is True
    assert prove_equal(DPDA, P * (1 - P), budget_s=0.0) is None


def test_rational_normal_form_groups_exponential_cores():
    f = RationalForm(sp.exp(-a) + sp.exp(a / 2) + sp.exp(2 * w * x) + sp.exp(a + w * x))
    assert sorted(str(k[1]) for k in f.keys if k[0] == "exp") == ["a_i", "w*x_i"]
    assert f.exp_l[a] == 2 and f.independent()
    back = f.as_expr()
    assert sp.simplify(back - (sp.exp(-a) + sp.exp(a / 2) + sp.exp(2 * w * x) + sp.exp(a + w * x))) == 0
    assert not RationalForm(sp.sin(x) + sp.sqrt(x)).independent()


def test_nonzero_normal_form_over_independent_generators_stops_early():
    t0 = time.monotonic()
    assert prove_equal(DPDA, sp.exp(-a) / (1 + sp.exp(-a)) ** 3, budget_s=5.0) is None
    assert time.monotonic() - t0 < 2.0  # far below the 5 s budget: it stopped early


def test_try_simplify_finds_simple_ratios():
    assert try_simplify((2 * P - 2 * y) * x / (P - y), budget_s=0.1) == 2 * x
    assert try_simplify(DPDA / (P * (1 - P)), budget_s=0.1) == 1
    assert try_simplify(x, budget_s=0.1) is None
    assert try_simplify(DPDA / (P * (1 - P)), budget_s=0.0) is None


def test_very_deep_trees_are_undecided_not_errors():
    deep = x
    for k in range(3000):
        deep = sp.Add(sp.Mul(2, deep, evaluate=False), k, evaluate=False)
    assert prove_equal(deep, deep + 1, budget_s=0.1) in (None, False)
    try_simplify(deep, budget_s=0.05)  # must not raise
