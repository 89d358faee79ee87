"""Issue 9, class 4: with no domain given, a symbol ranges over the reals.

The undocumented default [-2.5, 2.5] accepted ``Min(Max(0, x), 6)`` for ``Max(0, x)``: the two
differ only for x > 6. Undeclared symbols are now sampled near 0 and at log-spaced magnitudes up to
10^3 (grader/engine/sampling.py), points where the key is undefined are left out.
"""

from __future__ import annotations

import pytest

from grader.engine import GradingContext, Verdict, check_answer

NONE = GradingContext()
SEEDS = range(5)
LOGISTIC = {"definitions": {"p": "1/(1+exp(-a))"}}


@pytest.mark.parametrize("key, answer", [
    ("Max(0, x)", "Min(Max(0, x), 6)"),
    ("x^2", "Piecewise((x^2, x < 50), (0, True))"),
    ("x", "Piecewise((x, Abs(x) < 100), (0, True))"),
    ("Abs(x)", "Piecewise((-x, x < -20), (x, True))"),
    ("x*y", "Min(x*y, 10)"),
    ("sin(x)", "Piecewise((sin(x), x < 10), (0, True))"),
    ("x", "Piecewise((x, x < 10^5), (0, True))"),          # beyond the sampled scales: probed
    ("x^2", "Piecewise((x^2, Abs(x) < 50000), (0, True))"),
])
def test_an_answer_right_only_near_zero_is_incorrect(key, answer):
    for s in SEEDS:
        r = check_answer(key, answer, context=NONE, seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT, (answer, s, r)


def test_the_witness_is_the_smallest_magnitude_that_shows_the_difference():
    r = check_answer("Max(0, x)", "Min(Max(0, x), 6)", context=NONE, seed=0, cache=None)
    x = r.witness["x"]
    assert 6 < x < 250 and len(repr(x)) <= 6   # readable, typed back it reproduces


@pytest.mark.parametrize("key, answer, context", [
    ("1/(1+exp(-x))", "exp(x)/(1+exp(x))", NONE),
    ("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)", NONE),
    ("log(x)", "log(Abs(x))", NONE),             # the key is undefined for x < 0: left out
    ("sqrt(x)", "x^(1/2)", NONE),
    ("log(x - 5)", r"\ln(x - 5)", NONE),         # defined only for x > 5
    ("sin(x)^2 + cos(x)^2", "1", NONE),
    ("(x + 1)^2", "x^2 + 2x + 1", NONE),
    ("x^3/3", "x*x*x/3", NONE),
    ("p*(1 - p)", "exp(-a)/(1 + exp(-a))^2", GradingContext.from_json(LOGISTIC)),
])
def test_equal_answers_stay_correct_over_the_reals(key, answer, context):
    for s in SEEDS:
        r = check_answer(key, answer, context=context, seed=s, cache=None)
        assert r.verdict is Verdict.CORRECT, (answer, s, r)


def test_a_declared_domain_still_restricts_the_question():
    ctx = GradingContext.from_json({"domain": {"x": [-3, 3]}})
    assert check_answer("Max(0, x)", "Min(Max(0, x), 6)", context=ctx, cache=None).verdict is Verdict.CORRECT
