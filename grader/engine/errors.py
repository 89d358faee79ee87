"""The engine's one exception hierarchy.

A ``ParseError`` carries the 1-based column it refers to, so a form can put a caret under it.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class ParseError(EngineError):
    """An answer (or key) that cannot be read: syntax, unknown function, empty, hostile.

    ``column`` is 1-based and may be None when the error is about the whole input.
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        return f"{self.message} at column {self.column}"


class LimitExceeded(ParseError):
    """Input that breaks a configured limit (length, depth, nodes, powers, factorials, digits)."""


class ContextError(EngineError):
    """A bad grading context written by an instructor: definitions, domain, allowed symbols."""
