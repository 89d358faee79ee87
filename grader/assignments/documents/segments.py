"""The text under each label: from a marker to the next one, with a map back to lines and columns."""

from __future__ import annotations

from dataclasses import dataclass

from grader.assignments.documents.outline import Marker
from grader.assignments.documents.reading import Document


@dataclass(frozen=True)
class Segment:
    """A stretch of the document as one string; ``where(offset)`` gives its 1-based line and column."""

    text: str
    starts: tuple[tuple[int, int, int], ...]  # (offset in text, 0-based line, column of that offset)
    line_offset: int = 0

    def where(self, offset: int) -> tuple[int, int]:
        best = self.starts[0]
        for start in self.starts:
            if start[0] > offset:
                break
            best = start
        return best[1] + 1 + self.line_offset, best[2] + (offset - best[0]) + 1

    def slice(self, start: int, end: int) -> "Segment":
        """The part of this segment between two offsets, keeping the map."""
        starts = [(0, *self._line_col(start))]
        starts += [(o - start, ln, col) for (o, ln, col) in self.starts if start < o < end]
        return Segment(self.text[start:end], tuple(starts), self.line_offset)

    def _line_col(self, offset: int) -> tuple[int, int]:
        line, col = self.where(offset)
        return line - 1 - self.line_offset, col - 1


def segment(doc: Document, first: tuple[int, int], end_line: int) -> Segment:
    """Lines from ``first`` (line, column) up to (not including) ``end_line``."""
    line, col = first
    parts, starts, offset = [], [], 0
    for i in range(line, end_line):
        text = doc.lines[i][col:] if i == line else doc.lines[i]
        starts.append((offset, i, col if i == line else 0))
        parts.append(text)
        offset += len(text) + 1
    return Segment("\n".join(parts), tuple(starts) or ((0, line, col),), doc.line_offset)


@dataclass(frozen=True)
class Outline:
    """Segments by label: ``parts[(number, letter)]`` and ``questions[number]`` (the whole question)."""

    parts: dict[tuple[str, str | None], list[Segment]]
    questions: dict[str, list[Segment]]
    order: tuple[tuple[str, str | None], ...]


def outline(doc: Document, markers: list[Marker]) -> Outline:
    """Cut the document at its markers."""
    parts: dict[tuple[str, str | None], list[Segment]] = {}
    questions: dict[str, list[Segment]] = {}
    n = len(doc.lines)
    for k, m in enumerate(markers):
        nxt = markers[k + 1].line if k + 1 < len(markers) else n
        end = nxt if nxt > m.line else m.line + 1
        parts.setdefault((m.number, m.part), []).append(segment(doc, (m.line, m.column), end))
        if m.part is None or not any(q.number == m.number for q in markers[:k]):
            q_end = next((q.line for q in markers[k + 1:] if q.number != m.number), n)
            questions.setdefault(m.number, []).append(segment(doc, (m.line, m.column), max(q_end, m.line + 1)))
    return Outline(parts, questions, tuple((m.number, m.part) for m in markers))
