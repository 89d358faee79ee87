"""Token type shared by the lexer and the parser."""

from __future__ import annotations

import re
from typing import NamedTuple

# kinds
NUM, NAME, WORD, CMD, OP, OPEN, CLOSE, BEGIN, END, EOF = (
    "NUM", "NAME", "WORD", "CMD", "OP", "OPEN", "CLOSE", "BEGIN", "END", "EOF"
)

# the OP of an evaluation bar, \right|_{x=0} or \Big|_{x=0} (the group follows as tokens)
EVAL_BAR = "|_"

# opening delimiter -> closing delimiters it accepts ("." is \left. / \right.)
CLOSERS: dict[str, frozenset[str]] = {
    "(": frozenset({")", "."}), "[": frozenset({"]", "."}), "{": frozenset({"}"}),
    "\\{": frozenset({"\\}", "."}), "|L": frozenset({"|R", "."}),
    ".": frozenset({")", "]", "\\}", "|R", "."}),
}
DELIMITER_NAMES = {"(": "parenthesis", ")": "parenthesis", "[": "bracket", "]": "bracket",
                   "{": "brace", "}": "brace", "\\{": "brace", "\\}": "brace",
                   "|L": "absolute value bar", "|R": "absolute value bar",
                   ".": "delimiter"}


class Token(NamedTuple):
    """One token. ``col`` is the 1-based source column of its first character, ``end`` the
    0-based source index just past its last one. ``sub`` is a subscript: normalised for names,
    raw for commands (``\\lim_{p \\to 0}``)."""

    kind: str
    value: str
    col: int
    end: int
    sub: str | None = None

    def describe(self) -> str:
        if self.kind == EOF:
            return "end of input"
        if self.kind == CMD:
            return "\\" + self.value
        if self.kind in (BEGIN, END):
            return f"\\{self.kind.lower()}{{{self.value}}}"
        if self.kind == OPEN and self.value == "|L":
            return "|"
        if self.kind == CLOSE and self.value == "|R":
            return "|"
        return self.value

    def is_op(self, *values: str) -> bool:
        return self.kind == OP and self.value in values


def parse_number(text: str) -> tuple[int, int]:
    """Exact value of a literal: ``4.80`` -> (24, 5) (unreduced is fine), ``2e-3`` -> (2, 1000)."""
    m = re.fullmatch(r"(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?", text)
    assert m is not None
    whole, frac, exp = m.group(1) or "0", m.group(2), int(m.group(3) or 0)
    p, q = int(whole + frac), 10 ** len(frac)
    if exp >= 0:
        p *= 10 ** exp
    else:
        q *= 10 ** -exp
    return p, q
