"""Regressions found by the adversarial corpus (tests/corpus/check-corpus-2.jsonl), one test per bug."""

from __future__ import annotations

import pytest

from grader.engine import GradingContext, Verdict, check_answer

DEFS = {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i", "logistic(u)": "1/(1+exp(-u))"}
Q1 = GradingContext.from_json({"definitions": DEFS, "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}})
K1B = "exp(-a_i)/(1+exp(-a_i))**2"
X = GradingContext.from_json({"domain": {"x": [-3, 3]}})
XPOS = GradingContext.from_json({"domain": {"x": [0.3, 3]}})


@pytest.mark.parametrize("answer, verdict", [
    (r"\operatorname{sigmoid}(a_i)\left(1-\operatorname{sigmoid}(a_i)\right)", "correct"),
    ("sigmoid(a_i)*(1 - sigmoid(a_i))", "correct"),
    ("sigmoid(a_i)*(1 + sigmoid(a_i))", "incorrect"),
])
def test_sigmoid_is_the_logistic(answer, verdict):
    assert check_answer(K1B, answer, context=Q1).verdict == Verdict(verdict)


def test_a_context_sigmoid_definition_still_wins():
    ctx = GradingContext.from_json({"definitions": {"sigmoid(u)": "2*u"}, "domain": {"x": [-3, 3]}})
    assert check_answer("2*x", "sigmoid(x)", context=ctx).verdict is Verdict.CORRECT


@pytest.mark.parametrize("key, answer, ctx, verdict", [
    ("1 - tanh(x)**2", r"\operatorname{sech}^2 x", X, "correct"),
    ("1 - tanh(x)**2", r"\operatorname{sech} x", X, "incorrect"),
    ("tan(x)/cos(x)", r"\sec x \tan x", XPOS, "correct"),
    ("-cos(x)/sin(x)**2", r"-\csc x \cot x", XPOS, "correct"),
    ("-1/sinh(x)**2", "1 - coth(x)^2", XPOS, "correct"),
    ("-1/sinh(x)**2", "-csch(x)^2", XPOS, "correct"),
    ("-1/sinh(x)**2", "coth(x)^2", XPOS, "incorrect"),
])
def test_reciprocal_trig_and_hyperbolic_functions_are_evaluated(key, answer, ctx, verdict):
    # sec/csc/cot/sech/csch/coth parsed fine but the tape had no op for them: "cannot be evaluated"
    assert check_answer(key, answer, context=ctx).verdict == Verdict(verdict)


@pytest.mark.parametrize("answer, verdict", [
    (r"\begin{cases} 0 & \text{otherwise} \\ 1-x & x<1 \end{cases}", "correct"),
    (r"\begin{cases} 0 & \text{else} \\ 1-x & \text{if } x<1 \end{cases}", "correct"),
    (r"\begin{cases} 0 & \text{otherwise} \\ 1-x & x>1 \end{cases}", "incorrect"),
    ("Piecewise((0, True), (1-x, x<1))", "incorrect"),  # sympy's first-match order in text syntax
])
def test_an_otherwise_row_means_every_other_case_wherever_it_is_written(answer, verdict):
    assert check_answer("Max(0, 1-x)", answer, context=X).verdict == Verdict(verdict)


@pytest.mark.parametrize("answer, verdict", [
    (r"\max\{0, 1-x\}", "correct"),
    (r"\max\left\{0, 1-x\right\}", "correct"),
    (r"\max\lbrace 0, 1-x\rbrace", "correct"),
    (r"\max\{0, x-1\}", "incorrect"),
    (r"\max\{0, 1-x)", "invalid"),
])
def test_max_with_set_braces(answer, verdict):
    assert check_answer("Max(0, 1-x)", answer, context=X).verdict == Verdict(verdict)


@pytest.mark.parametrize("key, answer, verdict", [
    # wrong on a band 1e-3 wide between two boundaries, or on a sliver at the domain's edge:
    # random points almost never land there; probes either side of every boundary do
    ("Max(0, 1-x)", r"\begin{cases} 1-x & x < 1.001 \\ 0 & \text{otherwise} \end{cases}", "incorrect"),
    ("Max(0, 1-x)", r"\begin{cases} 1-x & x < 0.999 \\ 0 & \text{otherwise} \end{cases}", "incorrect"),
    ("x", "x + Heaviside(x - 2.999)", "incorrect"),
    ("x", "Max(x, -2.9999)", "incorrect"),
    ("Max(0, 1-x)", r"\begin{cases} 1-x & x \le 1 \\ 0 & x > 1 \end{cases}", "correct"),
    ("Max(0, 1-x)", "(1-x)*Heaviside(1-x)", "correct"),
    ("abs(x)", "Max(x, -x)", "correct"),
])
def test_thin_regions_next_to_a_boundary_are_probed(key, answer, verdict):
    assert check_answer(key, answer, context=X).verdict == Verdict(verdict)


def test_probes_keep_discrete_symbols_discrete():
    q2 = GradingContext.from_json({"definitions": DEFS, "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [-1, 1]}}})
    key = "Piecewise((-y_i, y_i*a_i < 1), (0, True))"
    ok = r"\begin{cases} -y_i & y_i a_i \le 1 \\ 0 & \text{otherwise} \end{cases}"
    thin = r"\begin{cases} -y_i & y_i a_i < 1.01 \\ 0 & \text{otherwise} \end{cases}"
    assert check_answer(key, ok, context=q2).verdict is Verdict.CORRECT
    assert check_answer(key, thin, context=q2).verdict is Verdict.INCORRECT


@pytest.mark.parametrize("key, answer, verdict", [
    # a numeric key makes the comparison tolerant; the 200-bit re-check then compared the answer's
    # rounding residue (1e-61) with a tolerance relative to that residue itself and called it a witness
    ("0", r"\sin^2 x + \cos^2 x - 1", "correct"),
    ("0", r"\cosh^2 x - \sinh^2 x - 1", "correct"),
    ("0", r"\frac{1}{\cosh^2 x} + \tanh^2 x - 1", "correct"),
    ("0", r"\sin^2 x + \cos^2 x - 1 + e^{-100}", "incorrect"),
    ("0", "e^{-60}", "incorrect"),
])
def test_a_zero_key_against_an_identity_that_cancels(key, answer, verdict):
    assert check_answer(key, answer, context=X).verdict == Verdict(verdict)


@pytest.mark.parametrize("key, answer, verdict", [
    # -24/5 has a decimal denominator, so its own sensitivity was added to the answer's and a plain
    # number got twice the 1e-6 relative tolerance
    ("-24/5", "-4.8000048", "correct"),     # relative error 1.0e-6
    ("-24/5", "-4.800006", "incorrect"),    # 1.25e-6
    ("-24/5", "-4.8000049", "incorrect"),   # 1.02e-6
    ("4.8", "4.800006", "incorrect"),
    ("1", "1.000001", "correct"),
    ("1", "1.0000011", "incorrect"),
])
def test_numbers_get_the_relative_tolerance_once(key, answer, verdict):
    assert check_answer(key, answer).verdict == Verdict(verdict)


@pytest.mark.parametrize("key, answer, verdict", [
    # the 1e-12 absolute floor was added everywhere, so a small key got a loose tolerance
    ("1e-8", "1.0001e-8", "incorrect"),
    ("1e-8", "1.00001e-8", "incorrect"),
    ("1e-8", "1.000001e-8", "correct"),
    ("0", "1e-12", "correct"),
    ("0", "1e-11", "incorrect"),
])
def test_the_absolute_floor_applies_only_where_the_key_is_zero(key, answer, verdict):
    assert check_answer(key, answer).verdict == Verdict(verdict)


@pytest.mark.parametrize("answer, verdict", [
    # 3x^2! was read as 3x^(2!) = 3x^2 and accepted; on paper it is 3(x^2)! (or an exclamation)
    ("3x^2!", "invalid"),
    (r"3x^{2}!", "invalid"),
    ("3x^(2!)", "correct"),
    ("3x^2", "correct"),
])
def test_factorial_right_after_an_exponent_is_ambiguous(answer, verdict):
    assert check_answer("3*x**2", answer, context=X).verdict == Verdict(verdict)


def test_factorials_elsewhere_still_read():
    assert check_answer("6", "3!").verdict is Verdict.CORRECT
    assert check_answer("2**6", "2^{3!}").verdict is Verdict.CORRECT


@pytest.mark.parametrize("answer, verdict", [
    (r"\frac{1+\operatorname{sgn}(x)}{2}", "correct"),
    ("(1 + sgn(x))/2", "correct"),
    ("(1 - sgn(x))/2", "incorrect"),
])
def test_sgn_is_sign(answer, verdict):
    assert check_answer("Heaviside(x)", answer, context=X).verdict == Verdict(verdict)


@pytest.mark.parametrize("answer", ["idk", "IDK", " none ", "n/a", "undefined", "DNE", "?"])
def test_prose_for_no_answer_is_invalid_not_a_product_of_letters(answer: str) -> None:
    result = check_answer("x_i", answer, cache=None)
    assert result.verdict is Verdict.INVALID
    assert "not an expression" in result.feedback


def test_a_letter_product_that_happens_to_spell_nothing_special_still_parses() -> None:
    assert check_answer("n*a", "na", cache=None).verdict is Verdict.CORRECT  # n*a, not "n/a"
