"""Handed-in documents: by id, and the one a submission was made from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.db.models import HandedInDocument


def document_by_id(session: Session, document_id: int) -> HandedInDocument | None:
    return session.get(HandedInDocument, document_id)


def document_for_submission(session: Session, submission_id: int) -> HandedInDocument | None:
    return session.scalars(select(HandedInDocument).where(HandedInDocument.submission_id == submission_id)).first()
