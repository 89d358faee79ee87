"""An id_token is only good for the tool it was issued to: another audience (or an azp naming
another party) is refused, checked on the token alone, without a platform or a database."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from grader.db.models.lms import LtiPlatform
from grader.services.lms.launch import CLAIM, LaunchError, validate_id_token

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
PLATFORM = LtiPlatform(issuer="https://lms.example.org", client_id="our-tool", deployment_id="dep-1",
                       public_key_pem=PUBLIC_PEM)


def _token(**changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": "https://lms.example.org", "aud": "our-tool", "sub": "u-1", "iat": now, "exp": now + 300,
              "nonce": "n-1", CLAIM + "deployment_id": "dep-1", CLAIM + "version": "1.3.0",
              CLAIM + "message_type": "LtiResourceLinkRequest", **changes}
    return jwt.encode(claims, KEY, algorithm="RS256")


def test_a_token_for_this_tool_is_accepted() -> None:
    assert validate_id_token(PLATFORM, _token(), nonce="n-1")["sub"] == "u-1"


@pytest.mark.parametrize("changes", [{"aud": "another-tool"}, {"aud": ["another-tool"]},
                                     {"aud": ["our-tool", "another-tool"]},  # several: azp required
                                     {"aud": ["our-tool", "another-tool"], "azp": "another-tool"},
                                     {"azp": "another-tool"}])
def test_a_token_for_another_audience_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(LaunchError) as info:
        validate_id_token(PLATFORM, _token(**changes), nonce="n-1")
    assert info.value.status == 401
