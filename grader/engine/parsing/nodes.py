"""The parser's own tree: small, limit-checked as it grows, turned into sympy by ``build``."""

from __future__ import annotations

from dataclasses import dataclass

from grader.engine.errors import LimitExceeded
from grader.engine.limits import Limits

from .names import NameContext
from .tokens import Token


class Node:
    """``kind`` is one of: num (p, q), sym (name), const (E|pi|true|false), add, neg, mul, inv,
    pow, call (name, *args), ufunc (name, *args), fact, pw ((value, cond), ...), rel (op, a, b),
    and, or, not, deriv (a derivative-notation label), box."""

    __slots__ = ("kind", "args", "col", "tok")

    def __init__(self, kind: str, args: list, col: int, tok: Token | None = None) -> None:
        self.kind, self.args, self.col, self.tok = kind, args, col, tok

    def __repr__(self) -> str:
        return f"{self.kind}{self.args!r}"


@dataclass
class State:
    """What all (sub-)parsers of one answer share."""

    names: NameContext
    limits: Limits
    latex: bool
    nodes: int = 0
    depth: int = 0
    abs_depth: int = 0
    bare_arg: int = 0

    def node(self, kind: str, args: list, col: int, tok: Token | None = None) -> Node:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise LimitExceeded(f"expression too large (more than {self.limits.max_nodes} parts)",
                                col)
        return Node(kind, args, col, tok)


def walk(node: Node, *, into_cases: bool = True):
    """Yield every node below ``node`` (itself included), iteratively."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if n.kind == "pw" and not into_cases:
            continue
        for a in n.args:
            if isinstance(a, Node):
                stack.append(a)
            elif isinstance(a, tuple):
                stack.extend(x for x in a if isinstance(x, Node))


def has_derivative(node: Node) -> bool:
    return any(n.kind == "deriv" for n in walk(node))


def last_box(node: Node) -> Node | None:
    """The content of the last ``\\boxed`` in reading order (outside cases)."""
    found: Node | None = None
    for n in walk(node, into_cases=False):
        if n.kind == "box" and (found is None or n.col > found.col):
            found = n
    return found.args[0] if found is not None else None
