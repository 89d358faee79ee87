"""Rotation of the key that encrypts secrets at rest (``grader admin rotate-encryption``)."""

from __future__ import annotations

from grader.db import Session
from grader.db.queries.secret_rows import reseal_all
from grader.security import secret_box


def rotate_encryption(session: Session) -> dict[str, int]:
    """Re-encrypt every stored secret with the first key of ``ENCRYPTION_KEYS``; rows per table.

    Afterwards the other keys (and the one derived from ``SECRET_KEY``) open nothing stored and
    can be dropped from the environment."""
    return reseal_all(session)


def new_encryption_key() -> str:
    """A fresh key to put first in ``ENCRYPTION_KEYS``."""
    return secret_box.new_key()
