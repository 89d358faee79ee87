"""The tool's RS256 key pair: generated once, stored in the database (so the web app that serves
the JWKS and the worker that signs client assertions share it), public half served as a JWKS.

>>> key = ToolKey.generate()
>>> jwks_document([key])["keys"][0]["kid"] == key.kid
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from grader.db.queries import lms as lms_queries
from grader.db.session import Session


@dataclass(frozen=True)
class ToolKey:
    """A private RSA key and its key id (the SHA-256 thumbprint of the public JWK)."""

    kid: str
    private_pem: str

    @classmethod
    def generate(cls) -> "ToolKey":
        """A new 2048-bit key."""
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")
        return cls(kid=_thumbprint(pem), private_pem=pem)

    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK with ``kid``, ``alg`` and ``use``."""
        private = serialization.load_pem_private_key(self.private_pem.encode("ascii"), password=None)
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)  # type: ignore[arg-type]
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return jwk

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact RS256 JWT of ``claims`` with this key's ``kid`` in the header."""
        return jwt.encode(claims, self.private_pem, algorithm="RS256", headers={"kid": self.kid})


def _thumbprint(private_pem: str) -> str:
    private = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)  # type: ignore[arg-type]
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:32]


def jwks_document(keys: list[ToolKey]) -> dict[str, Any]:
    """``{"keys": [...]}`` for the given keys."""
    return {"keys": [k.public_jwk() for k in keys]}


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
