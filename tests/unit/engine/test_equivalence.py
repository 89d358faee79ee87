"""compare() on sympy-built expressions: identities, near misses, domains, precision traps."""

from __future__ import annotations

import sympy as sp
import pytest

from grader.engine.context import Discrete, GradingContext, Interval
from grader.engine.equivalence import compare
from grader.engine.results import Verdict


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


w, x, y, a, b, u = map(R, ["w", "x_i", "y_i", "a_i", "b", "u"])
p = 1 / (1 + sp.exp(-w * x))            # p_i with a_i = w x_i substituted
sig = lambda t: 1 / (1 + sp.exp(-t))   # noqa: E731

Q1 = GradingContext(domain={"x_i": Interval(-3, 3), "w": Interval(-2, 2), "y_i": Discrete((0, 1))})
Q2 = GradingContext(domain={"x_i": Interval(-3, 3), "w": Interval(-2, 2), "y_i": Discrete((-1, 1))})
FREE = GradingContext()

CORRECT = [
    # (id, key, answer, context)
    ("q1a_expanded", 2 * p - 2 * y, 2 * (p - y), Q1),
    ("q1b_p_one_minus_p", sp.exp(-w * x) / (1 + sp.exp(-w * x)) ** 2, p * (1 - p), Q1),
    ("q1b_p_minus_p_squared", sp.exp(-a) / (1 + sp.exp(-a)) ** 2, sig(a) - sig(a) ** 2, FREE),
    ("q1e_chain_form", (2 * p - 2 * y) * sp.exp(-w * x) * p ** 2 * x, 2 * p * (1 - p) * (p - y) * x, Q1),
    ("tanh_logistic_identity", sig(a), (1 + sp.tanh(a / 2)) / 2, FREE),
    ("logistic_symmetry", 1 - sig(a), sig(-a), FREE),
    ("logistic_derivative_exp_form", sp.exp(a) / (1 + sp.exp(a)) ** 2, sig(a) * sig(-a), FREE),
    ("softplus_derivative", sp.diff(sp.log(1 + sp.exp(a)), a), sig(a), FREE),
    ("domain_y_squared_is_y", 2 * p - 2 * y, 2 * p - 2 * y ** 2, Q1),
    ("domain_y_squared_is_one", y ** 2 * w, w, Q2),
    ("domain_abs_y_is_one", sp.Abs(y) * x, x, Q2),
    ("x_squared_over_x", x, x ** 2 / x, FREE),
    ("seed_q3_adjoint", 1 - w / (w * x + b) ** 2, sp.diff(x + 1 / (w * x + b), x), FREE),
    ("max_as_piecewise", sp.Max(0, 1 - y * w * x), sp.Piecewise((1 - y * w * x, y * w * x < 1), (0, True)), Q2),
    ("exact_fraction", sp.Rational(-24, 5), sp.Rational(-48, 10), FREE),
    ("sqrt_of_square_is_abs", sp.Abs(x), sp.sqrt(x ** 2), FREE),
]

INCORRECT = [
    ("sign_error", 2 * p - 2 * y, 2 * y - 2 * p, Q1),
    ("seed_q1e_boxed_3_for_2", (2 * p - 2 * y) * sp.exp(-w * x) * p ** 2 * x,
     2 * p ** 3 * sp.exp(-w * x) * x - 3 * p ** 2 * sp.exp(-w * x) * y * x, Q1),
    ("near_miss_quadratic", x, x + sp.Rational(1, 1000) * x ** 2, FREE),
    ("near_miss_tiny_relative", x, x * (1 + sp.Rational(1, 10**9)), FREE),
    ("exp_minus_50_trap", x, x + sp.exp(-50), FREE),
    ("logistic_cube_vs_square", sp.exp(-a) / (1 + sp.exp(-a)) ** 2, sp.exp(-a) / (1 + sp.exp(-a)) ** 3, FREE),
    ("y_squared_is_not_y_on_pm1", 2 * p - 2 * y, 2 * p - 2 * y ** 2, Q2),
    ("tiny_wrong_factor", sp.exp(-60) * x, 2 * sp.exp(-60) * x, FREE),
    ("power_of_two", sp.Integer(2) ** -98, sp.Integer(2) ** -99, FREE),
    ("extra_symbol", 2 * w, 2 * w + u, FREE),
]


