"""Reading a handed-in document: bytes to lines of text, refusing what is not a written answer.

A LaTeX document is cut to its body and its own ``\\newcommand``/``\\def`` macros are expanded,
so the rest of extraction reads one kind of text. Every refusal says why, in the student's terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.assignments.documents.errors import DocumentError
from grader.assignments.documents.latex_macros import expand_macros

MAX_DOCUMENT_BYTES = 256 * 1024  # default; the service passes its own request limit


@dataclass(frozen=True)
class Document:
    """The text of a document as lines; ``line_offset`` maps back to the file's own line numbers."""

    lines: tuple[str, ...]
    kind: str  # "latex" or "markdown" (plain text is read as Markdown)
    line_offset: int = 0
    notes: tuple[str, ...] = ()


_BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")
_END_DOC = re.compile(r"\\end\s*\{document\}")
_LATEX_HINT = re.compile(r"\\documentclass|\\begin\s*\{(?:enumerate|document|align\*?)\}")


def read_document(data: bytes | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Decode and check a document (``DocumentError`` with a readable reason)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise DocumentError(f"the document is {len(raw):,} bytes; the limit is {max_bytes:,} bytes")
    if b"\x00" in raw:
        raise DocumentError("this is a binary file, not text: hand in Markdown, LaTeX or plain text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"the document is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError("the document is empty")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 200):
        raise DocumentError("the document holds control characters, not text: is it a binary file?")
    if _LATEX_HINT.search(text):
        return _latex_document(text)
    return Document(tuple(text.split("\n")), "markdown")


def _latex_document(text: str) -> Document:
    offset, notes = 0, []
    begin = _BEGIN_DOC.search(text)
    preamble = ""
    if begin:
        preamble = text[:begin.end()]
        offset = text.count("\n", 0, begin.end())
        end = _END_DOC.search(text, begin.end())
        text = text[begin.end():end.start() if end else len(text)]
    text, expanded = expand_macros(preamble, text)
    if expanded:
        notes.append("expanded your macros: " + ", ".join(expanded))
    text = re.sub(r"(?<!\\)%.*", "", text)  # comments, keeping line numbers
    return Document(tuple(text.split("\n")), "latex", offset, tuple(notes))
