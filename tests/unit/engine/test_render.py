"""sympy -> MathML/LaTeX for previews and pages."""

from __future__ import annotations

import sympy

from grader.engine.parsing import parse
from grader.engine.render import mathml


def test_euler_e_is_a_plain_italic_e() -> None:
    out = mathml(parse("e^{-a_i}").expr)
    assert "<mi>e</mi>" in out and "ExponentialE" not in out


def test_piecewise_is_a_cases_table() -> None:
    out = mathml(parse(r"\begin{cases} -y_i & y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}").expr)
    assert "<mtable" in out and "piecewise" not in out.lower()


def test_symbols_with_subscripts_render() -> None:
    out = mathml(sympy.Symbol("p_i", real=True) ** 2)
    assert "<msub>" in out and "<mi>p</mi>" in out
