"""Bracketed groups in prefix position: ``( )``, ``[ ]``, ``{ }``, ``\\left| \\right|``, ``|x|``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.engine.errors import ParseError

from .absolute import check_after_close
from .indicator import indicator_of, is_condition
from .nodes import Node
from .tokens import CLOSE, NAME, WORD, Token

if TYPE_CHECKING:
    from .pratt import Parser


def bracketed(p: "Parser", tok: Token) -> Node:
    """The group opened by ``tok`` (already consumed)."""
    if p.peek().kind == CLOSE:
        raise ParseError({"(": "empty parentheses", "[": "empty brackets"}.get(
            tok.value, "empty group"), tok.col)
    if tok.value == "|L":
        inner = p.grouped()
        p.expect_close(tok)
        return p.node("call", ["Abs", inner], tok.col)
    at = p.pos - 1
    inner = p.grouped()
    if p.peek().is_op(",") and at > 0 and p.toks[at - 1].kind in (NAME, WORD):
        before = p.toks[at - 1]  # f(x, y) with f unknown: not a product
        raise ParseError(f"unknown function {before.value}", before.col)
    p.expect_close(tok)
    if tok.value == "[" and is_condition(inner):  # the Iverson bracket [x > 0]
        return indicator_of(p, inner, tok.col)
    if inner.kind == "mul":
        inner.tok = None  # (xy)^2 squares the whole group
    return inner


def abs_bars(p: "Parser", tok: Token) -> Node:
    """``|x|``: inside, a bar in operator position closes rather than opens."""
    st = p.st
    st.abs_depth += 1
    saved_bare, st.bare_arg = st.bare_arg, 0
    try:
        inner = p.expr(0)
    finally:
        st.abs_depth -= 1
        st.bare_arg = saved_bare
    close = p.advance()
    if not close.is_op("|"):
        raise ParseError("unbalanced absolute value bar", tok.col)
    check_after_close(p)
    return p.node("call", ["Abs", inner], tok.col)
