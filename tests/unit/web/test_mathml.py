"""Prompt Markdown + LaTeX rendered as HTML + MathML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy

from grader.web.mathml import answer_mathml, formula, render_inline, render_prompt
from grader.web.texmath import UnsupportedTeX, tex_to_mathml

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "assignment-4-written.md"  # the seed prompt


def well_formed(children: str) -> ET.Element:
    return ET.fromstring(f"<math>{children}</math>")


@pytest.mark.parametrize("tex, expected", [
    (r"\frac{dl_i}{dp_i}", "<mfrac>"),
    (r"x^{2}", "<msup>"),
    (r"v_{-2}", "<msub>"),
    (r"\boxed{0}", '<menclose notation="box">'),
    (r"\lim_{p \rightarrow 0} f", "<munder>"),
    (r"\begin{cases} 1 & x < 1 \\ 0 & x > 1 \end{cases}", "<mtable"),
    (r"\bar{v}_4 = 1", "<mover"),
    (r"\sqrt[3]{x}", "<mroot>"),
    (r"\text{logistic}(u)", "<mtext>logistic</mtext>"),
    (r"y_i \in \{0, 1\}", "∈"),
])
def test_translation_keeps_the_notation(tex: str, expected: str) -> None:
    out = tex_to_mathml(tex)
    well_formed(out)
    assert expected in out


def test_frac_is_not_simplified() -> None:
    # sympy would cancel the d of dl_i/dp_i; the prompt must show it.
    out = tex_to_mathml(r"\frac{dl_i}{dp_i}")
    assert out.count("<mi>d</mi>") == 2


@pytest.mark.parametrize("tex", [r"\unknowncommand{x}", r"\begin{tikzpicture}\end{tikzpicture}", "x}"])
def test_unsupported_tex_raises(tex: str) -> None:
    with pytest.raises(UnsupportedTeX):
        tex_to_mathml(tex)


def test_unreadable_math_falls_back_to_escaped_source() -> None:
    out = formula(r"\foo{<script>}")
    assert out.startswith('<code class="math-fallback">') and "<script>" not in out


def test_markdown_and_math_together() -> None:
    html = render_prompt("**Compute** $a_i = wx_i$ and\n\n$$p = \\frac{1}{1+e^{-a}}$$")
    assert "<strong>Compute</strong>" in html
    assert 'display="inline"' in html and 'display="block"' in html


def test_raw_html_in_a_prompt_is_shown_not_run() -> None:
    html = render_prompt("<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script>" not in html and "javascript:" not in html


def test_markdown_does_not_touch_underscores_in_math() -> None:
    html = render_prompt("$x_i$ and $y_i$")
    assert "<em>" not in html and html.count("<math") == 2


def test_render_inline_drops_the_paragraph() -> None:
    assert not render_inline("plain *text*").startswith("<p>")


def test_answer_mathml_uses_the_parser_and_falls_back() -> None:
    parsed = SimpleNamespace(members=(), expr=2 * sympy.Symbol("p_i"))
    assert "<math" in answer_mathml("2p_i", parse=lambda t: parsed)
    assert "math-fallback" in answer_mathml("((", parse=lambda t: (_ for _ in ()).throw(ValueError()))


def test_every_formula_of_the_seed_is_translated() -> None:
    html = render_prompt(SEED.read_text(encoding="utf-8"))
    assert "math-fallback" not in html
    assert html.count("<math") > 50


def test_piecewise_answers_are_drawn_as_cases() -> None:
    y, a = sympy.symbols("y_i a_i", real=True)
    parsed = SimpleNamespace(members=(), expr=sympy.Piecewise((-y, y * a < 1), (0, True)))
    out = answer_mathml("cases", parse=lambda t: parsed)
    assert "<mtable>" in out and "piecewise" not in out.lower().replace("mtable", "")


@pytest.mark.parametrize("source", [
    "[x](java&#115;cript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x][r]\n\n[r]: java&#115;cript:alert(1)",
    "![x](javascript:alert(1))",
])
def test_script_links_are_neutralised_however_they_are_spelt(source: str) -> None:
    html = render_prompt(source)
    assert 'href="#"' in html or 'src="#"' in html, html
    assert "script:" not in html.replace("&#115;", "s").lower()


def test_ordinary_links_are_kept() -> None:
    html = render_prompt("[notes](https://example.edu/notes?a=1) and [local](/assignments/hw1#q-1)")
    assert 'href="https://example.edu/notes?a=1"' in html and 'href="/assignments/hw1#q-1"' in html


def test_text_that_looks_like_a_formula_placeholder_is_kept() -> None:
    # a student's free text is rendered with render_prompt on the dashboard: it must not 500
    html = render_prompt("see MATHXQZ7ZQX and $x$")
    assert "MATHXQZ7ZQX" in html and "<math" in html


def test_text_keeps_its_spaces() -> None:
    # \text{for all } was drawn "forall", "1 \text{ if } x" as "1ifx"
    assert tex_to_mathml(r"\text{for all } x") == "<mtext>for&#160;all&#160;</mtext><mi>x</mi>"
    assert "<mtext>&#160;if&#160;</mtext>" in tex_to_mathml(r"1 \text{ if } x > 0")
    assert tex_to_mathml(r"\mathrm{d} x") == '<mi mathvariant="normal">d</mi><mi>x</mi>'
    assert tex_to_mathml(r"\operatorname{arg max}") == '<mi mathvariant="normal">argmax</mi>'
