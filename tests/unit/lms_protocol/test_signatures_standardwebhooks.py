"""Our Standard Webhooks signatures against the official ``standardwebhooks`` library, both ways:
what we sign it verifies, what it signs we verify, and a changed body fails on both sides."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from grader.lms_protocol.signatures import SignatureError, generate_secret, sign_headers, verify

BODY = json.dumps({"type": "submission.graded", "data": {"score": 2.0}}).encode()


def test_the_official_library_verifies_what_we_sign() -> None:
    secret = generate_secret()
    headers = sign_headers(secret, "msg_1", BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY + b" ", headers)


def test_we_verify_what_the_official_library_signs() -> None:
    secret = generate_secret()
    now = datetime.now(timezone.utc)
    signature = Webhook(secret).sign("msg_2", now, BODY.decode())
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature}
    assert verify(secret, headers, BODY) == "msg_2"
    with pytest.raises(SignatureError):
        verify(secret, headers, BODY + b" ")
