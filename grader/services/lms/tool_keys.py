"""The tool's RS256 key pair: generated once, stored in the database (so the web app that serves
the JWKS and the worker that signs client assertions share it), public half served as a JWKS.
The key itself (``ToolKey``) is protocol code in ``grader.lms_protocol.jwks``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from grader.db.base import utcnow
from grader.db.queries import lms as lms_queries
from grader.db.session import Session
from grader.lms_protocol.jwks import ToolKey, jwks_document

__all__ = ["ToolKey", "current_key", "jwks_document", "public_jwks", "rotate"]
MAX_OVERLAP = timedelta(days=30)


def current_key(session: Session) -> ToolKey:
    """The signing key: the newest published key that is not retiring, generated and stored on
    first use.

    The new key is committed at once, on its own (a platform may fetch our JWKS before the
    caller's transaction ends). Two processes generating at once both store a key; both are
    published in the JWKS, so every signature verifies either way.
    """
    rows = [r for r in lms_queries.active_tool_keys(session) if r.retire_at is None]
    if rows:
        return ToolKey(kid=rows[-1].kid, private_pem=rows[-1].private_key_pem)
    key = ToolKey.generate()
    lms_queries.add_tool_key(session, kid=key.kid, private_key_pem=key.private_pem)
    return key


def public_jwks(session: Session, *, now: datetime | None = None) -> dict[str, Any]:
    """The JWKS served at ``/lti/jwks.json``: every published key (one is created if none), so
    signatures of the old key still verify during a rotation's overlap."""
    current_key(session)
    keys = [ToolKey(kid=r.kid, private_pem=r.private_key_pem) for r in lms_queries.active_tool_keys(session, now=now)]
    return jwks_document(keys)


def rotate(session: Session, *, overlap: timedelta) -> tuple[str, datetime]:
    """A new signing key; the others stay in the JWKS for ``overlap`` (platforms cache JWKS), then
    drop out. Returns (the new kid, when the old keys retire)."""
    if not timedelta(0) <= overlap <= MAX_OVERLAP:
        raise ValueError(f"the overlap must be between 0 and {MAX_OVERLAP.days} days")
    until = utcnow() + overlap
    for row in lms_queries.active_tool_keys(session):
        if row.retire_at is None or row.retire_at > until:
            row.retire_at = until
    session.flush()
    key = ToolKey.generate()
    lms_queries.add_tool_key(session, kid=key.kid, private_key_pem=key.private_pem)
    return key.kid, until
