"""Errors services raise on purpose; the API turns each into JSON with its HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: ``status`` is the HTTP status the API answers with, ``message`` what it says."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFound(ServiceError):
    """Absent, or present but not visible to this user (both look the same: 404)."""

    status = 404


class Forbidden(ServiceError):
    """Visible but not allowed (e.g. a student asking for an instructor report)."""

    status = 403


class InvalidRequest(ServiceError):
    """A request whose content is wrong (unknown question, wrong types)."""

    status = 422


class Conflict(ServiceError):
    """An idempotency key reused for different content."""

    status = 409


class TooLarge(ServiceError):
    """An answer or request over a configured limit."""

    status = 413
