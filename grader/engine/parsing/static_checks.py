"""Checks on the whole input that need no parse: forbidden TeX primitives anywhere (even inside
groups that are never parsed), balanced delimiters and environments, nesting depth."""

from __future__ import annotations

import re

from grader.engine.errors import LimitExceeded, ParseError
from grader.engine.limits import Limits

from .tokens import BEGIN, CLOSE, CLOSERS, DELIMITER_NAMES, END, OPEN, Token

_COMMAND = re.compile(r"\\([A-Za-z]+)")

FORBIDDEN = frozenset(
    "input include def edef gdef xdef let csname endcsname write immediate openin openout read "
    "readline catcode newcommand renewcommand providecommand DeclareMathOperator usepackage "
    "documentclass makeatletter makeatother special loop expandafter futurelet uccode lccode "
    "href url jobname newenvironment renewenvironment begingroup endgroup afterassignment "
    "everypar everymath toks scantokens detokenize unexpanded noexpand string "
    "verbatim lstinline includegraphics openout closein closeout newread newwrite".split()
)

def check_forbidden(text: str, where: list[int]) -> None:
    """Refuse TeX primitives anywhere, even inside groups that are never parsed."""
    for m in _COMMAND.finditer(text):
        if m.group(1) in FORBIDDEN:
            name = m.group(0)
            if name == "\\write" and text[m.end():m.end() + 2] == "18":
                name = "\\write18"
            raise ParseError(f"{name} is not allowed", where[m.start()] + 1)


def check_brackets(tokens: list[Token], limits: Limits) -> None:
    """Balanced delimiters and environments, and nesting within ``limits.max_depth``."""
    stack: list[Token] = []
    for tok in tokens:
        if tok.kind in (OPEN, BEGIN):
            stack.append(tok)
            if len(stack) > limits.max_depth:
                raise LimitExceeded(f"nesting deeper than {limits.max_depth}", tok.col)
        elif tok.kind == CLOSE:
            if not stack or stack[-1].kind != OPEN or tok.value not in CLOSERS[stack[-1].value]:
                what = stack[-1] if stack and stack[-1].kind == OPEN and tok.value == "." else tok
                raise ParseError(f"unbalanced {DELIMITER_NAMES[what.value]}", tok.col)
            stack.pop()
        elif tok.kind == END:
            if not stack or stack[-1].kind != BEGIN or stack[-1].value != tok.value:
                raise ParseError(f"\\end{{{tok.value}}} without matching \\begin", tok.col)
            stack.pop()
    if stack:
        tok = stack[-1]
        if tok.kind == BEGIN:
            raise ParseError(f"\\begin{{{tok.value}}} without \\end{{{tok.value}}}", tok.col)
        raise ParseError(f"unbalanced {DELIMITER_NAMES[tok.value]}", tok.col)
