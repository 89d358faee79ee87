"""Render prompt Markdown with LaTeX as HTML + MathML (Chromium renders MathML natively).

Math is cut out of the Markdown first (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``) so
Markdown never mangles it, then each formula becomes MathML by, in order:

1. ``texmath.tex_to_mathml``: a faithful translation of the notation the author wrote;
2. our parser + sympy's presentation MathML printer, for what the translator does not know;
3. an escaped fallback (``<code class="math-fallback">``) when neither can read it.

Student answers are shown as *read by our parser* (``answer_mathml``), which is the point of
the preview: "we read your answer as ...".

>>> html = render_prompt("Compute $\\\\frac{dl_i}{dp_i}$.")
>>> "<mfrac>" in html and "<p>" in html
True
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any, Callable

import markdown as _markdown

from grader.engine.render import MATHML_NS, mathml_children
from grader.web.texmath import UnsupportedTeX, tex_to_mathml

_MATH = re.compile(
    r"(?<!\\)\$\$(?P<d1>.+?)(?<!\\)\$\$"
    r"|\\\[(?P<d2>.+?)\\\]"
    r"|\\\((?P<i2>.+?)\\\)"
    r"|(?<![\\$])\$(?!\$)(?P<i1>[^$\n]+?)(?<!\\)\$",
    re.DOTALL,
)
_PLACEHOLDER = "MATHXQZ{}ZQX"
_PLACEHOLDER_RE = re.compile(r"MATHXQZ(\d+)ZQX")
_URL_ATTR = re.compile(r'\b(?P<name>href|src)="(?P<value>[^"]*)"', re.IGNORECASE)
_SAFE_SCHEMES = ("http", "https", "mailto")


def wrap(children: str, *, display: bool = False, alttext: str = "") -> str:
    """A ``<math>`` element around MathML children."""
    mode = "block" if display else "inline"
    alt = f' alttext="{escape(alttext)}"' if alttext else ""
    return f'<math xmlns="{MATHML_NS}" display="{mode}"{alt}>{children}</math>'


def fallback(tex: str) -> str:
    """The escaped source, marked so CSS can show it as code."""
    return f'<code class="math-fallback">{escape(tex)}</code>'


def sympy_mathml(expr: Any) -> str:
    """Presentation MathML of a sympy expression (children of ``<math>``; a Piecewise as cases)."""
    return mathml_children(expr)


def parsed_mathml(text: str, *, parse: Callable[[str], Any] | None = None, chain: bool = True) -> str | None:
    """MathML of ``text`` as our parser reads it (every chain member, or with ``chain=False`` the
    final value only), or None when it does not parse."""
    try:
        if parse is None:
            from grader.engine import parse as engine_parse  # imported late: lands in parallel

            parse = engine_parse
        parsed = parse(text)
    except Exception:  # noqa: BLE001 - any failure means "not readable": fall back
        return None
    members = getattr(parsed, "members", ()) or ()
    exprs = [m.expr for m in members] if chain and len(members) > 1 else [parsed.expr]
    try:
        return "<mo>=</mo>".join(f"<mrow>{sympy_mathml(e)}</mrow>" for e in exprs)
    except Exception:  # noqa: BLE001 - a printer failure falls back too
        return None


def formula(tex: str, *, display: bool = False) -> str:
    """One prompt formula as ``<math>``: faithful translation, then parser + sympy, then fallback."""
    tex = tex.strip()
    try:
        return wrap(tex_to_mathml(tex), display=display, alttext=tex)
    except UnsupportedTeX:
        pass
    children = parsed_mathml(tex)
    if children is not None:
        return wrap(children, display=display, alttext=tex)
    return fallback(tex)


def answer_mathml(text: str, *, parse: Callable[[str], Any] | None = None) -> str:
    """A student's final answer as our parser reads it, or the escaped text when it does not parse."""
    children = parsed_mathml(text, parse=parse, chain=False)
    return wrap(children, alttext=text) if children is not None else fallback(text)


def render_prompt(source: str) -> str:
    """Markdown + LaTeX prompt -> HTML with MathML. Raw HTML in the source is shown, not run."""
    formulas: list[str] = []

    def stash(match: re.Match[str]) -> str:
        display = match.group("d1") is not None or match.group("d2") is not None
        tex = next(g for g in (match.group("d1"), match.group("d2"), match.group("i1"),
                               match.group("i2")) if g is not None)
        formulas.append(formula(tex, display=display))
        return _PLACEHOLDER.format(len(formulas) - 1)

    text = _MATH.sub(stash, source).replace("<", "&lt;")
    html = _markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _URL_ATTR.sub(_safe_url_attr, html)
    return _PLACEHOLDER_RE.sub(lambda m: _formula_at(formulas, m), html)


def _formula_at(formulas: list[str], match: re.Match[str]) -> str:
    """The stashed formula a placeholder names; text that only looks like one stays as it is."""
    index = int(match.group(1))
    return formulas[index] if index < len(formulas) else match.group(0)


def _safe_url_attr(match: re.Match[str]) -> str:
    """Keep a link or image URL only when it is relative or http(s)/mailto.

    The attribute is judged as the browser reads it: entities decoded (``java&#115;cript:``),
    whitespace and control characters dropped (``java\tscript:``).
    """
    name, value = match.group("name"), match.group("value")
    seen = re.sub(r"[\x00-\x20\x7f]", "", unescape(value))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", seen)
    if scheme is not None and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return f'{name}="#"'
    if scheme is None and ":" in seen.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return f'{name}="#"'  # something a browser might still read as a scheme
    return match.group(0)


def render_inline(source: str) -> str:
    """``render_prompt`` for a short text (feedback, a cell label): no surrounding ``<p>``."""
    html = render_prompt(source).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
