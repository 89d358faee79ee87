"""Formulas in a segment: ``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]`` and display environments.

A display ``align*`` whose rows continue with ``&=`` is one derivation chain; other multi-row
environments become ``aligned`` (update rules), which the answer parser reads as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(
    r"(?<!\\)(?P<dd>\$\$)|(?<!\\)(?P<d>\$)|(?P<p>\\\()|(?P<b>\\\[)"
    r"|\\begin\s*\{(?P<env>align\*?|equation\*?|gather\*?|multline\*?|eqnarray\*?|displaymath|math)\}"
)
_CLOSE = {"dd": re.compile(r"(?<!\\)\$\$"), "d": re.compile(r"(?<!\\)\$"), "p": re.compile(r"\\\)"),
          "b": re.compile(r"\\\]")}


@dataclass(frozen=True)
class Formula:
    """One formula: its LaTeX (delimiters removed), where it sits, and whether it is displayed."""

    latex: str
    start: int  # offset of the opening delimiter in the segment text
    end: int  # offset just past the closing delimiter
    display: bool


def formulas(text: str) -> list[Formula]:
    """Every formula of ``text`` in order; an unclosed delimiter ends the scan (its rest is prose)."""
    out: list[Formula] = []
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        kind = m.lastgroup or "d"
        if kind == "env":
            env = m.group("env")
            close = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")
        else:
            close = _CLOSE[kind]
        c = close.search(text, m.end())
        if c is None:
            break
        body = text[m.end():c.start()]
        if kind == "env":
            body = environment_body(body)
        out.append(Formula(body.strip(), m.start(), c.end(), kind != "d" and kind != "p"))
        pos = c.end()
    return out


def environment_body(body: str) -> str:
    """An ``align*`` body as one chain (``A &= B \\\\ &= C`` -> ``A = B = C``), else ``aligned``."""
    body = re.sub(r"\\(?:label|tag|nonumber|notag)\s*(?:\{[^{}]*\})?", "", body)
    rows = [r.strip() for r in split_rows(body) if r.strip()]
    if len(rows) <= 1:
        return _drop_alignment(body)
    if all(re.match(r"&?\s*=", r) for r in rows[1:]):
        return " ".join(_drop_alignment(r) for r in rows)
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


def prose(text: str, found: list[Formula]) -> str:
    """The text around the formulas, formulas replaced by a space."""
    out, pos = [], 0
    for f in found:
        out.append(text[pos:f.start])
        out.append(" ")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def _depths(body: str) -> list[int]:
    """Nesting depth (braces and environments) at each character of ``body``."""
    out, depth, i = [], 0, 0
    while i < len(body):
        if body.startswith("\\begin", i) or body[i] == "{":
            depth += 1
        elif body.startswith("\\end", i) or body[i] == "}":
            depth -= 1
        out.append(depth)
        i += 1
    return out


def _drop_alignment(row: str) -> str:
    """The ``&`` alignment marks of the environment itself (a nested ``cases`` keeps its own)."""
    depths = _depths(row)
    return "".join(ch for ch, d in zip(row, depths) if not (ch == "&" and d == 0))


def split_rows(body: str) -> list[str]:
    """Rows of an environment at its own level: a ``\\\\`` inside a nested ``cases`` stays put."""
    depths = _depths(body)
    rows, start, i = [], 0, 0
    while i < len(body):
        if body.startswith("\\\\", i) and depths[i] == 0:
            rows.append(body[start:i])
            i += 2
            if i < len(body) and body[i] == "[":  # \\[2pt]
                close = body.find("]", i)
                i = close + 1 if close > 0 else i
            start = i
            continue
        i += 1
    rows.append(body[start:])
    return rows
