"""Line items the tool deleted in an LMS gradebook through AGS (``grader.services.lms.lineitems``):
launch links may still name them, but no score is posted to them again and the passback page
says why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grader.db.base import Base, utcnow


class LtiDeletedLineItem(Base):
    """One deleted line item of a platform (its URL, and its label when it was deleted)."""

    __tablename__ = "lti_deleted_lineitem"
    __table_args__ = (UniqueConstraint("platform_id", "lineitem_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    lineitem_url: Mapped[str] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(300), default="")
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["LtiDeletedLineItem"]