@pytest.mark.parametrize("case_id,key,answer,ctx", CORRECT, ids=[c[0] for c in CORRECT])
def test_equal_forms_are_accepted(case_id, key, answer, ctx):
    r = compare(key, answer, context=ctx)
    assert r.verdict is Verdict.CORRECT, r.feedback
    assert r.method == "symbolic" or r.method.startswith("numeric:")


@pytest.mark.parametrize("case_id,key,answer,ctx", INCORRECT, ids=[c[0] for c in INCORRECT])
def test_different_forms_are_rejected_with_a_witness(case_id, key, answer, ctx):
    r = compare(key, answer, context=ctx)
    assert r.verdict is Verdict.INCORRECT, r.feedback
    assert r.witness is not None or not (key.free_symbols | answer.free_symbols)
    assert "your answer is" in r.feedback.lower()


def test_exp_minus_50_trap_reports_the_tiny_difference():
    r = compare(x, x + sp.exp(-50), context=FREE)
    assert r.verdict is Verdict.INCORRECT
    assert "differ by 1.93e-22" in r.feedback


@pytest.mark.parametrize("answer,inexact,verdict", [
    (sp.Rational(-480, 100), True, Verdict.CORRECT),     # -4.80
    (sp.Rational(-479, 100), True, Verdict.INCORRECT),   # -4.79
    (sp.Rational(-4800001, 1000000), True, Verdict.CORRECT),   # within 1e-6 relative
    (sp.Rational(-48001, 10000), True, Verdict.INCORRECT),
])
def test_numbers_use_the_relative_tolerance(answer, inexact, verdict):
    assert compare(sp.Rational(-24, 5), answer, inexact=inexact).verdict is verdict


def test_inexact_expression_within_tolerance():
    assert compare(x / 3, sp.Rational(3333333, 10**7) * x, inexact=True).verdict is Verdict.CORRECT
    assert compare(x / 3, sp.Rational(333, 1000) * x, inexact=True).verdict is Verdict.INCORRECT


def test_decimal_constants_near_a_zero_of_the_key():
    # near x = -1/3 the relative error of x + 0.3333333 is large, but it is the rounding of a typed
    # decimal: the tolerance follows the decimals' sensitivity (reverse sweep of the tape)
    third = sp.Rational(3333333, 10**7)
    assert compare(x + sp.Rational(1, 3), x + third, inexact=True, seed=3).verdict is Verdict.CORRECT
    assert compare(x + sp.Rational(1, 3), x + sp.Rational(33333, 10**5), inexact=True).verdict is Verdict.INCORRECT
    assert compare(sp.exp(10 * x), sp.exp(10 * x) + 1, inexact=True).verdict is Verdict.INCORRECT


def test_symbolic_method_when_proven_and_points_when_not():
    assert compare(2 * x, x + x).method == "symbolic"
    r = compare(2 * p - 2 * y, 2 * p - 2 * y ** 2, context=Q1)
    assert r.verdict is Verdict.CORRECT


def test_answer_undefined_on_part_of_the_domain_is_incorrect():
    r = compare(x, sp.sqrt(x ** 3) / sp.sqrt(x), context=GradingContext(domain={"x_i": Interval(-3, 3)}))
    assert r.verdict is Verdict.INCORRECT
    assert "undefined at x_i=" in r.feedback
    assert r.witness is not None and r.witness["x_i"] < 0


def test_key_undefined_everywhere_is_undetermined_not_incorrect():
    r = compare(sp.log(-x ** 2 - 1), x, context=FREE)
    assert r.verdict is Verdict.INVALID
    assert r.method == "undetermined" and r.extra.get("undetermined") is True
    assert "could not compare" in r.feedback


def test_resampling_where_the_key_is_undefined():
    # the key is defined only for x > 0 on [-3, 3]: points are resampled there
    r = compare(sp.log(x), sp.log(x ** 2) / 2, context=GradingContext(domain={"x_i": Interval(-3, 3)}))
    assert r.verdict is Verdict.CORRECT


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_same_seed_same_result(seed):
    r1 = compare(x, x + sp.Rational(1, 1000) * x ** 2, seed=seed)
    r2 = compare(x, x + sp.Rational(1, 1000) * x ** 2, seed=seed)
    assert r1 == r2


