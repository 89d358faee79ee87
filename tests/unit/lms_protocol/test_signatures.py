"""Standard Webhooks signing and verification."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from grader.lms_protocol.signatures import SignatureError, generate_secret, sign_headers, signature, verify

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"submission.graded"}'
NOW = 1_700_000_000


def test_signature_is_hmac_sha256_of_id_timestamp_body_in_base64() -> None:
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    expected = base64.b64encode(hmac.new(key, b"msg_1.1700000000." + BODY, hashlib.sha256).digest()).decode()
    assert signature(SECRET, "msg_1", NOW, BODY) == "v1," + expected


def test_a_signed_message_verifies_and_gives_its_id() -> None:
    assert verify(SECRET, sign_headers(SECRET, "msg_1", BODY, timestamp=NOW), BODY, now=NOW + 5) == "msg_1"


def test_header_names_are_case_insensitive() -> None:
    headers = {k.title(): v for k, v in sign_headers(SECRET, "msg_1", BODY, timestamp=NOW).items()}
    assert verify(SECRET, headers, BODY, now=NOW) == "msg_1"


@pytest.mark.parametrize("skew", [301, -301, 3600])
def test_a_timestamp_more_than_five_minutes_away_is_refused(skew: int) -> None:
    headers = sign_headers(SECRET, "msg_1", BODY, timestamp=NOW)
    with pytest.raises(SignatureError, match="tolerance"):
        verify(SECRET, headers, BODY, now=NOW + skew)


def test_a_changed_body_is_refused() -> None:
    headers = sign_headers(SECRET, "msg_1", BODY, timestamp=NOW)
    with pytest.raises(SignatureError, match="no matching"):
        verify(SECRET, headers, BODY + b" ", now=NOW)


def test_a_changed_id_or_timestamp_is_refused() -> None:
    headers = sign_headers(SECRET, "msg_1", BODY, timestamp=NOW)
    with pytest.raises(SignatureError):
        verify(SECRET, {**headers, "webhook-id": "msg_2"}, BODY, now=NOW)
    with pytest.raises(SignatureError):
        verify(SECRET, {**headers, "webhook-timestamp": str(NOW + 1)}, BODY, now=NOW)


def test_another_secret_is_refused() -> None:
    headers = sign_headers(generate_secret(), "msg_1", BODY, timestamp=NOW)
    with pytest.raises(SignatureError):
        verify(SECRET, headers, BODY, now=NOW)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_refused(missing: str) -> None:
    headers = sign_headers(SECRET, "msg_1", BODY, timestamp=NOW)
    del headers[missing]
    with pytest.raises(SignatureError, match="missing"):
        verify(SECRET, headers, BODY, now=NOW)


def test_any_of_several_space_separated_signatures_may_match() -> None:
    old, new = generate_secret(), SECRET
    headers = sign_headers([old, new], "msg_1", BODY, timestamp=NOW)
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(new, headers, BODY, now=NOW) == "msg_1"
    assert verify([generate_secret(), old], headers, BODY, now=NOW) == "msg_1"


def test_unknown_signature_versions_are_ignored() -> None:
    headers = sign_headers(SECRET, "msg_1", BODY, timestamp=NOW)
    v1 = headers["webhook-signature"].split(",", 1)[1]
    with pytest.raises(SignatureError):
        verify(SECRET, {**headers, "webhook-signature": "v1a," + v1}, BODY, now=NOW)


def test_generated_secrets_are_whsec_base64_of_32_bytes() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert secret != generate_secret()


def test_a_malformed_secret_is_an_error() -> None:
    with pytest.raises(ValueError):
        signature("whsec_not base64!", "m", NOW, BODY)
