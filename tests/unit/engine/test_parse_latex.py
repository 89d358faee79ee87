"""LaTeX syntax: commands, groups, delimiters, subscripts, cases, aligned, chains."""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, And, Function, Max, Min, Piecewise, Rational, Symbol, exp, log, pi, sqrt

from grader.engine.parsing import NameContext, parse


def S(name: str) -> Symbol:
    return Symbol(name, real=True)


x, y, w, a, b, n = S("x"), S("y"), S("w"), S("a"), S("b"), S("n")
p_i, x_i, y_i, a_i, eta = S("p_i"), S("x_i"), S("y_i"), S("a_i"), S("eta")

LATEX = [
    (r"\cos x \, e^{\sin x}", sympy.cos(x) * exp(sympy.sin(x))),  # e^ ends a bare argument
    (r"\sin x e^{x}", sympy.sin(x) * exp(x)),
    (r"\sin e^{x}", sympy.sin(exp(x))),
    (r"\frac{1}{x}", 1 / x),
    (r"\dfrac{1}{x} + \tfrac{2}{y}", 1 / x + 2 / y),
    (r"\frac12", Rational(1, 2)),
    (r"\frac ab", a / b),
    (r"x \cdot y \times w", x * y * w),
    (r"x \div y", x / y),
    (r"\left( x + 1 \right)^2", (x + 1) ** 2),
    (r"\left[ x + 1 \right] y", (x + 1) * y),
    (r"\big( x \big) + \Big[ y \Big]", x + y),
    (r"\left\{ x \right\}", x),
    (r"\left. x \right|", x),
    (r"{x + 1}^{2}", (x + 1) ** 2),
    (r"x^{2}", x**2),
    (r"x^{23}", x**23),
    (r"e^{-a_i}", exp(-a_i)),
    (r"e^x", exp(x)),
    (r"\mathrm{e}^{x}", exp(x)),
    (r"\exp(x) + \exp{x}", 2 * exp(x)),
    (r"\ln x + \log(y)", log(x) + log(y)),
    (r"\log_2 x", log(x, 2)),
    (r"\log_{10}(x)", log(x, 10)),
    (r"\sqrt{x}", sqrt(x)),
    (r"\sqrt[3]{x}", sympy.real_root(x, 3)),  # the real cube root, defined for x < 0
    (r"\sqrt x", sqrt(x)),
    (r"\sin x \cos x", sympy.sin(x) * sympy.cos(x)),
    (r"\sin^2 x + \cos^2 x", 1),
    (r"\sin^{-1} x", sympy.asin(x)),
    (r"\sin 2x", sympy.sin(2 * x)),
    (r"\sin{\left(x \right)}", sympy.sin(x)),
    (r"\tanh(x) + \sinh(x) + \cosh(x)", sympy.tanh(x) + sympy.sinh(x) + sympy.cosh(x)),
    (r"\arctan x", sympy.atan(x)),
    (r"\operatorname{asin}{\left(x \right)}", sympy.asin(x)),
    (r"\max(0, 1 - y_i a_i)", Max(0, 1 - y_i * a_i)),
    (r"\max\left(x, y\right) + \min(x, 1)", Max(x, y) + Min(x, 1)),
    (r"\left| x - 1 \right|", Abs(x - 1)),
    (r"|x| + |y|", Abs(x) + Abs(y)),
    (r"\lvert x \rvert", Abs(x)),
    (r"\text{logistic}(a_i)", 1 / (1 + exp(-a_i))),
    (r"\operatorname{logistic}(a_i)", 1 / (1 + exp(-a_i))),
    (r"\sigma(a)", 1 / (1 + exp(-a))),
    (r"\sigma\left(a\right)", 1 / (1 + exp(-a))),
    (r"\sigma a", S("sigma") * a),
    (r"\eta", eta),
    (r"\eta_t", S("eta_t")),
    (r"\alpha \beta", S("alpha") * S("beta")),
    (r"\pi r^2", pi * S("r") ** 2),
    (r"\boxed{x + 1}", x + 1),
    (r"x \, + \; y \! + \quad 1 \qquad", x + y + 1),
    (r"x~+~y", x + y),
    (r"\displaystyle \frac{1}{2}", Rational(1, 2)),
    # subscripts and implicit products
    (r"p_i", p_i),
    (r"p_{i}", p_i),
    (r"x_{12}", S("x_12")),
    (r"v_{-2}", S("v_{-2}")),
    (r"v_{-2}v_{-1}", S("v_{-2}") * S("v_{-1}")),
    (r"x_{i+1}", S("x_{i+1}")),
    (r"x_{\alpha}", S("x_alpha")),
    (r"2p_i", 2 * p_i),
    (r"wx_i", w * x_i),
    (r"w x_i", w * x_i),
    (r"2p_i^3 e^{-a_i} x_i", 2 * p_i**3 * exp(-a_i) * x_i),
    (r"(2p_i-2y_i)(x_i)", (2 * p_i - 2 * y_i) * x_i),
    (r"2(0)^3", 0),
    (r"x(x+1)", x * (x + 1)),
    (r"\frac{1}{2}wx_i", w * x_i / 2),
    (r"\eta 2w", 2 * eta * w),
    # cases
    (r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}",
     Piecewise((-y_i, y_i * a_i < 1), (0, y_i * a_i > 1))),
    (r"\begin{cases} x & x < 0 \\ 0 & \text{otherwise} \end{cases}",
     Piecewise((x, x < 0), (0, True))),
    (r"\begin{cases} x & , \text{if } x \le 0 \\ 1 & \text{else} \end{cases}",
     Piecewise((x, x <= 0), (1, True))),
    (r"\begin{cases} x & \text{for}\: x < 1 \\0 & \text{otherwise} \end{cases}",
     Piecewise((x, x < 1), (0, True))),
    (r"\begin{cases} 1 & x \geq 0 \text{ and } y \lt 2 \\ 2 & x \ne 1 \end{cases}",
     Piecewise((1, And(x >= 0, y < 2)), (2, sympy.Ne(x, 1)))),
    (r"\begin{cases} 1 & x \ge 0 \wedge y > 0 \\ 2 & x \leq -1 \vee y \gt 1 \end{cases}",
     Piecewise((1, And(x >= 0, y > 0)), (2, sympy.Or(x <= -1, y > 1)))),
    (r"\begin{cases} 1 & 0 < x < 1 \\ 0 & \text{otherwise} \end{cases}",
     Piecewise((1, And(0 < x, x < 1)), (0, True))),
    (r"2 \begin{cases} 1 & x<0 \\ 2 & x>0 \end{cases}",
     2 * Piecewise((1, x < 0), (2, x > 0))),
    # aligned and chains
    (r"\begin{aligned} y &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}", x**2 + 2 * x + 1),
    (r"w \leftarrow w - \eta x", w - eta * x),
    (r"w \gets w - \eta x", w - eta * x),
    (r"\frac{d}{dx} x^2 = 2x", 2 * x),
    (r"\frac{\partial l}{\partial a} = \boxed{a}", a),
    (r"\frac{\mathrm{d}l}{\mathrm{d}w} = 2w", 2 * w),
    (r"f'(x) = 2x", 2 * x),
    (r"\boxed{x} = x", x),
    (r"\(x+1\)", x + 1),
    (r"$$\frac{1}{2}$$", Rational(1, 2)),
    (r"\frac{1}{1+e^{-wx_i}}", 1 / (1 + exp(-w * x_i))),
    (r"-\frac{0.3}{(0.25)^2}", Rational(-24, 5)),
    (r"e^{-60}", exp(-60)),
    (r"2e^{-60}", 2 * exp(-60)),
    (r"\frac{1}{2^{99}}", Rational(1, 2**99)),
    (r"E", S("E")),
    (r"\bar{v}_{-2} + \hat{y} + \hat{\theta}", S("vbar_{-2}") + S("yhat") + S("thetahat")),
    (r"\mathbf{w}^2", w**2),
    (r"\frac{d_i}{d_j}", S("d_i") / S("d_j")),
    (r"\frac{d}{d+1}", S("d") / (S("d") + 1)),
    (r"\frac{d^2 y}{dx^2} = 2", 2),
    (r"\sqrt 2", sqrt(2)),
    (r"√{x}", sqrt(x)),
    (r"4.8 \times 10^{-3}", Rational(48, 10000)),
    (r"xy^2", x * y**2),
    (r"e^{2\ln x}", x**2),
    (r"e^{\ln 2}", 2),
    (r"p^2_i", p_i**2),
    (r"2p^3_i e^{-a_i} x^{2}_{i}", 2 * p_i**3 * exp(-a_i) * x_i**2),
    (r"\ell_i + \ell", S("ell_i") + S("ell")),
    (r"\begin{cases} -y_i \text{ if } y_i a_i < 1 \\ 0 \text{ otherwise} \end{cases}",
     Piecewise((-y_i, y_i * a_i < 1), (0, True))),
    (r"\begin{cases} -y_i, \text{ if } y_i a_i < 1 \\ 0, \text{ otherwise} \end{cases}",
     Piecewise((-y_i, y_i * a_i < 1), (0, True))),
    (r"\operatorname{sech}^2(x)", sympy.sech(x) ** 2),
    (r"\begin{cases}-y_i,& y_ia_i<1\\0,& y_ia_i>1\end{cases}",
     Piecewise((-y_i, y_i * a_i < 1), (0, y_i * a_i > 1))),
    (r"\left\{ \begin{array}{ll} -y_i & y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{array} \right.",
     Piecewise((-y_i, y_i * a_i < 1), (0, y_i * a_i > 1))),
]


