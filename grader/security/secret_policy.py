"""Which ``SECRET_KEY`` the web app accepts: anyone who knows it can sign a login cookie for any user.

The embedded default (a SQLite database, ``grader serve`` with nothing set) generates its own key
into ``var/secret_key``; testing mode takes whatever the tests give. Everywhere else the key must
be at least 32 bytes, not one of the well-known defaults, and not a run of a few characters.
"""

from __future__ import annotations

MIN_SECRET_BYTES = 32
MIN_DISTINCT_CHARACTERS = 10
KNOWN_DEFAULTS = frozenset({
    "change-me-in-production", "changeme", "change-me", "change_me", "secret", "secret-key", "secret_key",
    "dev", "development", "default", "test", "testing", "test-secret", "browser-test-secret", "test-compose",
    "your-secret-key", "your-secret-key-here", "please-change-me", "insecure", "flask-secret",
})
HOW_TO = 'make one with: python -c "import secrets; print(secrets.token_hex(32))"'


class WeakSecretKey(ValueError):
    """A SECRET_KEY the app refuses to start with outside the embedded default."""


def check_secret_key(secret_key: str, *, embedded: bool, testing: bool) -> None:
    """Raise WeakSecretKey (saying why and how to make a good one) for a key we refuse."""
    if embedded or testing:
        return
    key = secret_key.strip()
    if not key:
        raise WeakSecretKey(f"SECRET_KEY is not set; {HOW_TO}")
    if key.lower() in KNOWN_DEFAULTS:
        raise WeakSecretKey(f"SECRET_KEY is a published default ({key}); {HOW_TO}")
    if len(key.encode("utf-8")) < MIN_SECRET_BYTES:
        raise WeakSecretKey(f"SECRET_KEY has {len(key.encode('utf-8'))} bytes, at least {MIN_SECRET_BYTES} "
                            f"are needed; {HOW_TO}")
    if len(set(key)) < MIN_DISTINCT_CHARACTERS:
        raise WeakSecretKey(f"SECRET_KEY is not random (only {len(set(key))} distinct characters); {HOW_TO}")
