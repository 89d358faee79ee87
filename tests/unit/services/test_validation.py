"""The answer preview draws a Piecewise as cases, with the same renderer as the pages."""

from __future__ import annotations

import sympy

from grader.db import Session
from grader.engine import render
from grader.services.validation import validate_answer
from grader.web.mathml import sympy_mathml

CASES = r"\begin{cases} -y_i & y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}"


def test_validating_cases_gives_a_cases_table_and_no_piecewise_call(session: Session) -> None:
    out = validate_answer(session, None, answer=CASES, syntax="latex")
    assert out["ok"] is True, out
    assert out["mathml"].startswith(f'<math xmlns="{render.MATHML_NS}">')
    assert "<mtable>" in out["mathml"] and '<mo stretchy="true">{</mo>' in out["mathml"]
    assert "piecewise" not in out["mathml"].lower().replace("mtable", "")
    assert r"\begin{cases}" in out["latex"] and out["text"].startswith("Piecewise")


def test_a_piecewise_inside_an_expression_and_an_otherwise_branch() -> None:
    x = sympy.Symbol("x", real=True)
    out = render.mathml_children(2 * sympy.Piecewise((x, x < 1), (0, True)))
    assert out.count("<mtr>") == 2 and "otherwise" in out and "piecewise" not in out


def test_the_pages_and_the_preview_share_the_renderer() -> None:
    x = sympy.Symbol("x", real=True)
    expr = sympy.Piecewise((-x, x < 0), (x, True)) + sympy.exp(x)
    assert sympy_mathml(expr) == render.mathml_children(expr)
    assert render.render(expr)["mathml"] == f'<math xmlns="{render.MATHML_NS}">{sympy_mathml(expr)}</math>'