@pytest.mark.parametrize(("answer", "intended"), LATEX, ids=[t[0] for t in LATEX])
def test_latex_answer(answer, intended):
    parsed = parse(answer, syntax="latex")
    assert parsed.syntax == "latex"
    assert parsed.expr == intended or sympy.simplify(parsed.expr - intended) == 0


def test_e_is_a_symbol_when_the_context_defines_it():
    names = NameContext(symbols=frozenset({"e"}))
    assert parse(r"e^{x}", names=names).expr == S("e") ** x
    assert parse(r"\mathrm{e}^{x}", names=names).expr == S("e") ** x


def test_wx_is_one_symbol_when_the_context_defines_it():
    assert parse(r"wx_i", names=NameContext(symbols=frozenset({"wx_i"}))).expr == S("wx_i")
    assert parse(r"wx", names=NameContext(symbols=frozenset({"wx"}))).expr == S("wx")


def test_sigma_with_a_context_definition():
    assert parse(r"\sigma(a)", names=NameContext(functions={"sigma": 1})).expr == \
        Function("sigma")(a)
    assert parse(r"\sigma(a)", names=NameContext(symbols=frozenset({"sigma"}))).expr == \
        S("sigma") * a


def test_pi_is_a_symbol_when_the_context_defines_it():
    assert parse(r"\pi", names=NameContext(symbols=frozenset({"pi"}))).expr == S("pi")


