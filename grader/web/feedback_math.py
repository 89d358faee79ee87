"""Feedback text with its formulas drawn as math (server-side MathML; Chromium renders it).

Feedback is plain text written by the engine, the assignment file or an instructor. What reads
as mathematics becomes MathML: a span in backticks (```1/(v_1 - v_1) + x```) is read by our
parser and drawn as typed; a subscripted name (``x_i``, ``v_{-2}``) and a derivative written
``da_i/dw`` are drawn as such. Everything else is escaped text. No Flask.

>>> html = feedback_html("At x_i=0.5 the factor `2(p_i - y_i)` is missing.")
>>> "<msub>" in html and "<math" in html and "`" not in html
True
"""

from __future__ import annotations

import re
from html import escape

from grader.web.mathml import wrap

_CODE = re.compile(r"`([^`\n]{1,400})`")
_NAME = r"[A-Za-z]+_(?:\{-?[A-Za-z0-9]+\}|[A-Za-z0-9]+)"
_DERIVATIVE = re.compile(rf"\bd({_NAME}|[A-Za-z])/d({_NAME}|[A-Za-z])\b")
_SUBSCRIPTED = re.compile(rf"(?<![\w\\]){_NAME}(?![\w(])")


def _code(src: str) -> str:
    from grader.engine.errors import EngineError
    from grader.engine.render_typed import read_typed

    try:
        return read_typed(src).mathml.replace("<math ", '<math display="inline" ', 1)
    except (EngineError, RecursionError, ValueError):
        return f"<code>{escape(src)}</code>"


def _name_ml(name: str) -> str:
    base, _, sub = name.partition("_")
    sub = sub.strip("{}")
    return f"<msub><mi>{escape(base)}</mi><mrow><mi>{escape(sub)}</mi></mrow></msub>" if not re.fullmatch(
        r"-?\d+", sub) else f"<msub><mi>{escape(base)}</mi><mrow><mn>{escape(sub)}</mn></mrow></msub>"


def _atom(name: str) -> str:
    return _name_ml(name) if "_" in name else f"<mi>{escape(name)}</mi>"


def _text(part: str) -> str:
    out, last = [], 0
    pattern = re.compile(f"{_DERIVATIVE.pattern}|{_SUBSCRIPTED.pattern}")
    for m in pattern.finditer(part):
        out.append(escape(part[last:m.start()]))
        if m.group(1) is not None:
            children = f"<mfrac><mrow><mi>d</mi>{_atom(m.group(1))}</mrow><mrow><mi>d</mi>{_atom(m.group(2))}</mrow></mfrac>"
        else:
            children = _name_ml(m.group(0))
        out.append(wrap(children, alttext=m.group(0)))
        last = m.end()
    out.append(escape(part[last:]))
    return "".join(out)


def feedback_html(text: str | None) -> str:
    """Feedback as HTML with MathML for its formulas (safe to insert: all text is escaped)."""
    if not text:
        return ""
    out, last = [], 0
    for m in _CODE.finditer(text):
        out.append(_text(text[last:m.start()]))
        out.append(_code(m.group(1)))
        last = m.end()
    out.append(_text(text[last:]))
    return "".join(out)
