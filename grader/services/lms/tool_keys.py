"""The tool's RS256 key pair: generated once, stored in the database (so the web app that serves
the JWKS and the worker that signs client assertions share it), public half served as a JWKS.
The key itself (``ToolKey``) is protocol code in ``grader.lms_protocol.jwks``.
"""

from __future__ import annotations

from typing import Any

from grader.db.queries import lms as lms_queries
from grader.db.session import Session
from grader.lms_protocol.jwks import ToolKey, jwks_document

__all__ = ["ToolKey", "current_key", "jwks_document", "public_jwks"]


def current_key(session: Session) -> ToolKey:
    """The signing key: the oldest active one, generated and stored on first use.

    The new key is committed at once, on its own (a platform may fetch our JWKS before the
    caller's transaction ends). Two processes generating at once both store a key; both are
    published in the JWKS, so every signature verifies either way.
    """
    rows = lms_queries.active_tool_keys(session)
    if rows:
        return ToolKey(kid=rows[0].kid, private_pem=rows[0].private_key_pem)
    key = ToolKey.generate()
    lms_queries.add_tool_key(session, kid=key.kid, private_key_pem=key.private_pem)
    return key


def public_jwks(session: Session) -> dict[str, Any]:
    """The JWKS served at ``/lti/jwks.json`` (every active key; one is created if none)."""
    current_key(session)
    keys = [ToolKey(kid=r.kid, private_pem=r.private_key_pem) for r in lms_queries.active_tool_keys(session)]
    return jwks_document(keys)
