"""Issue 9, class 3: no verdict from too few points.

A clipped logistic, softplus or tanh (a Piecewise that switches at |x| > 30) passed on about half
the seeds: in doubles it equals the key exactly where the key saturates, and only 3 agreeing points
were re-checked in high precision. Points where the key overflowed a double were dropped, more
than 1,024 discrete combinations got 64 random points, and a difference the prover had shown was
thrown away. Every case below must be caught on every seed.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from grader.engine import GradingContext, Verdict, check_answer
from grader.engine.numeric_recheck import Watch
from grader.engine.tape import Tape

SEEDS = range(8)
WIDE = {"x": [-50, 50]}


def ctx(domain=None):
    return GradingContext.from_json({"domain": domain} if domain else {})


@pytest.mark.parametrize("key, answer, domain", [
    ("1/(1+exp(-x))", "Piecewise((1, x > 30), (0, x < -30), (1/(1+exp(-x)), True))", WIDE),
    ("1/(1+exp(-x))", "Piecewise((1, x > 30), (1/(1+exp(-x)), True))", WIDE),
    ("1/(1+exp(-x))", "Piecewise((1, x > 30), (0, x < -30), (1/(1+exp(-x)), True))", None),
    ("log(1+exp(x))", "Piecewise((x, x > 30), (log(1+exp(x)), True))", WIDE),
    ("log(1+exp(x))", "Piecewise((0, x < -40), (log(1+exp(x)), True))", WIDE),
    ("tanh(x)", "Piecewise((1, x > 30), (-1, x < -30), (tanh(x), True))", WIDE),
    ("exp(-x^2)", "Piecewise((0, Abs(x) > 28), (exp(-x^2), True))", {"x": [-40, 40]}),
    ("x", "Piecewise((x + 10^(-20), x > 1), (x, True))", {"x": [-3, 3]}),   # one branch, below doubles
])
def test_an_answer_that_differs_only_where_doubles_saturate_is_incorrect_on_every_seed(key, answer, domain):
    for s in SEEDS:
        r = check_answer(key, answer, context=ctx(domain), seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT, (answer, s, r)


def test_points_where_the_key_overflows_a_double_are_decided_in_high_precision():
    for s in SEEDS:
        r = check_answer("exp(x)", "Piecewise((exp(x), x < 720), (2*exp(x), True))",
                         context=ctx({"x": [0, 1000]}), seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT and r.witness["x"] >= 720, (s, r)


def test_more_than_1024_discrete_combinations_are_all_visited():
    # wrong only when y1..y5 = 3 and y6 = 1: one combination in 2,048
    ys = [f"y{i}" for i in range(1, 6)]
    dom = {"x": [-1, 1], **{y: {"values": [0, 1, 2, 3]} for y in ys}, "y6": {"values": [0, 1]}}
    key = "x*(y1 + y2 + y3 + y4 + y5 + y6)"
    bump = "*".join(f"{y}*({y}-1)*({y}-2)" for y in ys) + "*y6*x"
    for s in SEEDS[:3]:
        r = check_answer(key, f"{key} + {bump}", context=ctx(dom), seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT and all(r.witness[y] == 3 for y in ys), (s, r)


def test_combinations_too_many_to_visit_get_thousands_of_random_points():
    # 2^14 combinations; wrong on 1 in 256 of them (64 random points missed it 78% of the time)
    ys = [f"y{i}" for i in range(1, 15)]
    dom = {y: {"values": [0, 1]} for y in ys}
    dom["x"] = [-1, 1]
    key = "x*(" + " + ".join(ys) + ")"
    answer = key + " + x*" + "*".join(ys[:8])
    for s in SEEDS[:3]:
        assert check_answer(key, answer, context=ctx(dom), seed=s, cache=None).verdict is Verdict.INCORRECT


def test_a_difference_the_prover_shows_is_checked_at_a_point_and_wins():
    # 10^-20 on 5.6e30: below the 200-bit noise of the numeric re-check, a constant to the prover
    r = check_answer("exp(70)*x", "exp(70)*x + 10^(-20)", context=ctx({"x": [-3, 3]}), seed=0, cache=None)
    assert r.verdict is Verdict.INCORRECT and r.witness is not None
    assert "differ by 1e-20" in r.feedback


@pytest.mark.parametrize("key, answer, domain", [
    ("1/(1+exp(-x))", "exp(x)/(1+exp(x))", WIDE),
    ("1/(1+exp(-x))", "exp(x)/(1+exp(x))", None),
    ("log(1+exp(x))", "x + log(1+exp(-x))", WIDE),
    ("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)", None),         # inf/inf in doubles beyond x = 355
    ("exp(x)", "exp(x/2)^2", {"x": [0, 1000]}),
    ("exp(-x^2)", "1/exp(x^2)", {"x": [-40, 40]}),
    ("x", "Piecewise((x, x > 1), (x, True))", {"x": [-3, 3]}),
])
def test_equal_answers_stay_correct_where_doubles_saturate_or_overflow(key, answer, domain):
    for s in SEEDS[:4]:
        r = check_answer(key, answer, context=ctx(domain), seed=s, cache=None)
        assert r.verdict is Verdict.CORRECT, (answer, s, r)


def test_saturation_is_flagged_where_a_term_is_absorbed_and_how_deep():
    x = sympy.Symbol("x", real=True)
    tape = Tape.from_expr(1 / (1 + sympy.exp(-x)), [x])
    pts = {"x": np.array([1.0, 40.0, 800.0, -800.0])}
    depth = Watch(tape).saturated(tape.forward(pts), 4)
    assert depth[0] < 0                      # 1 + e^-1: nothing absorbed
    assert 50 < depth[1] < 70                # e^-40 is 2^-57.7 of 1
    assert depth[2] > 1000 and depth[3] > 1000   # e^-800 underflows, e^800 overflows


@pytest.mark.parametrize("key, answer", [
    ("Max(x, 0)", "Piecewise((x, x > 1/100000), (0, True))"),    # wrong on (0, 10^-5] only
    ("Heaviside(x - 1)", "Piecewise((1, x > 1 + 10^(-5)), (0, True))"),
])
def test_a_band_thinner_than_the_probe_offsets_between_two_boundaries_gets_a_point(key, answer):
    for s in SEEDS[:4]:
        r = check_answer(key, answer, context=ctx({"x": [-3, 3]}), seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT, (s, r)


def test_a_tolerance_is_checked_where_the_key_is_small():
    # 1e-10 is more than 1e-6 relative of x^2 only for |x| < 0.01: uniform points rarely go there
    for s in SEEDS[:4]:
        r = check_answer("x**2", "x^2 + 0.0000000001", context=ctx({"x": [-3, 3]}), seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT and abs(r.witness["x"]) < 0.01, (s, r)
    assert check_answer("x**2", "1.0*x^2", context=ctx({"x": [-3, 3]}), cache=None).verdict is Verdict.CORRECT
