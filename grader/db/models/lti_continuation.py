"""One-time links that carry a finished LTI launch from the LMS iframe to a new window, for
browsers that keep no cookie in the iframe (``grader.services.lms.continuation``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grader.db.base import Base, utcnow


class LtiContinuation(Base):
    """A launch's continuation: who launched, where they were going; single use and short-lived.
    Only the token's SHA-256 is kept, so a copy of the table logs nobody in."""

    __tablename__ = "lti_continuation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    landing: Mapped[str] = mapped_column(String(500))  # a path of this tool
    lms_name: Mapped[str] = mapped_column(String(200))  # how the pages name the LMS
    place: Mapped[str] = mapped_column(String(300), default="", server_default="")  # e.g. "hw1 in Calculus"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
