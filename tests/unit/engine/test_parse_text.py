"""Text (sympy-like) syntax: operators, numbers, functions, names, implicit products, Unicode."""

from __future__ import annotations

import pytest
import sympy
from sympy import (Abs, And, E, Eq, Function, Max, Min, Ne, Or, Piecewise, Rational, Symbol, acos,
                   asin, atan, cos, cosh, exp, log, pi, sin, sinh, sqrt, tan, tanh)

from grader.engine.parsing import NameContext, parse


def S(name: str) -> Symbol:
    return Symbol(name, real=True)


x, y, z, w, e_sym = S("x"), S("y"), S("z"), S("w"), S("e")
p_i, x_i, y_i, a_i, u = S("p_i"), S("x_i"), S("y_i"), S("a_i"), S("u")

TEXT = [
    ("x + y*z", x + y * z),
    ("x - y - z", x - y - z),
    ("x/y/z", x / y / z),
    ("x**2", x**2),
    ("x^2", x**2),
    ("x**y**z", x ** (y**z)),
    ("-x**2", -(x**2)),
    ("2^-1", Rational(1, 2)),
    ("2**-x*y", 2 ** (-x) * y),
    ("(x + 1)*(x - 1)", (x + 1) * (x - 1)),
    ("[x + 1]*2", 2 * x + 2),
    ("+x", x),
    ("--x", x),
    ("2e-3", Rational(1, 500)),
    ("2E3", 2000),
    ("1.5e2", 150),
    (".5", Rational(1, 2)),
    ("4.80", Rational(24, 5)),
    ("2*e-3", 2 * E - 3),
    ("2e", 2 * E),
    ("exp(x) + log(x) + ln(x)", exp(x) + 2 * log(x)),
    ("log(x, 2)", log(x, 2)),
    ("sqrt(x)", sqrt(x)),
    ("sin(x)+cos(x)+tan(x)", sin(x) + cos(x) + tan(x)),
    ("sinh(x)+cosh(x)+tanh(x)", sinh(x) + cosh(x) + tanh(x)),
    ("asin(x)+acos(x)+atan(x)", asin(x) + acos(x) + atan(x)),
    ("abs(x) + Abs(y)", Abs(x) + Abs(y)),
    ("|x - 1|", Abs(x - 1)),
    ("Max(x, y) + max(0, z)", Max(x, y) + Max(0, z)),
    ("Min(x, y, z) + min(1, x)", Min(x, y, z) + Min(1, x)),
    ("Piecewise((x, x < 1), (0, True))", Piecewise((x, x < 1), (0, True))),
    ("Piecewise((x, x <= 1), (y, x >= 2), (0, True))",
     Piecewise((x, x <= 1), (y, x >= 2), (0, True))),
    ("Piecewise((x, (x < 1) & (y > 2)), (0, True))", Piecewise((x, And(x < 1, y > 2)), (0, True))),
    ("Piecewise((x, (x < 1) | (y > 2)), (1, True))", Piecewise((x, Or(x < 1, y > 2)), (1, True))),
    ("Piecewise((x, And(x < 1, y > 2)), (0, True))", Piecewise((x, And(x < 1, y > 2)), (0, True))),
    ("Piecewise((x, Or(x < 1, Eq(y, 2))), (0, True))",
     Piecewise((x, Or(x < 1, Eq(y, 2))), (0, True))),
    ("Piecewise((x, Ne(x, 1)), (0, True))", Piecewise((x, Ne(x, 1)), (0, True))),
    ("Piecewise((x, 0 < x < 1), (0, True))", Piecewise((x, And(0 < x, x < 1)), (0, True))),
    ("Piecewise((2*w - x_i*y_i, w*x_i*y_i < 1), (2*w, True))",
     Piecewise((2 * w - x_i * y_i, w * x_i * y_i < 1), (2 * w, True))),
    ("logistic(u)", 1 / (1 + exp(-u))),
    ("sigma(u)", 1 / (1 + exp(-u))),
    ("sigma", S("sigma")),
    ("e^(-a_i)/(1+e^(-a_i))^2", exp(-a_i) / (1 + exp(-a_i)) ** 2),
    ("E + pi", E + pi),
    ("5!", 120),
    ("factorial(4)", 24),
    ("x!", sympy.factorial(x)),
    # implicit multiplication and names
    ("2p_i", 2 * p_i),
    ("w x_i", w * x_i),
    ("(2p_i-2y_i)(x_i)", (2 * p_i - 2 * y_i) * x_i),
    ("2(0)^3", 0),
    ("x(x+1)", x * (x + 1)),
    ("x_i(x_i+1)", x_i * (x_i + 1)),
    ("wx", w * x),
    ("wx_i", w * x_i),
    ("2x^2y", 2 * x**2 * y),
    ("x1 + x2", S("x1") + S("x2")),
    ("eta*x", S("eta") * x),
    ("etax", S("eta") * x),
    ("2p_i - 2*y_i**2", 2 * p_i - 2 * y_i**2),
    ("x_{i}", x_i),
    ("p_i*x_12", p_i * S("x_12")),
    ("W*w", S("W") * w),
    # Unicode
    ("x−1", x - 1),
    ("2·x", 2 * x),
    ("2×x", 2 * x),
    ("x²", x**2),
    ("x² + y³", x**2 + y**3),
    ("x⁻¹", 1 / x),
    ("xⁿ", x ** S("n")),
    ("x₁ + x₁₂", S("x_1") + S("x_12")),
    ("wᵢxᵢ", S("w_i") * x_i),
    ("𝑥 + 𝑦", x + y),
    ("ｘ＋１", x + 1),
    ("η·x", S("eta") * x),
    ("π", pi),
    ("x\u00a0+\ty\n", x + y),
    ("$x+1$", x + 1),
    ("√x + √(y+1)", sqrt(x) + sqrt(y + 1)),
    ("d_i/d_j", S("d_i") / S("d_j")),
    ("xy^2", x * y**2),
    ("(xy)^2", x**2 * y**2),
    ("Piecewise((1, 0 < x < 1 < y), (0, True))",
     Piecewise((1, And(0 < x, x < 1, 1 < y)), (0, True))),
    ("wx_i^2", w * x_i**2),
    ("ab!", S("a") * sympy.factorial(S("b"))),
    ("2w - y_ix_i", 2 * w - y_i * x_i),
    ("y_ia_i", y_i * a_i),
    ("sech(x)**2 + coth(x)", sympy.sech(x) ** 2 + sympy.coth(x)),
]


