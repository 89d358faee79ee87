"""Infix ``^``/``**`` and postfix ``!`` for the Pratt parser (pratt.py)."""

from __future__ import annotations

from grader.engine.errors import ParseError

from .nodes import Node
from .pratt import POW_BP, Parser
from .tokens import NUM, OP, Token


def power_or_factorial(p: Parser, tok: Token, left: Node) -> Node:
    p.advance()
    if tok.value == "!":
        if left.kind == "fact":
            raise ParseError("repeated ! is not supported", tok.col)
        return p.on_last(left, lambda arg: p.node("fact", [arg], tok.col))
    if p.st.latex and tok.value == "^":
        nxt = p.peek()
        if nxt.kind == NUM and len(nxt.value) > 1:
            raise ParseError(f"ambiguous exponent: write ^{{{nxt.value}}}", nxt.col)
        p.split_token()
    right = p.expr(POW_BP - 1)
    last = p.toks[p.pos - 1]
    if last.kind == OP and last.value == "!":  # x^2! is (x^2)! on paper, x^(2!) to sympy
        raise ParseError("ambiguous ! after an exponent: write (x^2)! or x^{(2!)}", last.col)
    return p.on_last(left, lambda base: p.node("pow", [base, right], tok.col))
