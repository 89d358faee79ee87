"""Checks on a platform's public key given at registration (instead of a JWKS URL): it must be
an RSA public key in PEM of at least 2048 bits, the only kind an RS256 id_token is verified with."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MIN_RSA_BITS = 2048
MAX_PEM_CHARS = 10_000


class PlatformKeyError(ValueError):
    """A public key the tool cannot verify id_tokens with (the message says why)."""


def check_public_key_pem(value: Any) -> str:
    """The PEM text when it is a usable RSA public key; PlatformKeyError saying why otherwise."""
    if not isinstance(value, str) or len(value) > MAX_PEM_CHARS:
        raise PlatformKeyError('"public_key_pem" must be a PEM text (-----BEGIN PUBLIC KEY-----...)')
    if "PRIVATE KEY" in value:
        raise PlatformKeyError('"public_key_pem" holds a private key: give the platform\'s public key only')
    try:
        key = serialization.load_pem_public_key(value.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        raise PlatformKeyError('"public_key_pem" is not a PEM public key') from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise PlatformKeyError('"public_key_pem" must be an RSA key (LTI id_tokens are signed RS256)')
    if key.key_size < MIN_RSA_BITS:
        raise PlatformKeyError(f'"public_key_pem" is a {key.key_size}-bit RSA key; at least {MIN_RSA_BITS} bits')
    return value.strip() + "\n"
