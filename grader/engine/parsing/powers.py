"""Infix ``^``/``**``, postfix ``!``, a subscript after a power (``x^2_i``) and an evaluation bar
(``|_{x=0}``) for the Pratt parser (pratt.py)."""

from __future__ import annotations

from grader.engine.errors import ParseError

from .nodes import Node
from .pratt import POW_BP, Parser
from .tokens import EVAL_BAR, NUM, OP, Token


def postfix(p: Parser, tok: Token, left: Node) -> Node:
    if tok.value == EVAL_BAR:
        from .labels import evaluated_at  # late: labels imports the parser

        return evaluated_at(p, tok, left)
    if tok.value == "_":  # x^2_i is x_i^2
        p.advance()
        base = left.args[0] if left.kind == "pow" else None
        if base is None or base.kind != "sym" or "_" in base.args[0]:
            raise ParseError("unexpected _", tok.col)
        base.args[0] = f"{base.args[0]}_{tok.sub}"
        return left
    return power_or_factorial(p, tok, left)


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
