"""The preview draws the answer as typed: the student's factors, fractions and order, never
sympy's rewritten form (``-2(y_i-p_i)`` was shown as ``2p_i - 2y_i``)."""

from __future__ import annotations

import pytest

from grader.engine.errors import ParseError
from grader.engine.parsing import NameContext, parse
from grader.engine.render_typed import read_typed

CASES = [
    # typed, text as typed, symbols
    ("-2(y_i-p_i)", "-2*(y_i - p_i)", {"y_i", "p_i"}),
    (r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}", "(e^(-a_i))/((1 + e^(-a_i))^2)", {"a_i"}),
    ("a - b/c*d", "a - b/c*d", {"a", "b", "c", "d"}),
    ("x_i*p_i*(1 - p_i)", "x_i*p_i*(1 - p_i)", {"x_i", "p_i"}),
    ("1.50 w", "1.5*w", {"w"}),
    ("v_{-2}*v_{-1}", "v_{-2}*v_{-1}", {"v_{-2}", "v_{-1}"}),
]


@pytest.mark.parametrize(("typed", "text", "symbols"), CASES)
def test_the_answer_is_drawn_in_the_order_typed(typed: str, text: str, symbols: set[str]) -> None:
    out = read_typed(typed)
    assert out.text == text
    assert out.symbols == symbols
    assert out.mathml.startswith("<math") and out.mathml.endswith("</math>")


def test_sympy_reorders_what_the_typed_rendering_keeps() -> None:
    """The failure this module fixes: sympy's own form of -2(y_i - p_i) is 2p_i - 2y_i."""
    assert str(parse("-2(y_i-p_i)").expr) == "2*p_i - 2*y_i"
    ml = read_typed("-2(y_i-p_i)").mathml
    assert ml.index("<mi>y</mi>") < ml.index("<mi>p</mi>") and "<mo>(</mo>" in ml


def test_a_latex_fraction_stays_a_fraction_right_side_up() -> None:
    ml = read_typed(r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}").mathml
    numerator, denominator = ml.split("<mfrac>", 1)[1].split("</mrow><mrow>", 1)
    assert "<mn>1</mn>" not in numerator and "<mn>2</mn>" in denominator


def test_a_word_is_reported_as_a_product_of_letters() -> None:
    out = read_typed("zero")
    assert [(w.word, w.pieces) for w in out.words] == [("zero", ("z", "e", "r", "o"))]
    assert read_typed("2wx_i").words == ()          # two letters: a product as intended
    assert read_typed("eta*x").words == ()          # a known Greek name
    assert read_typed("abc", names=NameContext(symbols=frozenset({"abc"}))).words == ()


def test_cases_are_drawn_as_a_table_with_their_conditions() -> None:
    out = read_typed(r"\begin{cases} -y_i & y_i a_i < 1 \\ 0 & \text{otherwise} \end{cases}")
    assert out.mathml.count("<mtr>") == 2 and "otherwise" in out.mathml and "&lt;" in out.mathml


def test_unreadable_input_raises_the_parsers_error() -> None:
    with pytest.raises(ParseError):
        read_typed("2*(x_i")
