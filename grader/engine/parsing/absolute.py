"""Absolute value bars after an operand (``x|x|``, ``2|x|``, ``3|x|^2``) and ambiguous bars.

A bar in operator position closes the innermost ``|...|``; outside one it opens a new ``|...|``
multiplied in (LaTeX, and text when a closing bar follows with no condition in between: in text
a bar may also be "or", as in ``x<0 | x>1``). After a closing bar, an operand and two more bars
could be read two ways: ``|a|b|c|`` is |a|·b·|c| or |a·|b|·c|, so it is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.engine.errors import ParseError

from .tokens import BEGIN, CLOSE, CMD, END, EOF, OP, OPEN, WORD, Token

if TYPE_CHECKING:
    from .pratt import Parser

AMBIGUOUS = "ambiguous absolute value bars: write abs(...) or \\left| ... \\right|"
_CONDITION_OPS = frozenset({"<", ">", "<=", ">=", "!=", "==", "=", "&", ","})
_CONDITION_CMDS = frozenset({"lt", "gt", "le", "leq", "ge", "geq", "ne", "neq", "land", "lor",
                             "wedge", "vee"})


def _is_condition_part(tok: Token) -> bool:
    return (tok.kind == OP and tok.value in _CONDITION_OPS) or (
        tok.kind == CMD and tok.value in _CONDITION_CMDS) or (
        tok.kind == WORD and tok.value in ("and", "or"))


def _bars_ahead(toks: list[Token], start: int, most: int) -> list[int]:
    """Indices of the first ``most`` bars from ``start`` on, at the bracket level of ``start``,
    stopping at a bracket that closes that level (bounded: each bar looks only this far)."""
    found, depth = [], 0
    for j in range(start, len(toks)):
        tok = toks[j]
        if tok.kind in (OPEN, BEGIN):
            depth += 1
        elif tok.kind in (CLOSE, END):
            depth -= 1
            if depth < 0:
                break
        elif tok.kind == EOF:
            break
        elif depth == 0 and tok.is_op("|"):
            found.append(j)
            if len(found) == most:
                break
    return found


def bar_opens_abs(toks: list[Token], i: int) -> bool:
    """Text mode, the bar at ``i`` in operator position: the start of ``|...|`` (a closing bar
    follows, with something and no condition between) rather than "or"."""
    bars = _bars_ahead(toks, i + 1, 1)
    if not bars or bars[0] == i + 1:
        return False
    depth = 0
    for tok in toks[i + 1:bars[0]]:
        depth += tok.kind in (OPEN, BEGIN)
        depth -= tok.kind in (CLOSE, END)
        if depth == 0 and _is_condition_part(tok):
            return False
    return True


def check_after_close(p: "Parser") -> None:
    """Raise on ``|a|b|c|``: an operand right after a closing bar, then two more bars, with
    nothing between them that needs an argument (``|x|\\sin|x|`` is read one way only)."""
    nxt = p.peek()
    if nxt.is_op("|") or not p.starts_operand(nxt):
        return
    bars = _bars_ahead(p.toks, p.pos, 2)
    if len(bars) < 2:
        return
    between = p.toks[p.pos:bars[0]]
    if any(p.is_function_start(t) for t in between):
        return
    raise ParseError(AMBIGUOUS, nxt.col)
