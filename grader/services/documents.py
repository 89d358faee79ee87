"""Written answers handed in as a document: extract, preview, keep; link to the submission made from them.

Nothing is graded here: the student sees what was found, corrects it, and submits the answers as
any other submission (``submit_answers``), naming the document so that it is stored with it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from grader.db import Session
from grader.db.models import HandedInDocument, Submission, User
from grader.db.queries import documents as qd
from grader.services.catalog import assignment_definition, assignment_for
from grader.services.errors import InvalidRequest, NotFound, TooLarge
from grader.services.validation import render

MAX_FILENAME = 255


def read_document_answers(session: Session, user: User, assignment_key: str, *, data: bytes,
                          filename: str = "", max_bytes: int) -> dict[str, Any]:
    """The answers found in ``data``, each with where it was found and a preview; the document is kept."""
    from grader.assignments.documents import DocumentError, extract_answers

    assignment, version, _role = assignment_for(session, user, assignment_key)
    if len(data) > max_bytes:
        raise TooLarge(f"the document is {len(data):,} bytes; the limit is {max_bytes:,} bytes")
    definition = assignment_definition(version)
    try:
        found = extract_answers(definition, data, max_bytes=max_bytes)
    except DocumentError as exc:
        raise InvalidRequest(f"cannot read this document: {exc}") from None
    document = HandedInDocument(user_id=user.id, assignment_id=assignment.id, filename=filename[:MAX_FILENAME],
                                content=data.decode("utf-8-sig"), sha256=hashlib.sha256(data).hexdigest())
    session.add(document)
    session.flush()
    questions = []
    for q in definition.questions:
        hit = next((f for f in found.found if f.question_id == q.id), None)
        item: dict[str, Any] = {"id": q.id, "type": q.type_name, "found": hit is not None}
        if hit is None:
            item["reason"] = found.missing.get(q.id, "")
        else:
            item.update(answer=hit.answer, **hit.location_json())
            if isinstance(hit.answer, str) and q.type_name != "free_text":
                item["preview"] = _preview(q, hit.answer)
        questions.append(item)
    return {"document_id": document.id, "answers": found.answers, "questions": questions,
            "missing": dict(found.missing), "notes": list(found.notes)}


def _preview(question: Any, answer: str) -> dict[str, Any]:
    """What the parser reads in an extracted answer, or where it stops (as the live preview shows)."""
    from grader.assignments.keys import names_for
    from grader.engine.errors import ParseError
    from grader.engine.parsing import parse

    try:
        parsed = parse(answer, names=names_for(question.context, getattr(question, "inputs", ())))
    except ParseError as exc:
        return {"ok": False, "error": exc.message, "column": exc.column}
    return {"ok": True, "syntax": parsed.syntax, **render(parsed.expr)}


def document_to_attach(session: Session, user: User, document_id: Any, assignment_key: str) -> HandedInDocument:
    """The user's unused document for this assignment (checked before the submission is stored)."""
    if isinstance(document_id, bool) or not isinstance(document_id, int):
        raise InvalidRequest('"document_id" must be an integer')
    document = qd.document_by_id(session, document_id)
    if document is None or document.user_id != user.id:
        raise NotFound(f"document {document_id} not found")
    assignment, _version, _role = assignment_for(session, user, assignment_key)
    if document.assignment_id != assignment.id:
        raise InvalidRequest(f"document {document_id} was handed in for another assignment")
    if document.submission_id is not None:
        raise InvalidRequest(f"document {document_id} is already stored with submission {document.submission_id}")
    return document


def document_of(session: Session, submission: Submission) -> HandedInDocument | None:
    """The document a submission was made from, if any."""
    return qd.document_for_submission(session, submission.id)
