"""Issue 9, class 2: an answer is judged as written, not as sympy simplified it while building.

``e^{\\ln x}``, ``(\\sqrt{x})^2``, ``\\sqrt{x}\\sqrt{x}`` and ``\\sin(\\arcsin x)`` were graded
``correct [symbolic]`` for the key ``x`` on [-3, 3]: sympy builds them as ``x``, though each is
undefined for x < 0 (or |x| > 1). The rule: undefined on part of the domain where the key is
defined is incorrect, with the witness in the feedback; removable singularities of continuous
symbols (measure zero) and points where the key itself is undefined are not held against it.
"""

from __future__ import annotations

import pytest

from grader.engine import GradingContext, Verdict, check_answer
from grader.engine.definedness import NONNEG, NONZERO, POS, UNIT
from grader.engine.parsing import parse

X = GradingContext.from_json({"domain": {"x": [-3, 3]}})
SEEDS = (0, 1, 2)


def verdicts(key, answer, ctx):
    return {check_answer(key, answer, context=ctx, seed=s, cache=None).verdict for s in SEEDS}


@pytest.mark.parametrize("key, answer", [
    ("x", r"e^{\ln x}"),
    ("x", r"\exp(\log(x))"),
    ("x", r"(\sqrt{x})^2"),
    ("x", r"\sqrt{x}\sqrt{x}"),
    ("x", "x^(1/2) * x^(1/2)"),
    ("x", r"(x^{1/4})^4"),
    ("x", r"\sin(\arcsin x)"),        # undefined for |x| > 1
    ("x", r"\cos(\arccos x)"),
    ("x^2", r"e^{2\ln x}"),
    ("1/x", r"\frac{1}{(\sqrt{x})^2}"),
    ("log(x^2)", r"2\ln x"),
    ("x", r"(\sqrt{x + 299/100})^2 - 299/100"),   # undefined only on a sliver [-3, -2.99)
    ("2*x", r"x + e^{\ln x}"),
    ("x", r"\sqrt{\ln(e^{x})}^2"),
    ("sqrt(x)", r"\sin(\arccos\sqrt{1 - x})"),   # an undefined edge (sqrt(1-x) <= 1 for x > 1) was "near"
])
def test_an_answer_undefined_on_part_of_the_domain_is_incorrect(key, answer):
    for s in SEEDS:
        r = check_answer(key, answer, context=X, seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT, (answer, s, r)
        assert "undefined at x=" in r.feedback
        x = r.witness["x"]
        assert x < 0 or abs(x) > 1   # the witness is where the written form is undefined


XY = GradingContext.from_json({"domain": {"x": [-3, 3], "y": [-1, 1]}})


@pytest.mark.parametrize("key, answer", [
    ("1", "x^y x^{-y}"),                          # a symbolic exponent: built as 1
    ("x^2", "x^y * x^(2 - y)"),
    ("1", r"\frac{\max(0, x)}{\max(0, x)}"),      # a divisor that is 0 on a whole interval
    ("1", "Heaviside(x)/Heaviside(x)"),
    ("-x^2", r"(\sqrt{-x^2})^2"),                   # sympy builds sqrt(-x^2) as I*|x|, squared: real
    ("x", r"x + \ln(y) - \ln(y)"),                  # a symbol that vanished from the built form
])
def test_partial_operations_sympy_cancels_at_construction_still_count(key, answer):
    for s in SEEDS:
        r = check_answer(key, answer, context=XY, seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT and "undefined at" in r.feedback, (answer, s, r)


def test_a_symbolic_exponent_that_is_an_integer_on_the_domain_is_fine():
    ctx = GradingContext.from_json({"domain": {"x": [-3, 3], "n": {"values": [1, 2, 3]}}})
    assert verdicts("n*x^(n-1)", "n x^{n-1}", ctx) == {Verdict.CORRECT}
    assert verdicts("n*x^(n-1)", "n x^n / x", ctx) == {Verdict.CORRECT}


def test_the_witness_names_the_point_and_the_key_value():
    r = check_answer("x", r"e^{\ln x}", context=X, seed=0, cache=None)
    x = r.witness["x"]
    assert x < 0 and r.feedback.startswith("Your answer is undefined at x=")
    assert "where the expected answer is" in r.feedback


@pytest.mark.parametrize("key, answer, ctx", [
    ("x", "x^2/x", X),                       # removable singularity at 0: measure zero
    ("1", "x/x", X),
    ("x + 1", "(x^2 - 1)/(x - 1)", X),
    ("x", r"\ln(e^{x})", X),                 # defined everywhere as written
    ("x", r"\tan(\arctan x)", X),
    ("Abs(x)", r"\sqrt{x^2}", X),
    ("x", r"(\sqrt{x})^2", GradingContext.from_json({"domain": {"x": [0.1, 3]}})),
    (r"(\sqrt{x})^2", "x", X),               # the key is undefined for x < 0: those points are left out
    ("log(x)", r"\ln x", X),
    ("x", r"Piecewise((sqrt(x)^2, x >= 0), (x, True))", X),   # the root only where x >= 0
    ("Abs(x)", "Piecewise((exp(log(x)), x > 0), (-x, True))", X),
    ("Max(x + 1, 0)", "(x^2 - 1)/(x - 1)", GradingContext.from_json({"domain": {"x": [1, 2]}})),
])
def test_answers_defined_wherever_the_key_is_stay_correct(key, answer, ctx):
    assert verdicts(key, answer, ctx) == {Verdict.CORRECT}


@pytest.mark.parametrize("key, answer, domain", [
    ("x + 1", "(x^2 - 1)/(x - 1)", {"x": {"values": [0, 1, 2]}}),     # x = 1 is a case of the domain
    ("x", "1/(1/x)", {"x": {"values": [-1, 0, 1, 2]}}),
    ("1", "x/x", {"x": {"values": [0, 1]}}),
    ("x", "(y - 1)/(y - 1) * x", {"x": [-1, 1], "y": {"values": [0, 1]}}),   # every x at y = 1
    ("x*y", "x*y^2/y", {"x": [-1, 1], "y": {"values": [0, 1, 2]}}),
])
def test_a_discrete_value_where_the_answer_is_undefined_is_a_case_it_gets_wrong(key, answer, domain):
    ctx = GradingContext.from_json({"domain": domain})
    for s in SEEDS:
        r = check_answer(key, answer, context=ctx, seed=s, cache=None)
        assert r.verdict is Verdict.INCORRECT and "undefined at" in r.feedback, (answer, r)


def test_definitions_are_substituted_into_the_conditions():
    ctx = GradingContext.from_json({"definitions": {"p": "x - 1"}, "domain": {"x": [0, 3]}})
    r = check_answer("p", r"e^{\ln p}", context=ctx, seed=0, cache=None)
    assert r.verdict is Verdict.INCORRECT and r.witness["x"] < 1
    ok = GradingContext.from_json({"definitions": {"p": "1/(1+exp(-x))"}, "domain": {"x": [-3, 3]}})
    assert check_answer("p", r"e^{\ln p}", context=ok, seed=0, cache=None).verdict is Verdict.CORRECT


def test_the_verdict_cache_tells_an_answer_from_its_simplified_form():
    from grader.engine import VerdictCache

    cache = VerdictCache()
    assert check_answer("x", "x", context=X, cache=cache).verdict is Verdict.CORRECT
    assert check_answer("x", r"(\sqrt{x})^2", context=X, cache=cache).verdict is Verdict.INCORRECT


@pytest.mark.parametrize("text, expected", [
    (r"e^{\ln x}", {(POS, "x")}),
    (r"(\sqrt{x})^2", {(NONNEG, "x")}),
    (r"\sin(\arcsin x)", {(UNIT, "x")}),
    ("x/x", {(NONZERO, "x")}),
    ("x^(-1/2)", {(POS, "x")}),
    (r"\sqrt[4]{x}", {(NONNEG, "x")}),
    ("x^(1/3)", set()),          # an odd root: no condition recorded
    (r"\sqrt{2} x", set()),      # a constant that is plainly fine
])
def test_the_parser_records_where_partial_operations_are_defined(text, expected):
    got = {(g.kind, str(g.arg)) for g in parse(text).guards if not g.when}
    assert got == expected


def test_a_guard_inside_a_piecewise_row_holds_only_where_that_row_is_taken():
    (g,) = parse("Piecewise((sqrt(x), x > 0), (0, True))").guards
    assert g.kind == NONNEG and str(g.when[-1]) == "x > 0"


def test_a_removable_singularity_at_the_edge_of_the_domain_is_not_held_against_the_answer():
    # (x^2 + x)/x is undefined only at x = 0, the domain's edge (sampled there by the boundary
    # probe of Max): the point is isolated, so the answer is right
    ctx = GradingContext.from_json({"domain": {"x": [0, 3], "y": [-1, 1]}})
    assert verdicts("x + 1 + Max(y, 0)", r"\frac{x^2 + x}{x} + \max(y, 0)", ctx) == {Verdict.CORRECT}
    # the same on a discrete domain that contains 0: a case the answer leaves undefined
    disc = GradingContext.from_json({"domain": {"x": {"values": [0, 1, 2]}, "y": [-1, 1]}})
    assert verdicts("x + 1 + Max(y, 0)", r"\frac{x^2 + x}{x} + \max(y, 0)", disc) == {Verdict.INCORRECT}
