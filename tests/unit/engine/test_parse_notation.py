"""Notation students really write (issue 9, class 6): each reads with the meaning intended.

Every case compares the parsed value with the intended expression, not only "no error".
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, Rational, Symbol, log, oo, real_root

from grader.engine.errors import ParseError
from grader.engine.parsing import NameContext, parse


def S(name: str) -> Symbol:
    return Symbol(name, real=True)


x, y, a, b, c = S("x"), S("y"), S("a"), S("b"), S("c")
XY = NameContext(symbols={"x", "y"})


def same(got: sympy.Expr, intended: sympy.Expr) -> bool:
    return got == intended or sympy.simplify(got - intended) == 0


ABSOLUTE = [
    ("x|x|", "text", x * Abs(x)),
    ("x|x|", "latex", x * Abs(x)),
    ("2|x|", "text", 2 * Abs(x)),
    ("2|x|", "latex", 2 * Abs(x)),
    ("3|x|^2", "text", 3 * Abs(x) ** 2),
    ("3|x|^2", "latex", 3 * Abs(x) ** 2),
    ("|x|x", "text", x * Abs(x)),
    ("|x||y|", "text", Abs(x) * Abs(y)),
    ("2|x| + |y|", "text", 2 * Abs(x) + Abs(y)),
    ("x*|x|", "text", x * Abs(x)),
    ("sin|x|", "text", sympy.sin(Abs(x))),
    ("|x|sin|x|", "text", Abs(x) * sympy.sin(Abs(x))),
    (r"x\left|x\right|", "latex", x * Abs(x)),
    (r"\left|x\right|", "latex", Abs(x)),
    (r"\vert x \vert", "latex", Abs(x)),
    (r"x\vert x\vert", "latex", x * Abs(x)),
    ("||x|-1|", "text", Abs(Abs(x) - 1)),
    ("||x|-1|", "latex", Abs(Abs(x) - 1)),
    (r"|x|e^{|x|}", "latex", Abs(x) * sympy.exp(Abs(x))),
    ("x/|x|", "text", x / Abs(x)),
]


@pytest.mark.parametrize(("answer", "syntax", "intended"), ABSOLUTE)
def test_absolute_value_bars_after_an_operand_multiply(answer, syntax, intended):
    assert same(parse(answer, syntax=syntax).expr, intended)


@pytest.mark.parametrize("answer", ["|a|b|c|", "|x| y |x|", "2|x|y|z|"])
def test_bars_that_read_two_ways_are_refused_with_a_clear_message(answer):
    with pytest.raises(ParseError, match="ambiguous absolute value bars"):
        parse(answer)


def test_a_text_bar_between_conditions_is_still_or():
    got = parse("Piecewise((1, x > 1 | x < -1), (0, True))", syntax="text").expr
    assert got == sympy.Piecewise((1, (x > 1) | (x < -1)), (0, True))


LETTER_RUNS = [
    ("xy(1-x)", XY, x * y * (1 - x)),
    ("yx(x+1)", XY, x * y * (x + 1)),
    (r"xy\left(1-x\right)", XY, x * y * (1 - x)),
    ("wx_i(1-x_i)", NameContext(symbols={"w", "x_i"}), S("w") * S("x_i") * (1 - S("x_i"))),
    ("xf(x)", NameContext(symbols={"x"}, functions={"f": 1}), x * sympy.Function("f")(x)),
    ("f(x)", NameContext(symbols={"x"}, functions={"f": 1}), sympy.Function("f")(x)),
]


@pytest.mark.parametrize(("answer", "names", "intended"), LETTER_RUNS)
def test_declared_letters_before_a_parenthesis_are_a_product(answer, names, intended):
    assert same(parse(answer, names=names).expr, intended)


@pytest.mark.parametrize(("answer", "names"), [("xy(1-x)", NameContext()),
                                               ("ab(x)", NameContext(symbols={"a", "x"}))])
def test_undeclared_letter_runs_before_a_parenthesis_stay_unknown_functions(answer, names):
    with pytest.raises(ParseError, match="unknown function"):
        parse(answer, names=names)


INFINITY = [
    (r"\infty", oo), (r"-\infty", -oo), ("oo", oo), ("-oo", -oo), ("∞", oo), ("-∞", -oo),
    (r"+\infty", oo), ("inf", oo), ("infinity", oo), (r"$\infty$", oo),
    (r"e^{-\infty}", 0),
]


@pytest.mark.parametrize(("answer", "intended"), INFINITY)
def test_infinity_is_read_in_every_spelling(answer, intended):
    assert parse(answer).expr == intended


def test_declared_letters_keep_oo_a_product():
    assert parse("oo", names=NameContext(symbols={"o"})).expr == S("o") ** 2


ROOTS = [
    (r"\sqrt[3]{x}", real_root(x, 3)),
    (r"\sqrt[3]x", real_root(x, 3)),
    ("cbrt(x)", real_root(x, 3)),
    (r"\sqrt[5]{x}", real_root(x, 5)),
    (r"\sqrt[3]{-8}", -2),
    ("cbrt(-27)", -3),
    (r"\sqrt[4]{x}", x ** Rational(1, 4)),   # even index: the principal root, x >= 0 only
    ("x^(1/3)", x ** Rational(1, 3)),        # a power: sympy's principal root, x >= 0 only
]


@pytest.mark.parametrize(("answer", "intended"), ROOTS)
def test_the_written_root_is_the_real_cube_root(answer, intended):
    assert parse(answer).expr == intended


def test_real_cube_root_is_negative_for_negative_x():
    assert parse(r"\sqrt[3]{x}").expr.subs(x, -8) == -2


LOGARITHMS = [
    ("log_2(x)", log(x) / log(2)),
    ("log_2 x", log(x) / log(2)),
    ("log_10(x)", log(x) / log(10)),
    ("log_{10}(x)", log(x) / log(10)),
    ("log_b(x)", log(x) / log(b)),
    ("log_e(x)", log(x)),
    (r"\log_{2} x", log(x) / log(2)),
    (r"\log_2 x", log(x) / log(2)),
    (r"\log_{10}(x)", log(x) / log(10)),
    (r"\log_{\mathrm{e}} x", log(x)),
    ("ln(x)", log(x)),
    (r"\ln x", log(x)),
]


@pytest.mark.parametrize(("answer", "intended"), LOGARITHMS)
def test_logarithms_with_a_base(answer, intended):
    assert same(parse(answer).expr, intended)


FRACTIONS = [
    ("½x", x / 2), ("¾", Rational(3, 4)), ("⅓", Rational(1, 3)), ("x^2 + ⅔x", x**2 + 2 * x / 3),
    ("2½", Rational(5, 2)), ("x - 1½", x - Rational(3, 2)), (r"\frac{x}{2} + ½", x / 2 + Rational(1, 2)),
]


@pytest.mark.parametrize(("answer", "intended"), FRACTIONS)
def test_unicode_vulgar_fractions(answer, intended):
    assert parse(answer).expr == intended


def test_vulgar_fraction_keeps_the_students_columns():
    with pytest.raises(ParseError) as err:
        parse("½x + 2½ + )")
    assert err.value.column == 11  # the ")" in the text as typed, after two rewritten fractions


def test_a_fraction_after_a_decimal_is_refused_where_it_is():
    with pytest.raises(ParseError, match="after a decimal") as err:
        parse("1.5½")
    assert err.value.column == 4


def test_sympys_printed_cube_root_is_read_as_the_real_root():
    # sympy prints its principal root(x, 3) as \sqrt[3]{x}; a student means the real root, which
    # agrees for x >= 0 and is defined (negative) for x < 0 where the principal root is complex
    got = parse(sympy.latex(sympy.root(x, 3))).expr
    assert got == real_root(x, 3)
    assert got.subs(x, 8) == sympy.root(8, 3) and got.subs(x, -8) == -2


W, L, s_ = S("w"), S("L"), S("s")
LABELLED = [
    # a label on the left of the chain; the last member is graded
    (r"\frac{d}{dx}(x^2) = 2x", 2 * x),
    ("d/dx(x^2) = 2x", 2 * x),
    ("d/dx (x^2) = 2*x", 2 * x),
    ("dy/dx = 2x", 2 * x),
    (r"\tanh'(x) = 1 - \tanh^2(x)", 1 - sympy.tanh(x) ** 2),
    ("tanh'(x) = 1 - tanh(x)^2", 1 - sympy.tanh(x) ** 2),
    (r"\tanh''(x) = -2\tanh(x)(1 - \tanh^2(x))", -2 * sympy.tanh(x) * (1 - sympy.tanh(x) ** 2)),
    (r"\ln'(x) = \frac{1}{x}", 1 / x),
    ("f'(x) = 2x", 2 * x),
    (r"\sigma'(x) = \sigma(x)(1 - \sigma(x))",
     (1 / (1 + sympy.exp(-x))) * (1 - 1 / (1 + sympy.exp(-x)))),
    (r"\nabla_w L = 2w", 2 * W),
    (r"\nabla_w L = \boxed{2w}", 2 * W),
    (r"\lim_{s \to 0} \frac{dl}{db} = \lim_{s \to 0}(s - 1) = -1", -1),
    (r"\lim_{x \to \infty} \frac{1}{x} = 0", 0),
    (r"\lim_{x \to 0^+} \ln x = -\infty", -oo),
]


@pytest.mark.parametrize(("answer", "intended"), LABELLED)
def test_a_label_on_the_left_of_a_chain_is_not_graded(answer, intended):
    parsed = parse(answer)
    assert same(parsed.expr, intended)
    assert len(parsed.members) == 1  # the label is not a valued member


@pytest.mark.parametrize(("answer", "message"), [
    (r"\boxed{\frac{d}{da_i}(p_i)}", "derivative operator"),  # seed 1c: the question restated
    ("d/dx(x^2)", "derivative operator"),
    (r"\tanh'(x)", "derivative operator"),
    (r"\nabla_w L", "derivative operator"),
    (r"2x = \frac{d}{dx}(x^2)", "derivative operator"),
    (r"\lim_{s \to 0}(s - 1)", r"\\lim cannot be graded"),
    (r"-1 = \lim_{s \to 0}(s - 1)", r"\\lim cannot be graded"),
])
def test_a_label_as_the_graded_member_restates_the_question(answer, message):
    with pytest.raises(ParseError, match=message):
        parse(answer)


STEP = sympy.Piecewise((1, x > 0), (0, True))
INDICATORS = [
    (r"\mathbb{1}[x > 0]", STEP),
    (r"\mathbb{1}_{x>0}", STEP),
    (r"\mathbb{1}_{\{x > 0\}}", STEP),
    (r"\mathbb{1}\{x > 0\}", STEP),
    (r"\mathbb{1}\left[x > 0\right]", STEP),
    (r"\mathbb{I}(x>0)", STEP),
    (r"\mathds{1}[x > 0]", STEP),
    (r"\mathbf{1}[x > 0]", STEP),
    ("1[x>0]", STEP),
    ("[x > 0]", STEP),
    (r"x \mathbb{1}[x > 0]", x * STEP),
    ("x*[x > 0] + x/100*[x <= 0]",
     x * STEP + x / 100 * sympy.Piecewise((1, x <= 0), (0, True))),
    (r"\mathbb{1}[0 < x < 1]", sympy.Piecewise((1, (x > 0) & (x < 1)), (0, True))),
    ("[x + 1]*2", 2 * x + 2),  # brackets around a value are still brackets
]


@pytest.mark.parametrize(("answer", "intended"), INDICATORS)
def test_indicator_notation_is_a_piecewise(answer, intended):
    assert parse(answer).expr == intended


@pytest.mark.parametrize(("answer", "message"), [
    (r"\mathbb{1}", "an indicator needs its condition"),
    (r"\mathbb{1}[x]", "expected a condition"),
    (r"\mathbb{1}_x", "in braces"),
    (r"\mathbb{R}", r"unsupported \\mathbb\{R\}"),
])
def test_an_indicator_without_a_condition_says_so(answer, message):
    with pytest.raises(ParseError, match=message):
        parse(answer)


# valid input the parser used to call invalid (issue 9, class 8)
VALID = [
    ("= 0.3", Rational(3, 10)),                 # a cell of the seed's forward table
    (r"= \frac{1}{v_2}", 1 / S("v_2")),         # another
    ("= 2x", 2 * x),
    ("2x.", 2 * x),                              # the sentence's full stop
    ("2x,", 2 * x),
    ("$2x$.", 2 * x),
    (r"\frac{1}{x}.", 1 / x),
    (r"\sech^2(x)", sympy.sech(x) ** 2),         # not TeX, but written (as \tanh is)
    (r"\csch x", sympy.csch(x)),
]


@pytest.mark.parametrize(("answer", "intended"), VALID)
def test_valid_notation_is_not_called_invalid(answer, intended):
    assert parse(answer).expr == intended


def test_a_decimal_point_at_the_end_is_still_a_decimal():
    parsed = parse("x + 2.")
    assert parsed.expr == x + 2 and parsed.inexact


def test_an_invisible_right_delimiter_is_not_a_full_stop():
    cases = r"\left\{ \begin{array}{ll} 1 & x > 0 \\ 0 & x < 0 \end{array} \right."
    assert parse(cases).expr == sympy.Piecewise((1, x > 0), (0, x < 0))


EVALUATED = [
    (r"\left.2x\right|_{x=1}", 2),
    (r"x^2\Big|_{x=3}", 9),
    (r"x^2 + 1\Big|_{x=3}", 10),          # the bar applies to the whole member before it
    (r"2x|_{x=1}", 2),
    (r"\left. (x^2 + y) \right|_{x=2}", 4 + y),
    (r"|x|\Big|_{x=-2}", 2),
]


@pytest.mark.parametrize(("answer", "intended"), EVALUATED)
def test_an_evaluation_bar_substitutes_the_point(answer, intended):
    assert parse(answer).expr == intended


@pytest.mark.parametrize("answer", [
    r"\frac{dy}{dx}\bigg|_{x=0} = 1", r"\left.\frac{dy}{dx}\right|_{x=0} = 1",
    r"\lim\limits_{x \to 0} \frac{\sin x}{x} = 1", r"\frac{d(x^2)}{dx}\Big|_{x=1/2} = 1",
])
def test_an_evaluated_or_limited_label_is_still_a_label(answer):
    parsed = parse(answer)
    assert parsed.expr == 1 and [m.text for m in parsed.members] == ["1"]


@pytest.mark.parametrize("answer", [r"\frac{d(x^2)}{dx} = 2x", "d(x^2)/dx = 2x", "d^2y/dx^2 = 2x"])
def test_leibniz_notation_around_a_bracket_or_an_order_is_a_label_not_a_step(answer):
    # read as a quotient it was a wrong first step (d x^2 / (d x) = x) for the step feedback
    parsed = parse(answer)
    assert parsed.expr == 2 * x and [m.text for m in parsed.members] == ["2x"]


def test_a_declared_d_before_a_bracket_is_a_factor():
    assert parse("d(x+1)/dx", names=NameContext(symbols={"d", "x"})).expr == (x + 1) / x


@pytest.mark.parametrize(("answer", "message"), [
    (r"x\Big|_{y}", "expected {x = value}"),
    ("|x|_{x=1}", "unexpected _"),         # the bar closes |x|; it is not an evaluation bar
])
def test_a_malformed_evaluation_bar_says_so(answer, message):
    with pytest.raises(ParseError, match=message):
        parse(answer)


UNICODE = [
    (r"\frac{1}{√(x+1)}", 1 / sympy.sqrt(x + 1)),   # the parenthesis is under the root
    (r"\sqrt(x+1)", sympy.sqrt(x + 1)),
    ("∛x", real_root(x, 3)),
    ("∛(x+1)", real_root(x + 1, 3)),
    ("f′(x) = 2x", 2 * x),                            # U+2032 PRIME
    ("f″(x) = 2", 2),                                 # U+2033 DOUBLE PRIME
    ("f‴(x) = 0", 0),                                 # U+2034 TRIPLE PRIME (was read as ", ")
    ("x∣x∣", x * Abs(x)),                              # U+2223 DIVIDES as a bar
    ("1∕x", 1 / x),
    ("1⁄x", 1 / x),
]


@pytest.mark.parametrize(("answer", "intended"), UNICODE)
def test_unicode_roots_primes_bars_and_slashes(answer, intended):
    assert parse(answer).expr == intended


@pytest.mark.parametrize(("answer", "intended"), [
    ("relu(x)", sympy.Max(0, x)), ("ReLU(x)", sympy.Max(0, x)),
    (r"\operatorname{ReLU}(x)", sympy.Max(0, x)), (r"\mathrm{ReLU}(2x - 1)", sympy.Max(0, 2 * x - 1)),
    ("ReLU'(x) = [x > 0]", STEP),
])
def test_relu_is_max_of_zero(answer, intended):
    assert parse(answer).expr == intended


def test_a_context_function_named_relu_wins():
    got = parse("relu(x)", names=NameContext(functions={"relu": 1})).expr
    assert got == sympy.Function("relu")(x)


@pytest.mark.parametrize(("answer", "intended"), [
    (r"y^{\prime} = 2x", 2 * x), (r"f^{\prime}(x) = 2x", 2 * x), (r"f^\prime(x) = 2x", 2 * x),
    (r"f^{\prime\prime}(x) = 2", 2), (r"\tanh^{\prime}(x) = 1 - \tanh^2 x", 1 - sympy.tanh(x) ** 2),
])
def test_latex_primes_are_primes(answer, intended):
    parsed = parse(answer)
    assert parsed.expr == intended and len(parsed.members) == 1


@pytest.mark.parametrize("answer", ["y‴", "f‴(x)", "y″"])
def test_a_unicode_prime_alone_is_still_the_question(answer):
    # U+2034 was normalised to ", ": "y‴" was read as the answer y
    with pytest.raises(ParseError, match="derivative operator"):
        parse(answer)


def test_a_prime_alone_is_still_the_question():
    with pytest.raises(ParseError, match="derivative operator"):
        parse(r"f^{\prime}(x)")