PW_KEY = sp.Piecewise((-y * x + 2 * w, y * w * x < 1), (2 * w, True))


@pytest.mark.parametrize("answer,verdict,bad_regions", [
    (sp.Piecewise((2 * w - x * y, w * x * y < 1), (2 * w, True)), Verdict.CORRECT, []),
    (sp.Piecewise((2 * w, w * x * y >= 1), (2 * w - x * y, True)), Verdict.CORRECT, []),
    (sp.Piecewise((2 * w - x * y, w * x * y > 1), (2 * w, True)), Verdict.INCORRECT, [0, 1]),
    (sp.Piecewise((2 * w + x * y, w * x * y < 1), (2 * w, True)), Verdict.INCORRECT, [0]),
    (sp.Piecewise((2 * w - x * y, w * x * y < 1), (w, True)), Verdict.INCORRECT, [1]),
    (2 * w - x * y, Verdict.INCORRECT, [1]),
    (2 * w + sp.Max(0, -x * y), Verdict.INCORRECT, [0, 1]),
    (2 * w - x * y * sp.Heaviside(1 - w * x * y), Verdict.CORRECT, []),
])
def test_piecewise_is_compared_region_by_region(answer, verdict, bad_regions):
    r = compare(PW_KEY, answer, context=Q2)
    assert r.verdict is verdict, r.feedback
    assert len(r.regions) == 2
    assert [i for i, reg in enumerate(r.regions) if not reg.correct] == bad_regions
    if bad_regions == [1]:
        assert "wrong when w*x_i*y_i >= 1" in r.feedback.lower()


def test_every_region_gets_points_even_a_small_one():
    # the second region is a sliver of the square: targeted sampling still finds it
    key = sp.Piecewise((x, x < sp.Rational(24, 10)), (x + 1, True))
    r = compare(key, x, context=GradingContext(domain={"x_i": Interval(-2.5, 2.5)}))
    assert r.verdict is Verdict.INCORRECT
    assert not r.regions[1].correct and r.regions[0].correct


def test_conditions_on_discrete_symbols_are_decided_exactly_not_skipped():
    ctx = GradingContext(domain={"y_i": Discrete((0, 1))})
    key = sp.Piecewise((x, y >= 1), (0, True))
    assert compare(key, x * y, context=ctx).verdict is Verdict.CORRECT
    r = compare(key, 2 * x * y, context=ctx)
    assert r.verdict is Verdict.INCORRECT and not r.regions[0].correct and r.regions[1].correct


@pytest.mark.parametrize("seed", range(5))
def test_a_small_wrong_branch_of_the_answer_is_found(seed):
    # the answer is wrong only on x > 2.45 (1% of the default interval)
    answer = sp.Piecewise((x, x < sp.Rational(245, 100)), (x + 1, True))
    assert compare(x, answer, seed=seed).verdict is Verdict.INCORRECT


@pytest.mark.parametrize("lo,hi", [(1e-300, 2e-300), (1e-20, 3e-20), (30, 40), (1e300, 1.5e300)])
def test_scale_of_the_domain_does_not_hide_a_factor_of_two(lo, hi):
    r = compare(sp.exp(-x) * x, 2 * sp.exp(-x) * x, context=GradingContext(domain={"x_i": Interval(lo, hi)}))
    assert r.verdict is Verdict.INCORRECT if lo < 700 else r.verdict is not Verdict.CORRECT
    r = compare(x, 2 * x, context=GradingContext(domain={"x_i": Interval(lo, hi)}))
    assert r.verdict is Verdict.INCORRECT and "factor of 2" in r.feedback


def test_every_discrete_combination_is_visited():
    # wrong only when a = b = c = 4 (1 of 125 combinations)
    a_, b_, c_ = R("a"), R("b"), R("c")
    ctx = GradingContext(domain={n: Discrete((0, 1, 2, 3, 4)) for n in "abc"} | {"x_i": Interval(-1, 1)})
    bump = sp.Mul(*[s * (s - 1) * (s - 2) * (s - 3) for s in (a_, b_, c_)])
    r = compare(x * (a_ + b_ + c_), x * (a_ + b_ + c_ + bump), context=ctx)
    assert r.verdict is Verdict.INCORRECT
    assert (r.witness["a"], r.witness["b"], r.witness["c"]) == (4, 4, 4)
