"""``extract_answers``: a handed-in document to one answer per question, each located and rated.

Questions are found by the assignment's own labels (``1a`` -> question 1, part a; ``3-forward`` ->
question 3). An answer that cannot be located is reported missing with the reason, never guessed;
two answers under one label are reported, and neither is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grader.assignments.documents.ad_tables import adjoints, forward_rows
from grader.assignments.documents.answers import Choice, math_answer, part_prompt, prose_answer
from grader.assignments.documents.errors import DocumentError
from grader.assignments.documents.outline import find_markers
from grader.assignments.documents.reading import MAX_DOCUMENT_BYTES, read_document
from grader.assignments.documents.segments import Outline, Segment, outline
from grader.assignments.model import AdTableQuestion, AssignmentSpec, FreeTextQuestion, PiecewiseQuestion, Question

_ID = re.compile(r"^(?:q(?:uestion)?)?(\d{1,2})([a-z])?(?:[-_.].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundAnswer:
    """One extracted answer: the value a submission takes, where it was found, and how sure we are."""

    question_id: str
    answer: Any
    line: int
    column: int
    confidence: float
    how: str

    def location_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "confidence": self.confidence, "how": self.how}


@dataclass(frozen=True)
class Extraction:
    """Every question's outcome: found answers, missing ones (with why), and notes on the document."""

    found: tuple[FoundAnswer, ...]
    missing: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def answers(self) -> dict[str, Any]:
        return {f.question_id: f.answer for f in self.found}

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_json(self) -> dict[str, Any]:
        """``answers`` is a submission ``grader grade`` takes as it is; the rest says where and why."""
        return {
            "answers": self.answers,
            "locations": {f.question_id: f.location_json() for f in self.found},
            "missing": dict(self.missing),
            "notes": list(self.notes),
        }


def label_of(question_id: str) -> tuple[str, str | None] | None:
    """``1a`` -> ("1", "a"); ``1f-why`` -> ("1", "f"); ``3-forward`` -> ("3", None); else None."""
    m = _ID.match(question_id.strip())
    return (str(int(m.group(1))), m.group(2).lower() if m.group(2) else None) if m else None


def extract_answers(assignment: AssignmentSpec, data: bytes | str, *,
                    max_bytes: int = MAX_DOCUMENT_BYTES) -> Extraction:
    """Find each question's answer in ``data`` (``DocumentError`` when it is no answer document)."""
    doc = read_document(data, max_bytes=max_bytes)
    markers = find_markers(doc)
    if not markers:
        raise DocumentError("no numbered questions found: label your answers as the assignment does "
                            "(1., a., b., ... or 1a)); see the guide for writing a document")
    cut = outline(doc, markers)
    notes = list(doc.notes)
    numbers = [m.number for m in markers if m.part is None]
    if numbers != sorted(numbers, key=int):
        notes.append("questions appear out of order; each answer was found by its label")
    found: list[FoundAnswer] = []
    missing: dict[str, str] = {}
    ends: dict[tuple[str, str | None], int] = {}
    for q in _math_first(assignment.questions):
        label = label_of(q.id)
        outcome = _extract_one(q, label, cut, assignment, ends) if label else "the question id has no number to look for"
        if isinstance(outcome, str):
            missing[q.id] = outcome
        else:
            found.append(outcome)
    if not found:
        raise DocumentError("none of the assignment's questions was found in this document: "
                            + "; ".join(f"{k}: {v}" for k, v in list(missing.items())[:3]))
    order = {q.id: i for i, q in enumerate(assignment.questions)}
    found.sort(key=lambda f: order[f.question_id])
    return Extraction(tuple(found), {k: missing[k] for k in sorted(missing, key=order.__getitem__)}, tuple(notes))


def _math_first(questions: tuple[Question, ...]) -> list[Question]:
    """Free text after the formulas that share its label (it takes the prose that follows them)."""
    return sorted(questions, key=lambda q: isinstance(q, FreeTextQuestion))


def _segments(cut: Outline, label: tuple[str, str | None], whole: bool) -> list[Segment] | str:
    number, part = label
    segs = cut.questions.get(number, []) if whole or part is None else cut.parts.get(label, [])
    name = f"{number}{part or ''}"
    if not segs:
        return f"no label {name} found in the document"
    if len(segs) > 1:
        lines = ", ".join(str(s.where(0)[0]) for s in segs)
        return f"{name} is answered {len(segs)} times (lines {lines}): keep one answer"
    return segs


def _extract_one(q: Question, label: tuple[str, str | None], cut: Outline, assignment: AssignmentSpec,
                 ends: dict[tuple[str, str | None], int]) -> FoundAnswer | str:
    segs = _segments(cut, label, whole=isinstance(q, AdTableQuestion))
    if isinstance(segs, str):
        return segs
    seg = segs[0]
    if isinstance(q, AdTableQuestion):
        return _ad_answer(q, seg)
    if isinstance(q, FreeTextQuestion):
        siblings = [p.prompt for p in assignment.questions if label_of(p.id) == label]
        choice = prose_answer(seg, siblings, ends.get(label, 0))
    else:
        choice = math_answer(seg, part_prompt(q.prompt), piecewise=isinstance(q, PiecewiseQuestion))
        if isinstance(choice, Choice):
            ends[label] = choice.end
    if isinstance(choice, str):
        return choice
    line, column = seg.where(choice.start)
    return FoundAnswer(q.id, choice.text, line, column, choice.confidence, choice.how)


def _ad_answer(q: AdTableQuestion, seg: Segment) -> FoundAnswer | str:
    if q.part == "adjoint":
        values, offset = adjoints(seg.text)
        if not values:
            return "no adjoints found (lines like \\bar{v}_1 = ... = -16)"
        line, column = seg.where(offset or 0)
        return FoundAnswer(q.id, values, line, column, 0.9, f"{len(values)} adjoint lines")
    rows, offset = forward_rows(seg.text)
    if len(rows) < 2:
        return "no forward table found (rows like | v_1 | = v_{-2} v_{-1} | = 0.15 |)"
    line, column = seg.where(offset or 0)
    return FoundAnswer(q.id, rows, line, column, 0.9, f"a table of {len(rows)} rows")
