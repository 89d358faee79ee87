"""The answer preview: parse one answer without grading it and show what we read.

No attempt is counted and nothing is stored. With an assignment and question, the question's
context names are known to the parser (so ``p_i`` or a defined ``logistic`` read as intended).
"""

from __future__ import annotations

from typing import Any

from grader.db import Session
from grader.db.models import User
from grader.services.catalog import assignment_for
from grader.services.variants import student_assignment
from grader.services.errors import InvalidRequest, NotFound, TooLarge

SYNTAXES = ("auto", "text", "latex")


def _question(session: Session, user: User | None, assignment_key: str, question_id: str) -> Any:

    if user is None:
        raise NotFound(f"assignment {assignment_key!r} not found")
    assignment, version, _role = assignment_for(session, user, assignment_key)
    definition = student_assignment(session, assignment, version, user.id)   # the student's own variant
    try:
        question = definition.question(question_id)
    except KeyError:
        raise NotFound(f"question {question_id!r} not found in {assignment_key!r}") from None
    return question


def validate_answer(
    session: Session,
    user: User | None,
    *,
    answer: Any,
    syntax: Any = "auto",
    assignment_key: Any = None,
    question_id: Any = None,
    max_chars: int = 4000,
) -> dict[str, Any]:
    """``{"ok": True, "latex", "mathml", "text", "syntax", "typed_mathml", "typed_text", "symbols",
    "flags", "status"}`` or ``{"ok": False, "error", "column", "status": "error"}``."""
    if not isinstance(answer, str):
        raise InvalidRequest('"answer" must be a string')
    if len(answer) > max_chars:
        raise TooLarge(f"answer is {len(answer)} characters; the limit is {max_chars}")
    if syntax is None:
        syntax = "auto"
    if syntax not in SYNTAXES:
        raise InvalidRequest(f'"syntax" must be one of {", ".join(SYNTAXES)}')
    if (assignment_key is None) != (question_id is None):
        raise InvalidRequest('give both "assignment_id" and "question_id", or neither')
    if assignment_key is not None and not (isinstance(assignment_key, str) and isinstance(question_id, str)):
        raise InvalidRequest('"assignment_id" and "question_id" must be strings')
    if assignment_key is not None and ("\x00" in assignment_key or "\x00" in question_id):
        raise InvalidRequest('"assignment_id" and "question_id" cannot contain NUL characters')
    question = _question(session, user, assignment_key, question_id) if assignment_key is not None else None

    from grader.assignments.keys import grading_context, names_for
    from grader.engine.errors import ParseError
    from grader.engine.parsing import parse
    from grader.services.previews import preview, question_names

    names = names_for(question.context, getattr(question, "inputs", ())) if question is not None else None
    try:
        parsed = parse(answer, syntax=syntax, names=names)
        value = grading_context(question.context).substitute(parsed.expr) if question is not None else parsed.expr
        shown = preview(answer, syntax=syntax, names=names,
                        question=question_names(question, names) if question is not None else None,
                        value_symbols=[str(s) for s in getattr(value, "free_symbols", ())])
        return {"ok": True, "syntax": parsed.syntax, **render(parsed.expr), **shown}
    except ParseError as exc:
        return {"ok": False, "error": exc.message, "column": exc.column, "status": "error"}


def render(expr: Any) -> dict[str, str]:
    """LaTeX, presentation MathML (a Piecewise as cases) and plain text of a sympy expression."""
    from grader.engine.render import render as render_expr

    return render_expr(expr)
