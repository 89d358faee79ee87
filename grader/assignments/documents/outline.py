"""Where each question and part of a document starts: numbered questions, lettered parts.

Markdown and plain text: ``1.``, ``**2.**``, ``## Question 3``, ``Problem 4:``, ``1a)``, ``1(b)``;
parts ``a.``, ``(b)``, ``- c.``, ``**d)**``. LaTeX: ``\\section*{Question 1}``, and ``\\item`` in
nested ``enumerate`` (outer items are questions, inner items parts; ``\\item[(c)]`` names its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.assignments.documents.reading import Document


@dataclass(frozen=True)
class Marker:
    """A question (``part`` None) or a part label; content starts at (``line``, ``column``), 0-based."""

    number: str
    part: str | None
    line: int
    column: int


_LEAD = r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]*)?(?:[-*+][ \t]+)?(?:\*\*|__)?[ \t]*"
_END = r"[ \t]*(?:\*\*|__)?(?=\s|$)"
_QUESTION = re.compile(
    _LEAD + r"(?:(?:question|problem|exercise|q)[ \t]*(?P<n1>\d{1,2})(?:[ \t]*\(?(?P<p1>[a-z])\))?[.:)]?"
    r"|(?P<n2>\d{1,2})(?:[ \t]*\((?P<p2>[a-z])\)|(?P<p3>[a-z])[.:)]|[.)]))" + _END,
    re.IGNORECASE,
)
_PART = re.compile(_LEAD + r"(?:part[ \t]+)?(?:\((?P<a>[a-z])\)|(?P<b>[a-z])[.)])" + _END)
_SECTION_NUMBER = re.compile(r"\s*(?:(?:question|problem|exercise)\s*)?(\d{1,2})\s*\(?([a-z])?\)?(?:[.:)\s]|$)",
                             re.IGNORECASE)
_LATEX_TOKEN = re.compile(
    r"\\(?P<env>begin|end)\s*\{enumerate\}(?:\[[^\]]*\])?"
    r"|\\item(?:\s*\[(?P<label>[^\]]*)\])?"
    r"|\\(?:sub)*section\*?\s*\{(?P<section>[^{}]*)\}"
)


def find_markers(doc: Document) -> list[Marker]:
    """Every question and part marker, in document order."""
    return _latex_markers(doc) if doc.kind == "latex" else _text_markers(doc)


def _text_markers(doc: Document) -> list[Marker]:
    out: list[Marker] = []
    current: str | None = None
    for i, line in enumerate(doc.lines):
        if line.lstrip().startswith(("|", "$", "\\")):
            continue  # table rows and formulas never start a question
        m = _QUESTION.match(line)
        if m:
            current = m.group("n1") or m.group("n2")
            part = m.group("p1") or m.group("p2") or m.group("p3")
            out.append(Marker(current, part.lower() if part else None, i, m.end()))
            continue
        p = _PART.match(line)
        if p and current is not None:
            out.append(Marker(current, (p.group("a") or p.group("b")).lower(), i, p.end()))
    return out


def _latex_markers(doc: Document) -> list[Marker]:
    out: list[Marker] = []
    depth, counters = 0, [0, 0, 0, 0]
    number: str | None = None
    by_section = False  # questions numbered by \section: enumerate items inside are parts
    for i, line in enumerate(doc.lines):
        for m in _LATEX_TOKEN.finditer(line):
            if m.group("env") == "begin":
                depth += 1
                counters[min(depth, 3)] = 0
            elif m.group("env") == "end":
                depth = max(0, depth - 1)
            elif m.group("section") is not None:
                found = _SECTION_NUMBER.match(m.group("section"))
                if found:
                    number, by_section = found.group(1), True
                    out.append(Marker(number, found.group(2), i, m.end()))
            elif depth >= 1:
                label = (m.group("label") or "").strip().strip("().:*")
                counters[min(depth, 3)] += 1
                if depth == 1 and not by_section:
                    number = label if label.isdigit() else str(counters[1])
                    out.append(Marker(number, None, i, m.end()))
                elif number is not None:
                    auto = chr(96 + counters[min(depth, 3)])
                    part = label.lower() if len(label) == 1 and label.isalpha() else auto
                    out.append(Marker(number, part, i, m.end()))
    return out or _text_markers(doc)
