"""Launches whose state and nonce live in the platform's storage frame (LTI Client Side
postMessage storage, ``grader.lms_protocol.client_storage``) rather than in a cookie."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from grader.db.base import utcnow
from grader.db.models.lms import LtiPlatform
from grader.db.queries import lms as q
from grader.db.session import Session
from grader.lms_protocol import client_storage as cs
from grader.services.lms.launch import STATE_TTL, LaunchError

STATE_MAX_AGE_S = int(STATE_TTL.total_seconds())


@dataclass(frozen=True)
class StoragePage:
    """What the login or launch page's script needs: where the frame is, what to put or get."""

    target: str  # the frame: "_parent" or a frame name in the platform's window
    origin: str  # the platform's origin (messages go only there and are taken only from there)
    state_key: str
    nonce_key: str
    state: str
    nonce: str  # at login the value to put; at launch the id_token's (names the key only)


def storage_state(secret: str, raw_target: str | None) -> str | None:
    """A signed state for a login that asked for the storage frame; None for a cookie login."""
    target = cs.storage_target(raw_target)
    return cs.issue_state(secret, target) if target else None


def page(session: Session, secret: str, state: str, *, id_token: str | None = None) -> StoragePage | None:
    """The page data for a pending storage login (``id_token`` given: for its launch); None when
    ``state`` is not a storage state this tool signed, or is used or expired."""
    target = cs.target_of_state(secret, state, max_age_s=STATE_MAX_AGE_S)
    if target is None:
        return None
    row = q.launch_state(session, state, now=utcnow())
    if row is None:
        return None
    platform = session.get(LtiPlatform, row.platform_id)
    assert platform is not None
    nonce = row.nonce if id_token is None else cs.unverified_nonce(id_token)
    return StoragePage(target=target, origin=cs.platform_origin(platform.auth_login_url),
                       state_key=cs.state_key(state), nonce_key=cs.nonce_key(nonce), state=state, nonce=nonce)


def check_frame_state(secret: str, state: str, frame_state: str) -> None:
    """LaunchError unless ``state`` is a storage state this tool signed (unexpired) and the frame
    gave it back; the nonce is checked by the launch against the stored one."""
    if cs.target_of_state(secret, state, max_age_s=STATE_MAX_AGE_S) is None:
        raise LaunchError("this launch's state was not issued by this tool, or it has expired")
    if not frame_state or not secrets.compare_digest(state, frame_state):
        raise LaunchError("the state kept by the LMS page does not match this launch")
