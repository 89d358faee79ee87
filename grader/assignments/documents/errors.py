"""The one error of document extraction: a document that cannot be read as answers at all."""

from __future__ import annotations


class DocumentError(ValueError):
    """An empty, binary, oversized or unreadable document; the message says which, for the student."""
