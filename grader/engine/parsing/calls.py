"""Function calls: argument lists in every spelling (``f(x, y)``, ``\\sin{\\left(x\\right)}``,
``\\sin x``, ``\\sin^2 x``), arity checks, and text ``Piecewise((v, c), ...)``."""

from __future__ import annotations

from grader.engine.errors import ParseError

from .names import BUILTINS
from .nodes import Node
from .pratt import MUL_BP, POW_BP, Parser
from .tokens import CLOSE, OPEN, Token

_INVERSE = {"sin": "asin", "cos": "acos", "tan": "atan"}


def _is_minus_one(node: Node) -> bool:
    return (node.kind == "neg" and node.args[0].kind == "num"
            and node.args[0].args == [1, 1])


def arguments(p: Parser, name: str, tok: Token) -> list[Node]:
    """The argument list after a function name."""
    nxt = p.peek()
    if nxt.kind == OPEN and nxt.value in ("(", "[", "\\{"):  # \max\{0, 1-x\}
        opener = p.advance()
        if p.peek().kind == CLOSE:
            raise ParseError(f"{name} needs an argument", opener.col)
        args = [p.grouped()]
        while p.peek().is_op(","):
            p.advance()
            args.append(p.grouped())
        p.expect_close(opener)
        return args
    if nxt.kind == OPEN and nxt.value == "{":  # sympy's latex: \sin{\left(x \right)}
        opener = p.advance()
        start = p.pos
        if p.peek().kind == OPEN and p.peek().value == "(":
            args = arguments(p, name, tok)
            if p.peek().kind == CLOSE:
                p.expect_close(opener)
                return args
            p.pos = start
        args = [p.grouped()]
        p.expect_close(opener)
        return args
    if p.starts_operand(nxt):  # \sin x, \ln 2x: a product, stopping at the next function
        p.st.bare_arg += 1
        try:
            return [p.expr(MUL_BP - 1)]
        finally:
            p.st.bare_arg -= 1
    raise ParseError(f"{name} needs an argument", nxt.col)


def _piecewise(p: Parser, tok: Token) -> Node:
    opener = p.advance()
    if not (opener.kind == OPEN and opener.value == "("):
        raise ParseError("Piecewise needs (value, condition) pairs", opener.col)
    pairs: list[tuple[Node, Node]] = []
    while True:
        inner = p.advance()
        if not (inner.kind == OPEN and inner.value == "("):
            raise ParseError("expected (value, condition) in Piecewise", inner.col)
        value = p.grouped()
        p.expect_op(",")
        cond = p.grouped()
        p.expect_close(inner)
        pairs.append((value, cond))
        if p.peek().is_op(","):
            p.advance()
            continue
        p.expect_close(opener)
        return p.node("pw", pairs, tok.col)


def parse_call(p: Parser, name: str, tok: Token, *, user: bool, power: Node | None) -> Node:
    """A call of ``name`` whose name token ``tok`` was just consumed."""
    if power is None and p.peek().is_op("'"):
        from .labels import primed_call  # late: labels imports this module

        return primed_call(p, name, tok, user=user)
    if power is None and p.peek().is_op("^"):  # \sin^2 x, \sin^{-1} x
        p.advance()
        if p.st.latex:
            p.split_token()
        power = p.expr(POW_BP - 1)
    if name == "Piecewise" and not user:
        node = _piecewise(p, tok)
    else:
        args = arguments(p, name, tok)
        if user:
            want = p.st.names.functions[name]
            if len(args) != want:
                raise ParseError(f"{name} takes {want} argument{'s' if want != 1 else ''}, "
                                 f"got {len(args)}", tok.col)
        else:
            low, high = BUILTINS[name]
            if len(args) < low or (high is not None and len(args) > high):
                raise ParseError(f"wrong number of arguments for {name}: {len(args)}", tok.col)
        node = p.node("ufunc" if user else "call", [name, *args], tok.col)
        if name == "relu" and not user:  # ReLU(x) is Max(0, x), within Max's evaluation budget
            node = p.node("call", ["Max", p.node("num", [0, 1], tok.col), *args], tok.col)
    if power is None:
        return node
    if _is_minus_one(power) and name in _INVERSE and not user:
        node.args[0] = _INVERSE[name]
        return node
    return p.node("pow", [node, power], tok.col)


def with_log_base(p: Parser, node: Node, sub: str, tok: Token) -> Node:
    """``\\log_2 x``, ``\\log_{10}(x)``, ``log_2(x)``: the base written as a subscript."""
    base = sub.strip()
    if base.isdigit() and len(base) <= 6:
        base_node = p.node("num", [int(base), 1], tok.col)
    elif base in ("e", "\\mathrm{e}"):
        base_node = p.node("const", ["E"], tok.col)
    elif len(base) == 1 and base.isalpha():
        base_node = p.sym(base, tok)
    else:
        raise ParseError(f"unsupported logarithm base {{{base}}}", tok.col)
    call = node if node.kind == "call" else node.args[0]
    if len(call.args) != 2:
        raise ParseError("log with a base takes one argument", tok.col)
    call.args.append(base_node)
    return node
