"""The tool's RS256 signing key as protocol code: generate it, publish its public half as a JWK
(kid = the SHA-256 thumbprint), sign JWTs with it. Storage is ``grader.services.lms.tool_keys``.

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
