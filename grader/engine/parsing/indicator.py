"""Indicator notation common in ML: ``\\mathbb{1}[x > 0]``, ``\\mathbb{1}_{x>0}``, ``\\mathbb{I}(x>0)``,
``1[x>0]`` and the Iverson bracket ``[x > 0]``: all are Piecewise((1, x > 0), (0, True)).

A bracket is an Iverson bracket only around a condition (an inequality, or and/or/not of
conditions); ``[x = 0]`` stays an equation, as in ``\\left[ \\frac{dl}{dw} = ... \\right]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.engine.errors import ParseError

from .nodes import Node
from .tokens import OPEN, Token

if TYPE_CHECKING:
    from .pratt import Parser

_OPENERS = ("(", "[", "\\{")


def is_condition(node: Node) -> bool:
    """An inequality, or and/or/not of conditions (not an equation ``a = b``)."""
    if node.kind == "rel":
        op: str = node.args[0]
        return op != "=="
    if node.kind in ("and", "or"):
        return all(is_condition(a) for a in node.args)
    if node.kind == "not":
        return is_condition(node.args[0])
    return False


def indicator_of(p: "Parser", cond: Node, col: int) -> Node:
    """1 where ``cond`` holds, else 0."""
    one, zero = p.node("num", [1, 1], col), p.node("num", [0, 1], col)
    return p.node("pw", [(one, cond), (zero, p.node("const", ["true"], col))], col)


def indicator(p: "Parser", tok: Token) -> Node:
    """``\\mathbb{1}`` (the lexer's CMD ``indicator``) and the condition after it."""
    opener = p.peek()
    braced = opener.kind == OPEN and opener.value == "{"
    if not (opener.kind == OPEN and (opener.value in _OPENERS or (braced and tok.sub == "_"))):
        raise ParseError("an indicator needs its condition: \\mathbb{1}[x > 0] or "
                         "\\mathbb{1}_{x > 0}", tok.col)
    p.advance()
    cond = p.grouped()
    p.expect_close(opener)
    if not is_condition(cond):
        raise ParseError("expected a condition (such as x > 0) in the indicator", cond.col)
    return indicator_of(p, cond, tok.col)
