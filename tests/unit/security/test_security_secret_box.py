"""Secrets at rest: Fernet with a key ring (first encrypts, all decrypt), legacy plaintext read
as is, a stored secret no key opens is a clear error."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from grader.security.secret_box import PREFIX, KeyRing, SecretBoxError, derived_key, parse_keys


def _key() -> str:
    return Fernet.generate_key().decode()


def test_a_secret_is_sealed_and_opened_and_never_stored_in_clear() -> None:
    ring = KeyRing.from_keys([_key()], secret_key="s" * 40)
    sealed = ring.encrypt("whsec_topsecret")
    assert sealed.startswith(PREFIX) and "topsecret" not in sealed
    assert ring.encrypt("whsec_topsecret") != sealed  # randomised
    assert ring.decrypt(sealed) == "whsec_topsecret"


def test_rotation_new_key_first_old_keys_still_open() -> None:
    old, new = _key(), _key()
    before = KeyRing.from_keys([old], secret_key="")
    sealed = before.encrypt("pem")
    during = KeyRing.from_keys([new, old], secret_key="")
    assert during.decrypt(sealed) == "pem" and not during.is_current(sealed)
    resealed = during.encrypt("pem")
    assert during.is_current(resealed)
    after = KeyRing.from_keys([new], secret_key="")
    assert after.decrypt(resealed) == "pem"
    with pytest.raises(SecretBoxError, match="dropped too early"):
        after.decrypt(sealed)


def test_without_encryption_keys_the_key_comes_from_secret_key() -> None:
    ring = KeyRing.from_keys([], secret_key="x" * 40)
    assert ring.keys == (derived_key("x" * 40),)
    assert KeyRing.from_keys([], secret_key="y" * 40).keys != ring.keys
    with pytest.raises(SecretBoxError):
        KeyRing.from_keys([], secret_key="")


def test_a_value_stored_before_encryption_is_read_as_it_is() -> None:
    assert KeyRing.from_keys([_key()], secret_key="").decrypt("whsec_legacy") == "whsec_legacy"


def test_a_malformed_encryption_key_is_a_configuration_error() -> None:
    key = _key()
    assert parse_keys(f" {key}, {key} ") == (key, key)
    with pytest.raises(ValueError, match="ENCRYPTION_KEYS must hold Fernet keys"):
        parse_keys("not-a-key")
