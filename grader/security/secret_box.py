"""Secrets at rest (webhook and inbound secrets, the tool's LTI private key) encrypted with Fernet.

The key ring is ``ENCRYPTION_KEYS`` (comma-separated Fernet keys, the first encrypts, all
decrypt: ``cryptography``'s MultiFernet), followed by a key derived from ``SECRET_KEY`` (HKDF)
that only decrypts unless ``ENCRYPTION_KEYS`` is empty, when it is the one key. Rotation: put a
new key first, run ``grader admin rotate-encryption`` (every stored secret re-encrypted with the
first key), then drop the old key.

Stored values carry a ``enc:v1:`` prefix; a value without it is a secret written before
encryption existed (migration ``sec0002`` encrypts those) and is returned as it is.

>>> ring = KeyRing.from_keys([Fernet.generate_key().decode()], secret_key="s" * 32)
>>> ring.decrypt(ring.encrypt("whsec_abc")) == "whsec_abc"
True
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "enc:v1:"


class SecretBoxError(Exception):
    """A stored secret no key of the ring opens, or a malformed key."""


def derived_key(secret_key: str) -> bytes:
    """The Fernet key derived from ``SECRET_KEY`` (HKDF-SHA256, fixed label)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"grader secrets at rest v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def parse_keys(raw: str) -> tuple[str, ...]:
    """``ENCRYPTION_KEYS``: Fernet keys separated by commas or whitespace; ValueError for a bad one."""
    keys = tuple(k for k in raw.replace(",", " ").split() if k)
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ValueError("ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64 bytes each; "
                             "make one with `grader admin new-encryption-key`)") from None
    return keys


@dataclass(frozen=True)
class KeyRing:
    """The Fernet keys, the first one encrypting."""

    keys: tuple[bytes, ...]

    @classmethod
    def from_keys(cls, keys: Sequence[str], *, secret_key: str) -> "KeyRing":
        """``keys`` (from ``ENCRYPTION_KEYS``) then the key derived from ``secret_key``."""
        ring = [k.encode("ascii") for k in keys]
        if secret_key:
            ring.append(derived_key(secret_key))
        if not ring:
            raise SecretBoxError("no encryption key: set ENCRYPTION_KEYS or SECRET_KEY")
        return cls(tuple(dict.fromkeys(ring)))

    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.keys])

    def encrypt(self, plaintext: str) -> str:
        """``enc:v1:<Fernet token>`` of ``plaintext``, under the first key."""
        return PREFIX + self._fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """The plaintext of a stored value (a value without the prefix is legacy plaintext)."""
        if not stored.startswith(PREFIX):
            return stored
        try:
            return self._fernet().decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise SecretBoxError("a stored secret cannot be decrypted with any key in ENCRYPTION_KEYS "
                                 "(or the one derived from SECRET_KEY): was a key dropped too early?") from None

    def is_current(self, stored: str) -> bool:
        """Whether ``stored`` is encrypted under the first key already (nothing to rotate)."""
        if not stored.startswith(PREFIX):
            return False
        try:
            Fernet(self.keys[0]).decrypt(stored[len(PREFIX):].encode("ascii"))
            return True
        except InvalidToken:
            return False

    def merged(self, other: "KeyRing") -> "KeyRing":
        """This ring's keys first, then ``other``'s that are not already in it."""
        return KeyRing(tuple(dict.fromkeys(self.keys + other.keys)))


_lock = threading.Lock()
_installed: list[KeyRing] = []


def install(ring: KeyRing) -> KeyRing:
    """Make ``ring`` the process's ring (``grader.bootstrap`` does, for the app, the worker and the
    CLI, from their settings); returns the ring now in use. Keys installed before stay as
    decrypt-only fallbacks: a process that built two apps (tests do) still opens what the first
    one stored."""
    with _lock:
        _installed[:] = [ring if not _installed else ring.merged(_installed[0])]
        return _installed[0]


def is_installed() -> bool:
    """Whether a ring is installed in this process."""
    with _lock:
        return bool(_installed)


def current() -> KeyRing:
    """The installed ring; SecretBoxError when none is (this module never reads the environment)."""
    with _lock:
        if _installed:
            return _installed[0]
    raise SecretBoxError("no encryption key ring installed: the composition root (grader.bootstrap) "
                         "installs the one of ENCRYPTION_KEYS and SECRET_KEY")


def ring_for(encryption_keys: Iterable[str], secret_key: str) -> KeyRing:
    """The ring of these settings (``ENCRYPTION_KEYS``, then the key derived from ``SECRET_KEY``)."""
    return KeyRing.from_keys(tuple(encryption_keys), secret_key=secret_key)


def new_key() -> str:
    """A fresh Fernet key for ``ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode("ascii")
