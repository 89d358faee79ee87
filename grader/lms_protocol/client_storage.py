"""LTI Client Side postMessage storage (1EdTech "LTI Client Side postMessages", ``lti.put_data`` /
``lti.get_data``): the server's half.

A platform that offers a storage frame names it in the login initiation (``lti_storage_target``).
The tool then keeps the OIDC state and nonce in that frame instead of a cookie: the login page
(``grader/web/static/lti_storage.js``) puts them there, the launch page gets them back and posts
them with the id_token. The state is signed by the tool and expires, so the launch can tell a
state it issued from a forged one without a cookie; the frame's copy binds the launch to the
browser that logged in (the job the cookie did). The storage target rides inside the signed state
because the platform sends it only with the login.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import jwt
from itsdangerous import BadSignature, TimestampSigner

SALT = "lti-client-storage-state"
SEPARATOR = "~"
TARGET_MAX = 40  # the state column holds 100 characters: 22 random + target + signature (34)
_TARGET = re.compile(r"[A-Za-z0-9_-]{1,%d}" % TARGET_MAX)
STATE_KEY_PREFIX = "state_"
NONCE_KEY_PREFIX = "nonce_"


def storage_target(raw: str | None) -> str | None:
    """The frame name from ``lti_storage_target`` (``_parent`` or a frame name); None when absent
    or not a plain name (the launch then falls back to the cookie)."""
    if not raw or not _TARGET.fullmatch(raw):
        return None
    return raw


def platform_origin(auth_login_url: str) -> str:
    """The origin the storage frame's messages must come from (and ours are addressed to): the
    platform's OIDC authorization endpoint's."""
    parts = urlsplit(auth_login_url)
    return f"{parts.scheme}://{parts.netloc}"


def _signer(secret: str) -> TimestampSigner:
    if not secret:
        raise ValueError("client storage needs the app's secret key")
    return TimestampSigner(secret, salt=SALT)


def issue_state(secret: str, target: str) -> str:
    """A new state, signed and time-stamped, carrying the storage ``target``."""
    if storage_target(target) is None:
        raise ValueError("not a storage target name")
    return _signer(secret).sign(secrets.token_urlsafe(16) + SEPARATOR + target).decode()


def target_of_state(secret: str, state: str, *, max_age_s: int) -> str | None:
    """The storage target of a state this tool signed within ``max_age_s``; None for any other
    state (a cookie login's, forged, altered or expired)."""
    if SEPARATOR not in state:
        return None
    try:
        value = _signer(secret).unsign(state, max_age=max_age_s).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return storage_target(value.partition(SEPARATOR)[2])


def state_key(state: str) -> str:
    """The storage key the state is put under."""
    return STATE_KEY_PREFIX + state


def nonce_key(nonce: str) -> str:
    """The storage key the nonce is put under."""
    return NONCE_KEY_PREFIX + nonce


def unverified_nonce(id_token: str) -> str:
    """The id_token's ``nonce`` claim, read without checking the signature: only to name the key
    the launch page asks the frame for (the launch itself verifies the token); "" if unreadable."""
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    nonce = claims.get("nonce")
    return nonce if isinstance(nonce, str) else ""