@pytest.mark.parametrize(("answer", "intended"), TEXT, ids=[t[0] for t in TEXT])
def test_text_answer(answer, intended):
    parsed = parse(answer, syntax="text")
    assert parsed.syntax == "text"
    assert parsed.expr == intended or sympy.simplify(parsed.expr - intended) == 0


def test_scientific_and_decimal_literals_are_exact_but_inexact_flagged():
    assert parse("2e-3").inexact and parse("0.5").inexact
    assert not parse("2*e-3").inexact and not parse("1/2").inexact


def test_symbols_are_real_and_case_is_kept():
    expr = parse("W + w").expr
    assert {s.name for s in expr.free_symbols} == {"W", "w"}
    assert all(s.is_real for s in expr.free_symbols)


def test_auto_detects_text_and_latex():
    assert parse("x + 1").syntax == "text"
    assert parse(r"\frac{1}{x}").syntax == "latex"
    assert parse("x_{i}").syntax == "latex"


def test_context_symbols_keep_names_whole():
    names = NameContext(symbols=frozenset({"wx", "e", "pi"}))
    assert parse("wx", names=names).expr == S("wx")
    assert parse("e^x", names=names).expr == e_sym**x
    assert parse("pi", names=names).expr == S("pi")


def test_context_functions_become_undefined_functions_with_arity():
    names = NameContext(functions={"f": 1, "logistic": 1, "g": 2})
    assert parse("f(x)", names=names).expr == Function("f")(x)
    assert parse("logistic(u)", names=names).expr == Function("logistic")(u)
    assert parse("g(x, y)", names=names).expr == Function("g")(x, y)


def test_context_symbol_sigma_is_a_symbol():
    names = NameContext(symbols=frozenset({"sigma"}))
    assert parse("sigma(u)", names=names).expr == S("sigma") * u


def test_members_of_a_text_chain():
    parsed = parse("dl/dw = 2*(p - y) = 2*p - 2*y")
    assert [m.text for m in parsed.members] == ["2*(p - y)", "2*p - 2*y"]
    assert [m.column for m in parsed.members] == [9, 21]


@pytest.mark.parametrize("answer", ["f'(x) = 2*x", "w := 2*x", "dl/dw = 2*x", "y = 2*x"])
def test_labels_and_assignments_are_graded_on_the_right_side(answer):
    assert parse(answer).expr == 2 * x


def test_name_context_is_hashable_comparable_and_picklable():
    import pickle

    names = NameContext(symbols=frozenset({"a"}), functions={"f": 1})
    assert names == NameContext(symbols=frozenset({"a"}), functions={"f": 1})
    assert hash(names) == hash(NameContext(symbols=frozenset({"a"}), functions={"f": 1}))
    assert pickle.loads(pickle.dumps(names)) == names
    assert NameContext().symbols == frozenset() and dict(NameContext().functions) == {}
