"""Fuzz: any string made of maths-like pieces gives a Parsed or a ParseError, never anything else."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.engine.errors import ParseError
from grader.engine.parsing import NameContext, Parsed, parse

PIECES = [
    "x", "y", "p_i", "x_{i}", "v_{-2}", "e", "E", "pi", "wx", "2", "0", "1.5", "2e-3", "10", "9",
    "+", "-", "*", "/", "^", "**", "(", ")", "[", "]", "{", "}", ",", "|", "!", "'", "=", "<", ">",
    "<=", "&", " ", "_", ".", ":=", "exp", "log", "ln", "sqrt", "sin", "Max", "Abs", "factorial",
    "Piecewise", "True", "logistic", "sigma", "f", "And", "Eq", r"\frac", r"\sqrt", r"\cdot",
    r"\left(", r"\right)", r"\left|", r"\right|", r"\boxed", r"\text{if}", r"\text{logistic}",
    r"\mathrm{e}", r"\sigma", r"\eta", r"\le", r"\leftarrow", r"\begin{cases}", r"\end{cases}",
    r"\begin{aligned}", r"\end{aligned}", r"\\", r"\partial", "d", "dx", r"\lim", r"\max", r"\,",
    r"\bar{v}", r"\log_2", "²", "−", "·", "ｘ", r"\foo", r"\operatorname{asin}", "0.", ".5",
]
NAMES = NameContext(symbols=frozenset({"p_i", "wx"}), functions={"f": 1})
answers = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(answers, st.sampled_from(["auto", "text", "latex"]))
def test_any_input_parses_or_raises_parse_error(answer, syntax):
    try:
        parsed = parse(answer, syntax=syntax, names=NAMES)
    except ParseError as exc:
        assert exc.column is None or 1 <= exc.column <= len(answer) + 1
        return
    assert isinstance(parsed, Parsed)
    assert isinstance(parsed.expr, sympy.Basic)
    for member in parsed.members:
        assert answer[member.column - 1:].startswith(member.text[:1])


@pytest.mark.parametrize("answer", [
    "log(x, 0)", "0**-1", "0^0", "factorial(-1)", "factorial(1/2)", "sqrt(-4)", "Max(x, True)",
    "Piecewise((x, y))", "Abs(x < 1)", "Piecewise((x, x < 1), (y, x))", "(-8)**(1/3)", "1/0",
    "log(0)", "Eq(x)", "And(x)", "Not(x < 1)", "Piecewise((1, True), (2, x < 1))", "x**(1/201)",
    "2**(1/2)**200", "(1/3)**200", "Min()", "exp()", "x_{}", r"\frac{}{}", r"\sqrt[]{x}",
])
def test_odd_but_short_inputs_are_read_or_refused_with_a_message(answer):
    try:
        parsed = parse(answer)
    except ParseError as exc:  # refused: with a reason, and a position inside the input when it has one
        assert exc.message
        assert exc.column is None or 1 <= exc.column <= len(answer) + 1
    else:
        assert isinstance(parsed.expr, sympy.Basic)