def test_text_and_latex_subscripts_are_the_same_symbol():
    assert parse("p_i", syntax="text").expr == parse(r"p_{i}", syntax="latex").expr


def test_chain_without_box_needs_every_member():
    with pytest.raises(Exception, match=r"unknown command \\foo"):
        parse(r"x = \foo f = 2")


def test_chain_members_skip_labels_and_keep_columns():
    text = r"\frac{dl}{dw} = 2(w - 1) = \boxed{2w - 2}"
    parsed = parse(text)
    assert [m.text for m in parsed.members] == ["2(w - 1)", r"\boxed{2w - 2}"]
    assert [text[m.column - 1:].startswith(m.text) for m in parsed.members] == [True, True]
    assert parsed.boxed


def test_last_box_is_the_final_value():
    assert parse(r"\boxed{x} = \boxed{y}").expr == y


def test_boxed_chain_inside_box():
    assert parse(r"\boxed{\frac{dl}{dw} = 2w}").expr == 2 * w


def test_cases_rows_do_not_get_an_implicit_true():
    expr = parse(r"\begin{cases} 1 & x < 0 \\ 2 & x > 0 \end{cases}").expr
    assert expr.args[-1].cond == (x > 0)


def test_a_context_symbol_starting_with_d_is_not_a_differential():
    names = NameContext(symbols=frozenset({"dw"}))
    assert parse(r"\frac{1}{dw}", names=names).expr == 1 / S("dw")
