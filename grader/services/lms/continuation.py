"""Continuation links: the last fallback of a launch in a browser that keeps no cookie in the LMS
iframe (no third-party cookie, no partitioned one either).

A finished launch issues a token bound to its user and landing page and sends the iframe to a
check URL carrying it. If the session cookie came back with the check, the token is spent and the
browser goes on to the landing page. If not, the page offers a button that opens the continuation
URL in a new window: a first-party context, where the cookie sticks. That URL only asks "continue
as <user>?" (a link sent to someone else must not sign their browser in as the launch's user); the
page's form, with a nonce kept in that window's session, spends the token and logs the user in. A
token is random (only its SHA-256 is stored), single use and short-lived, so the URL never carries
a lasting credential.

The same rows also make other launch forms single use (``kind``: the context-choice page's form);
a token of one kind is unknown as another (the kind is part of the stored hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from grader.db.base import utcnow
from grader.db.models import User
from grader.db.models.lti_continuation import LtiContinuation
from grader.db.queries import lti_continuation as q
from grader.db.session import Session

USED = "This link has already been used. Go back to the LMS and open the activity again."
EXPIRED = "This link has expired. Go back to the LMS and open the activity again."
UNKNOWN = "This link is not valid. Go back to the LMS and open the activity again."
CONTINUE = "continue"  # the kind of a launch's continuation link


class ContinuationError(Exception):
    """A token that cannot be used (unknown 404, used or expired 410); the page shows the message."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Continuation:
    """A usable continuation: who launched, where they go, which LMS framed them."""

    user: User
    landing: str
    lms_name: str
    place: str = ""  # what the landing shows (an assignment, a course), for the confirmation page


def lms_name(issuer: str) -> str:
    """How the pages name an LMS: its issuer's host name (the issuer itself if it has none)."""
    return urlsplit(issuer).hostname or issuer or "the LMS"


def _digest(token: str, kind: str = CONTINUE) -> str:
    return hashlib.sha256((token if kind == CONTINUE else f"{kind}:{token}").encode()).hexdigest()


def issue(session: Session, user: User, *, landing: str, lms: str, ttl_s: int, place: str = "",
          kind: str = CONTINUE, now: datetime | None = None) -> str:
    """A new token for ``user`` going to ``landing`` (a path of this tool); the caller commits."""
    if not landing.startswith("/") or landing.startswith("//"):
        raise ValueError("a continuation lands on a path of this tool")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(LtiContinuation(token_hash=_digest(token, kind), user_id=user.id, landing=landing[:500],
                                lms_name=lms[:200], place=place[:300], created_at=now,
                                expires_at=now + timedelta(seconds=ttl_s)))
    return token


def _usable(session: Session, row: LtiContinuation | None, now: datetime) -> Continuation:
    if row is None:
        raise ContinuationError(UNKNOWN, 404)
    if row.used_at is not None:
        raise ContinuationError(USED, 410)
    if row.expires_at <= now:
        raise ContinuationError(EXPIRED, 410)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ContinuationError(UNKNOWN, 404)
    return _found(row, user)


def _found(row: LtiContinuation, user: User) -> Continuation:
    return Continuation(user=user, landing=row.landing, lms_name=row.lms_name, place=row.place or "")


def peek(session: Session, token: str, *, kind: str = CONTINUE, now: datetime | None = None) -> Continuation:
    """The continuation of ``token``, left usable; ContinuationError when it cannot be used."""
    return _usable(session, q.by_hash(session, _digest(token, kind)), now or utcnow())


def landing_of(session: Session, token: str, user: User) -> str | None:
    """The landing of ``token`` (used or expired too) if it was issued to ``user``; else None."""
    row = q.by_hash(session, _digest(token))
    return row.landing if row is not None and row.user_id == user.id else None


def redeem(session: Session, token: str, *, kind: str = CONTINUE, now: datetime | None = None) -> Continuation:
    """Spend ``token`` (once: of two concurrent requests one wins) and return its continuation;
    ContinuationError when it is unknown, used or expired. The caller commits."""
    now = now or utcnow()
    digest = _digest(token, kind)
    if not q.take(session, digest, now=now):
        _usable(session, q.by_hash(session, digest), now)  # raises: says why
        raise ContinuationError(USED, 410)  # spent between the two statements
    row = q.by_hash(session, digest)
    assert row is not None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ContinuationError(UNKNOWN, 404)
    return _found(row, user)


def delete_expired(session: Session, *, expired_before: datetime) -> int:
    """Forget continuations that expired before ``expired_before``; how many."""
    return q.delete_expired(session, expired_before=expired_before)
