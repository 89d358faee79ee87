"""Answers handed in as a document (Markdown, LaTeX or plain text), found by the assignment's labels."""

from grader.assignments.documents.errors import DocumentError
from grader.assignments.documents.extract import Extraction, FoundAnswer, extract_answers
from grader.assignments.documents.reading import MAX_DOCUMENT_BYTES

__all__ = ["MAX_DOCUMENT_BYTES", "DocumentError", "Extraction", "FoundAnswer", "extract_answers"]
