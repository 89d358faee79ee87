"""Standard Webhooks signatures: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``.

The signed content is ``f"{id}.{timestamp}.{body}"``; the signature header holds one or more
space-separated ``v1,<base64 HMAC-SHA256>`` entries (several during a secret rotation). Secrets are
``whsec_<base64 bytes>``.

>>> secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
>>> headers = sign_headers(secret, "msg_1", b'{"a":1}', timestamp=1_700_000_000)
>>> verify(secret, headers, b'{"a":1}', now=1_700_000_010)
'msg_1'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _secrets
import time
from typing import Iterable, Mapping

SECRET_PREFIX = "whsec_"
TOLERANCE_S = 5 * 60
HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


class SignatureError(Exception):
    """A webhook whose signature is missing, malformed, wrong or outside the time tolerance."""


def generate_secret(nbytes: int = 32) -> str:
    """A new random secret in the ``whsec_<base64>`` form."""
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(nbytes)).decode("ascii")


def secret_bytes(secret: str) -> bytes:
    """The key bytes of a ``whsec_`` secret (a secret without the prefix is base64 as well)."""
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret must be whsec_ followed by base64") from exc
    if len(key) < 16:
        raise ValueError("a webhook secret must hold at least 16 bytes")
    return key


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one message."""
    signed = msg_id.encode("utf-8") + b"." + str(int(timestamp)).encode("ascii") + b"." + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def sign_headers(
    secrets: str | Iterable[str], msg_id: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers for sending ``body``; several secrets give several signatures."""
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(stamp),
        HEADER_SIGNATURE: " ".join(signature(k, msg_id, stamp, body) for k in keys),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise SignatureError(f"missing {name} header")


def verify(
    secrets: str | Iterable[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance_s: int = TOLERANCE_S,
) -> str:
    """Check a received webhook against any of ``secrets``; return its ``webhook-id``.

    Raises SignatureError when a header is missing, the timestamp is more than ``tolerance_s``
    away from ``now`` (either way), or no ``v1`` signature matches (compared in constant time).
    """
    msg_id = _header(headers, HEADER_ID).strip()
    stamp_text = _header(headers, HEADER_TIMESTAMP).strip()
    received = _header(headers, HEADER_SIGNATURE).split()
    if not msg_id or not received:
        raise SignatureError("empty webhook-id or webhook-signature")
    try:
        stamp = int(stamp_text)
    except ValueError as exc:
        raise SignatureError("webhook-timestamp is not an integer") from exc
    current = time.time() if now is None else now
    if abs(current - stamp) > tolerance_s:
        raise SignatureError("webhook-timestamp outside the tolerance")
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    candidates = [item.split(",", 1)[1] for item in received if item.startswith("v1,")]
    matched = False
    for key in keys:
        expected = signature(key, msg_id, stamp, body).split(",", 1)[1].encode("ascii")
        for candidate in candidates:
            # compare every pair (no early exit) so timing does not tell which one matched
            matched |= hmac.compare_digest(expected, candidate.encode("ascii", "replace"))
    if not matched:
        raise SignatureError("no matching signature")
    return msg_id
