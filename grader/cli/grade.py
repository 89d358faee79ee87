"""``grader grade ASSIGNMENT SUBMISSION.json [--json]``: grade a whole submission.

SUBMISSION is ``{"answers": {"1a": "...", ...}}``. Problems with either file end in a message on
stderr and exit status 2 (never a traceback); grading itself is ``grade_submission``.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", metavar="ASSIGNMENT", help="assignment file (YAML)")
    parser.add_argument("submission", metavar="SUBMISSION.json", help='{"answers": {"1a": "...", ...}}')
    parser.add_argument("--json", action="store_true", help="print the grade as JSON")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random points (default 0)")
    parser.add_argument("--variant", metavar="JSON", default=None,
                        help='a parameterised file at these values, e.g. \'{"parameters": {"x0": 0.3}}\' '
                             "(the rest as the file's own draw)")


def read_submission(path: str) -> dict[str, Any]:
    """The answers of a submission file (ValueError with a readable message)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f'{path}: expected {{"answers": {{"<question id>": <answer>, ...}}}}')
    return data["answers"]


def at_variant(assignment: Any, text: str | None) -> Any:
    """The assignment at the ``--variant`` values (ValueError with a readable message)."""
    if text is None:
        return assignment
    from grader.assignments.variants.instantiate import instantiate
    from grader.assignments.variants.override import complete
    from grader.assignments.variants.parameters import ParameterError

    if assignment.variants is None:
        raise ValueError(f"{assignment.source}: --variant: the assignment has no parameters")
    try:
        return instantiate(assignment, complete(assignment.variants, json.loads(text), assignment.variant))
    except json.JSONDecodeError as exc:
        raise ValueError(f"--variant: not valid JSON: {exc.msg}") from None
    except ParameterError as exc:
        raise ValueError(f"--variant: {exc.field}: {exc.message}") from None


def run(args: argparse.Namespace) -> int:
    from grader.assignments import AssignmentError, SubmissionError, grade_submission, load_assignment

    try:
        assignment = at_variant(load_assignment(args.assignment), args.variant)
        answers = read_submission(args.submission)
        grade = grade_submission(assignment, answers, seed=args.seed)
    except (AssignmentError, SubmissionError, ValueError) as exc:
        msg = str(exc)
        if isinstance(exc, SubmissionError):
            msg = f"{args.submission}: {msg}"
        print(f"grader grade: {msg}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(grade.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"{assignment.title} ({assignment.id})")
    width = max(len(q.question_id) for q in grade.questions)
    for q in grade.questions:
        j = q.to_json()
        print(f"{q.question_id:<{width}}  {q.verdict.value:<12}  {j['points']:>6} / {j['max_points']:<5}  {q.method}")
        if q.feedback:
            for line in textwrap.wrap(q.feedback, 96, break_on_hyphens=False, break_long_words=False):
                print(" " * (width + 4) + line)
    j = grade.to_json()
    pending = " (some answers wait for an instructor)" if grade.needs_review else ""
    print(f"Total: {j['total']} / {j['max_total']}{pending}")
    return 0
