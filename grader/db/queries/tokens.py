"""API tokens of a user: listing and revoking (the hash never leaves the database layer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.db.models import ApiToken


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """Every token of the user, newest first (revoked and expired ones included)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
