"""AD tables in a document: forward rows (``v_1 | = v_{-2}v_{-1} | = 0.15``) and adjoints
(``\\bar{v}_{-2} = ... = -7``), from Markdown tables, LaTeX ``tabular``/``array`` rows, or lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from grader.assignments.documents.formulas import formulas

_ROW_NAME = re.compile(r"^(?:v_\{?\s*-?\d+\s*\}?|v_?-?\d+|y|f|z|l|L)$")
_ADJOINT = re.compile(r"^\s*(?P<name>\\(?:bar|overline)\s*\{?\s*(?:v|y)\s*\}?(?:_\{?\s*-?\d+\s*\}?)?|\\bar\s*v_\{?-?\d+\}?)\s*=")
_TEXT_ADJOINT = re.compile(r"^\s*(?:vbar|v̄|bar\s*v|adj\s*v)_?\{?(?P<k>-?\d+)\}?\s*=", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+−]?\s*(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_SEPARATOR = re.compile(r"^(?:\s*:?-{2,}:?\s*|\s*<hr\s*/?>\s*|\s*\\hline\s*|\s*)$")


@dataclass(frozen=True)
class Cells:
    """One table row or formula line, split into cells, and its offset in the segment text."""

    cells: tuple[str, ...]
    offset: int


def _strip_math(cell: str) -> str:
    cell = cell.strip()
    inner = formulas(cell)
    if len(inner) == 1 and inner[0].start == 0 and inner[0].end == len(cell):
        cell = inner[0].latex
    return cell.strip()


def _split_pipes(line: str) -> list[str]:
    """Cells of a Markdown table row; a ``|`` inside ``$...$`` is an absolute value, not a border."""
    cells, cur, in_math = [], [], False
    for i, ch in enumerate(line):
        if ch == "$" and (i == 0 or line[i - 1] != "\\"):
            in_math = not in_math
        if ch == "|" and not in_math:
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    cells.append("".join(cur))
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def table_rows(text: str) -> list[Cells]:
    """Rows of every table in ``text``: Markdown pipes, or ``&``-separated LaTeX rows."""
    out: list[Cells] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [_strip_math(c) for c in _split_pipes(stripped)]
            if not all(_SEPARATOR.match(c) for c in cells):
                out.append(Cells(tuple(cells), offset + line.find("|")))
        elif "&" in stripped and not stripped.startswith("%"):
            for row in re.split(r"\\\\", stripped):
                cells = [_strip_math(c) for c in row.split("&")]
                if len(cells) >= 2 and not all(_SEPARATOR.match(c) for c in cells):
                    out.append(Cells(tuple(cells), offset + max(0, line.find(row.strip()[:1] or " "))))
        offset += len(line) + 1
    return out


def _members(chain: str) -> list[str]:
    """``A = B = C`` -> [A, B, C] at bracket depth 0."""
    out, depth, cur = [], 0, []
    for ch in chain:
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(ch, 0)
        if ch == "=" and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return out


def number_or_text(text: str) -> Any:
    """``0.15`` -> 0.15, ``4`` -> 4, anything else stays text (the grader reads it)."""
    t = text.strip().rstrip(".,;").replace("−", "-").replace(" ", "")
    if _NUMBER.match(t):
        value = float(t)
        return int(value) if value.is_integer() and "." not in t and "e" not in t.lower() else value
    return text.strip()


def forward_rows(text: str) -> tuple[list[dict[str, Any]], int | None]:
    """Rows ``{"name", "expr", "value"}`` of the forward trace, and the offset of the first one."""
    rows: list[dict[str, Any]] = []
    first = None
    for row in table_rows(text) + _formula_lines(text):
        cells = [c for c in row.cells if c.strip()]
        if len(cells) < 2 or not _ROW_NAME.match(cells[0].replace(" ", "")):
            continue
        members = [m for c in cells[1:] for m in _members(c.lstrip("=").strip() if c.lstrip().startswith("=") else c)]
        members = [m for m in members if m]
        if not members:
            continue
        expr, value = members[0], (members[-1] if len(members) > 1 else None)
        entry: dict[str, Any] = {"name": cells[0].replace(" ", ""), "expr": expr}
        if value is not None:
            entry["value"] = number_or_text(value)
        if any(r["name"] == entry["name"] for r in rows):
            continue  # the same row written twice (a table and a line): the first one counts
        rows.append(entry)
        first = row.offset if first is None else first
    return rows, first


def _chains(text: str) -> list[tuple[str, int]]:
    """Formulas, or in a text without any, its lines: each with its offset."""
    found = [(f.latex, f.start) for f in formulas(text)]
    if found:
        return found
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((line.strip(), offset + len(line) - len(line.lstrip())))
        offset += len(line) + 1
    return out


def _formula_lines(text: str) -> list[Cells]:
    """``v_1 = v_{-2}v_{-1} = 0.15`` written as a formula (or plain line) of its own, not in a table."""
    out = []
    for latex, start in _chains(text):
        members = _members(latex)
        name = members[0].replace(" ", "")
        # `y = x + 1/(wx + b)` states the function; a row is `v_k = ...` or carries its value
        if _ROW_NAME.match(name) and (len(members) >= 3 or name.startswith("v")):
            out.append(Cells((members[0], " = ".join(members[1:])), start))
    return out


def adjoints(text: str) -> tuple[dict[str, Any], int | None]:
    """Adjoints by name as written (``\\bar{v}_{-2}``) with the last member of each line as value."""
    out: dict[str, Any] = {}
    first = None
    sources = _chains(text)
    for r in table_rows(text):
        cells = [c for c in r.cells if c.strip()]
        sources += [(c, r.offset) for c in cells]
        if len(cells) >= 2:  # | \bar{v}_4 | 1 |  and  \bar{v}_4 &= 1 \\
            rest = " ".join(cells[1:])
            sources.append((f"{cells[0]} {rest}" if rest.startswith("=") else f"{cells[0]} = {cells[-1]}", r.offset))
    for latex, offset in sources:
        m = _ADJOINT.match(latex) or _TEXT_ADJOINT.match(latex)
        if not m:
            continue
        name = _bar_name(m)
        members = _members(latex)
        if len(members) < 2 or name in out:
            continue
        out[name] = number_or_text(members[-1])
        first = offset if first is None else min(first, offset)
    return out, first


def _bar_name(m: re.Match[str]) -> str:
    """The adjoint's name as the grader reads it: ``\\bar{v}_{-2}`` (text forms like vbar_1 too)."""
    if "k" in m.groupdict() and m.group("k") is not None:
        k = m.group("k")
        return f"\\bar{{v}}_{{{k}}}" if k.startswith("-") or len(k) > 1 else f"\\bar{{v}}_{k}"
    return re.sub(r"\s+", "", m.group("name"))
