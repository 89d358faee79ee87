"""``EncryptedText``: a column stored encrypted (``grader.security.secret_box``), read as plaintext.

Models name it for the secrets they hold; the code that reads ``endpoint.secret`` never sees the
ciphertext. Fernet output is randomised, so such a column cannot be searched by value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from grader.security import secret_box


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest with the process's key ring."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or value.startswith(secret_box.PREFIX):
            return value  # already sealed (a re-encryption writes ciphertext through this type)
        return secret_box.current().encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else secret_box.current().decrypt(value)
