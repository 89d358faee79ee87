"""Notation that names a derivative or a limit rather than giving a value: labels in a chain.

``\\lim_{s \\to 0} f``, ``\\nabla_w L``, ``\\tanh'(x)``, ``f'(x)`` and text ``d/dx(x^2)`` are read
into ``deriv`` nodes, so that ``label = value`` is graded on its value (chains.py) and a label
alone is refused: a derivative operator or a limit is the question restated, not its answer.
An evaluation bar ``f|_{x=a}`` substitutes the point into ``f``, or keeps a label a label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.engine.errors import ParseError

from .nodes import Node, has_derivative, walk
from .tokens import CMD, NUM, OPEN, Token

if TYPE_CHECKING:
    from .pratt import Parser

LIMIT = "\\lim cannot be graded: write the value of the limit"


def limit(p: "Parser", tok: Token) -> Node:
    """``\\lim_{x \\to a} f``: the limit of what follows, kept as a label."""
    from .pratt import MUL_BP  # late: pratt imports this module's users

    inner = [p.expr(MUL_BP - 1)] if p.starts_operand(p.peek()) else []
    return p.node("deriv", inner, tok.col, tok)


def gradient(p: "Parser", tok: Token) -> Node:
    """``\\nabla_w L``, ``\\nabla Q(w)``: the operator; what follows multiplies into the label."""
    return p.node("deriv", [], tok.col, tok)


def is_limit(node: Node) -> bool:
    """Whether ``node`` holds a ``\\lim`` (then the message says so, not "derivative")."""
    return any(n.kind == "deriv" and n.tok is not None and n.tok.kind == CMD
               and n.tok.value == "lim" for n in walk(node))


def primed_call(p: "Parser", name: str, tok: Token, *, user: bool) -> Node:
    """``\\tanh'(x)``, ``\\sigma''(x)``, ``f'(x)``: the derivative of a function, a label."""
    from .calls import parse_call  # late: calls imports the parser

    while p.peek().is_op("'"):
        p.advance()
    return p.node("deriv", [parse_call(p, name, tok, user=user, power=None)], tok.col)


def text_derivative(p: "Parser", left: Node) -> Node | None:
    """At the ``/`` of ``dl/dw`` or ``d/dx``: the label, with its ``dx`` (and ``^2`` of
    ``d^2y/dx^2``) consumed, so that ``d/dx(x^2)`` is not a call of a function dx."""
    from .resolve import is_text_derivative  # late: resolve imports the parser's helpers

    if not is_text_derivative(p, left):
        return None
    p.advance()
    if p.peek().is_op("^", "**") and p.peek(1).kind == NUM:
        p.advance()
        p.advance()
    return p.node("deriv", [], left.col)


def evaluated_at(p: "Parser", tok: Token, left: Node) -> Node:
    """``f|_{x=a}``, ``\\left. f \\right|_{x=a}``: ``f`` with ``x`` replaced by ``a`` (a label
    stays a label: ``\\frac{dy}{dx}\\Big|_{x=0} = 1`` is graded on its 1)."""
    p.advance()
    opener = p.advance()
    if not (opener.kind == OPEN and opener.value == "{"):
        raise ParseError("expected {x = value} after the evaluation bar", opener.col)
    at = p.grouped()
    p.expect_close(opener)
    if not (at.kind == "rel" and at.args[0] == "==" and at.args[1].kind == "sym"):
        raise ParseError("expected {x = value} after the evaluation bar", at.col)
    if has_derivative(left):
        return p.node("deriv", [left], left.col)
    return _replace(p, left, at.args[1].args[0], at.args[2])


def _replace(p: "Parser", node: Node, name: str, value: Node) -> Node:
    if node.kind == "sym" and node.args[0] == name:
        return value
    args = [_replace(p, a, name, value) if isinstance(a, Node) else
            tuple(_replace(p, x, name, value) for x in a) if isinstance(a, tuple) else a
            for a in node.args]
    return p.node(node.kind, args, node.col, node.tok)
