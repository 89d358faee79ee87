"""Answers cheap to write and explosive to evaluate: refused before evaluation, or kept in time.

Issue 9, class 5: ``exp(exp(exp(exp(x))))`` and ``x^x^x^x^x^x`` ran 8 s in 7 of 20 seeds against a
2 s limit (an mpmath ``exp`` of a huge argument cannot be interrupted), nested powers passed the
exponent limit. The wall-clock bounds below are hang guards with a wide margin (the targets, 50 ms
for a refusal, are measured in benchmarks/hostile_bench.py); the verdict and its reason are the test.
"""

from __future__ import annotations

import time

import mpmath
import pytest
import sympy

from grader.engine import GradingContext, Verdict, check_answer
from grader.engine import mp_guards
from grader.engine.limits import Limits
from grader.engine.tape import Tape

X = GradingContext.from_json({"domain": {"x": [-3, 3]}})
SEEDS = (0, 1, 2, 3)
HANG_GUARD_S = 1.5
HUGE = mpmath.mpf(2) ** (2**1030)  # its logarithm alone is past the evaluator's range

HOSTILE = [  # (answer, reason in the feedback); the key is x on [-3, 3]
    ("exp(exp(exp(exp(x))))", "number too large: your answer passes 10^10000 for x in [-3, 3]"),
    ("x^x^x^x^x^x", "number too large: your answer passes 10^10000 for x in ["),
    (r"e^{e^{e^{e^{x}}}}", "number too large"),
    ("exp(exp(exp(x)))", "number too large"),
    ("cosh(cosh(cosh(cosh(x))))", "number too large"),
    ("2^2^2^2^2^x", "number too large"),
    ("exp(x^200)", "number too large"),
    ("x + exp(-exp(exp(exp(x))))", "number too large"),
    ("tanh(exp(exp(exp(x))))", "number too large"),
    ("exp(exp(exp(exp(1/x))))", "number too large"),  # a pole at 0, huge values elsewhere
    ("(((x^200)^200)^200)^200", "exponent 40000 of nested powers is too large (limit 200)"),
    ("exp(((x^200)^200)^200)", "exponent 40000 of nested powers is too large (limit 200)"),
]


def _timed(key: str, answer: str, ctx: GradingContext, seed: int, **kw) -> tuple:
    start = time.perf_counter()
    result = check_answer(key, answer, context=ctx, seed=seed, cache=None, **kw)
    return result, time.perf_counter() - start


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    check_answer("x", "x^2", context=X, cache=None)


