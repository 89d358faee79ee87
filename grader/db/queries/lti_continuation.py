"""Queries of the LTI continuation links (``grader.services.lms.continuation``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from grader.db.models.lti_continuation import LtiContinuation


def by_hash(session: Session, token_hash: str) -> LtiContinuation | None:
    return session.scalars(select(LtiContinuation).where(LtiContinuation.token_hash == token_hash)).first()


def take(session: Session, token_hash: str, *, now: datetime) -> bool:
    """Mark an unused, unexpired continuation used; False when there is none to take (one
    statement, so of two concurrent redemptions only one succeeds)."""
    stmt = (update(LtiContinuation)
            .where(LtiContinuation.token_hash == token_hash, LtiContinuation.used_at.is_(None),
                   LtiContinuation.expires_at > now)
            .values(used_at=now).execution_options(synchronize_session=False))
    return bool(session.execute(stmt).rowcount)


def delete_expired(session: Session, *, expired_before: datetime) -> int:
    """Delete continuations that expired before ``expired_before``; how many."""
    result = session.execute(delete(LtiContinuation).where(LtiContinuation.expires_at < expired_before)
                             .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)
