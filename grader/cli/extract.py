"""``grader extract ASSIGNMENT DOCUMENT [--json]``: the answers a written document holds.

Nothing is graded: the output is for the student to check. ``--json`` prints
``{"answers": {...}, "locations": {...}, "missing": {...}, "notes": [...]}``, whose ``answers``
member is a submission ``grader grade`` accepts as it is. Exit status: 0 when every question was
found, 1 when some are missing, 2 when the document or the assignment cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", metavar="ASSIGNMENT", help="assignment file (YAML)")
    parser.add_argument("document", metavar="DOCUMENT", help="the written answers (Markdown, LaTeX or plain text)")
    parser.add_argument("--json", action="store_true", help="print the answers and their locations as JSON")


def _short(answer: object, width: int = 88) -> str:
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def run(args: argparse.Namespace) -> int:
    from grader.assignments import AssignmentError, load_assignment
    from grader.assignments.documents import DocumentError, extract_answers

    try:
        assignment = load_assignment(args.assignment)
        data = Path(args.document).read_bytes()
        found = extract_answers(assignment, data)
    except OSError as exc:
        print(f"grader extract: {args.document}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (AssignmentError, DocumentError) as exc:
        print(f"grader extract: {args.document}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return 0 if found.complete else 1
    width = max(len(q.id) for q in assignment.questions)
    for q in assignment.questions:
        hit = next((f for f in found.found if f.question_id == q.id), None)
        if hit is None:
            print(f"{q.id:<{width}}  MISSING       {found.missing[q.id]}")
        else:
            print(f"{q.id:<{width}}  line {hit.line:>4}:{hit.column:<4} {hit.confidence:.2f}  {_short(hit.answer)}")
    for note in found.notes:
        print(f"note: {note}")
    return 0 if found.complete else 1