@pytest.mark.parametrize("answer, reason", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_an_answer_that_explodes_on_the_domain_is_invalid_with_the_reason(answer, reason):
    for seed in SEEDS:
        result, seconds = _timed("x", answer, X, seed)
        assert result.verdict is Verdict.INVALID, (seed, result.feedback)
        assert reason in result.feedback
        assert seconds < HANG_GUARD_S


@pytest.mark.parametrize("key, answer, verdict", [
    # the key grows as much, so nothing is refused: the high-precision re-check must stay cheap
    ("exp(exp(exp(x)))", "exp(exp(exp(exp(x))))", "incorrect"),
    ("exp(exp(exp(exp(x))))", "exp(exp(exp(exp(x)))) + 1", "incorrect"),
    ("exp(exp(exp(x)))", "sinh(exp(exp(x))) + cosh(exp(exp(x)))", "correct"),
    ("sin(exp(exp(exp(x))))", "cos(exp(exp(exp(x))))", "incorrect"),
    # a pole: enclosures over the domain prove nothing, each sampled point is bounded instead
    ("x", "exp(exp(exp(1/x)))", "incorrect"),
    ("x", "x^(1/x)^(1/x)^(1/x)", "incorrect"),
])
def test_a_comparison_of_exploding_values_keeps_the_time_limit(key, answer, verdict):
    for seed in SEEDS:
        result, seconds = _timed(key, answer, X, seed)
        assert result.verdict is Verdict(verdict), (seed, result.feedback)
        assert seconds < HANG_GUARD_S


@pytest.mark.parametrize("key, answer, domain", [
    ("exp(x)*exp(exp(x))", "exp(x + exp(x))", {"x": [-3, 3]}),
    ("x^x*(log(x)+1)", "exp(x*log(x))*(1 + log(x))", {"x": [0.5, 3]}),
    ("exp(x**2)*2*x", r"2x e^{x^2}", {"x": [-30, 30]}),  # e^900: past doubles, far below 10^10000
    ("exp(-w*x_i)*x_i/(1+exp(-w*x_i))**2", r"\frac{x_i e^{-w x_i}}{(1 + e^{-w x_i})^2}",
     {"x_i": [-3, 3], "w": [-2, 2]}),
])
def test_legitimate_answers_near_the_limits_still_grade(key, answer, domain):
    ctx = GradingContext.from_json({"domain": domain})
    for seed in SEEDS:
        assert check_answer(key, answer, context=ctx, seed=seed, cache=None).verdict is Verdict.CORRECT


def test_the_size_limit_is_configurable():
    small = Limits(max_magnitude=50)
    result = check_answer("x", "exp(x^5)", context=X, limits=small, cache=None)  # e^243 = 10^105
    assert result.verdict is Verdict.INVALID and "passes 10^50" in result.feedback
    assert check_answer("x", "exp(x^5)", context=X, cache=None).verdict is Verdict.INCORRECT
    assert check_answer("x", "exp(x^4)", context=X, limits=small, cache=None).verdict is Verdict.INCORRECT
    result = check_answer("x", "x + exp(200)", context=X, limits=small, cache=None)
    assert result.verdict is Verdict.INVALID and "more than 10^50" in result.feedback


def test_high_precision_evaluation_of_a_tower_overflows_instead_of_hanging():
    x = sympy.Symbol("x", real=True)
    tape = Tape.from_expr(sympy.exp(sympy.exp(sympy.exp(sympy.exp(x)))), [x])
    start = time.perf_counter()
    assert tape.output({"x": 3.0}, backend="mpmath", prec=200) == mpmath.inf
    assert time.perf_counter() - start < HANG_GUARD_S


@pytest.mark.parametrize("call, expected", [
    (lambda: mp_guards.exp(mpmath.mpf(10) ** 400), mpmath.inf),
    (lambda: mp_guards.exp(-mpmath.mpf(10) ** 400), 0),
    (lambda: mp_guards.cosh(-mpmath.mpf(10) ** 400), mpmath.inf),
    (lambda: mp_guards.sinh(-mpmath.mpf(10) ** 400), -mpmath.inf),
    (lambda: mp_guards.tanh(mpmath.mpf(10) ** (10**9)), 1),
    (lambda: mp_guards.power(-HUGE, 3), -mpmath.inf),
    (lambda: mp_guards.power(-HUGE, 2), mpmath.inf),
    (lambda: mp_guards.power(mpmath.mpf(2), -mpmath.mpf(10) ** 400), 0),
    (lambda: mp_guards.power(mpmath.mpf(3), mpmath.mpf(10) ** 300), None),  # e^(1.1e300): computed
])
def test_guarded_mpmath_functions_check_the_size_before_computing(call, expected):
    start = time.perf_counter()
    with mpmath.workprec(200):
        got = call()
    assert time.perf_counter() - start < HANG_GUARD_S
    if expected is None:
        assert mpmath.isfinite(got) and got > 0
    else:
        assert got == expected


def test_trig_of_an_astronomical_argument_is_undefined_not_slow():
    with mpmath.workprec(200):
        assert mpmath.isnan(mp_guards.sin(mpmath.mpf(2) ** 5000))
        assert mpmath.isnan(mp_guards.power(-HUGE, mpmath.mpf(1) / 2))  # complex
        assert mp_guards.cos(mpmath.mpf(2) ** 100) == mpmath.cos(mpmath.mpf(2) ** 100)
