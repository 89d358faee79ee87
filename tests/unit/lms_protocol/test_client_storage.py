"""The server's half of the LTI client-side postMessage storage (grader.lms_protocol.client_storage)."""

from __future__ import annotations

import time

import jwt
import pytest

from grader.lms_protocol import client_storage as cs

SECRET = "test-secret"


@pytest.mark.parametrize("raw, expected", [
    ("_parent", "_parent"), ("post_message_forwarding", "post_message_forwarding"), (None, None), ("", None),
    ("a b", None), ("x" * 41, None), ("frame<script>", None), ("top.frames", None)])
def test_storage_targets_are_plain_frame_names(raw, expected) -> None:  # type: ignore[no-untyped-def]
    assert cs.storage_target(raw) == expected


def test_a_signed_state_carries_its_target_and_fits_the_state_column() -> None:
    state = cs.issue_state(SECRET, "x" * cs.TARGET_MAX)
    assert len(state) <= 100
    assert cs.target_of_state(SECRET, state, max_age_s=600) == "x" * cs.TARGET_MAX
    assert cs.issue_state(SECRET, "_parent") != cs.issue_state(SECRET, "_parent")  # random part


def test_a_state_the_tool_did_not_sign_or_that_expired_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    state = cs.issue_state(SECRET, "_parent")
    assert cs.target_of_state("another-secret", state, max_age_s=600) is None
    assert cs.target_of_state(SECRET, state.replace("_parent", "_parenx"), max_age_s=600) is None
    assert cs.target_of_state(SECRET, "plain-random-state", max_age_s=600) is None
    later = time.time() + 601
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert cs.target_of_state(SECRET, state, max_age_s=600) is None


def test_an_empty_secret_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        cs.issue_state("", "_parent")


def test_the_platform_origin_is_the_auth_endpoints() -> None:
    assert cs.platform_origin("https://lms.example:8443/mod/lti/auth.php?x=1") == "https://lms.example:8443"


def test_keys_and_the_unverified_nonce() -> None:
    token = jwt.encode({"nonce": "n-1", "sub": "s"}, "k" * 32, algorithm="HS256")
    assert cs.unverified_nonce(token) == "n-1"
    assert cs.unverified_nonce("not a token") == ""
    assert cs.unverified_nonce(jwt.encode({"nonce": 5}, "k" * 32, algorithm="HS256")) == ""
    assert (cs.state_key("s"), cs.nonce_key("n")) == ("state_s", "nonce_n")
