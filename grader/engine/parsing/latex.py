"""LaTeX commands and environments for the Pratt parser."""

from __future__ import annotations

from grader.engine.errors import ParseError

from .names import FUNCTION_ALIASES, GREEK, normalize_subscript
from .nodes import Node
from .calls import with_log_base
from .indicator import indicator
from .labels import gradient, limit
from .pratt import _FUNCTION_COMMANDS, ENVIRONMENT, PREFIX_COMMANDS, Parser
from .tokens import BEGIN, CLOSE, CMD, END, EOF, NAME, NUM, OPEN, WORD, Token

_FUNCTIONS = {name: FUNCTION_ALIASES[name] for name in (
    "exp", "ln", "log", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
    "arcsin", "arccos", "arctan", "coth", "max", "min", "sech", "csch")}  # \sech: not TeX, but written
_CASES = frozenset({"cases", "dcases", "rcases"})
_ALIGNED = frozenset({"aligned", "align", "align*", "gathered", "gather", "gather*", "split",
                      "alignedat", "eqnarray", "eqnarray*"})


def _balanced(p: Parser, unclosed: str, col: int) -> tuple[list[Token], Token]:
    """Consume tokens up to the bracket closing one already consumed; return those inside it and
    the closing token (ParseError ``unclosed`` at ``col`` when the input ends first)."""
    start, depth = p.pos, 1
    while True:
        tok = p.advance()
        if tok.kind in (OPEN, BEGIN):
            depth += 1
        elif tok.kind in (CLOSE, END):
            depth -= 1
            if depth == 0:
                return p.toks[start:p.pos - 1], tok
        elif tok.kind == EOF:
            raise ParseError(unclosed, col)


def group_tokens(p: Parser) -> list[Token]:
    """Consume a ``{...}`` group and return its tokens (without the braces)."""
    opener = p.advance()
    if not (opener.kind == OPEN and opener.value == "{"):
        raise ParseError("expected {", opener.col)
    return _balanced(p, "unbalanced brace", opener.col)[0]


def argument(p: Parser) -> Node:
    """A ``{group}``, or one character/command as TeX reads ``\\frac12`` or ``\\sqrt x``."""
    tok = p.peek()
    if tok.kind == OPEN and tok.value == "{":
        p.advance()
        if p.peek().kind == CLOSE:
            raise ParseError("empty group", tok.col)
        inner = p.grouped()
        p.expect_close(tok)
        return inner
    if tok.kind in (NUM, NAME):
        p.split_token()
        return p.prefix(0)
    if tok.kind == CMD:
        return p.prefix(0)
    raise p.error(tok)


def is_differential(tok: Token, p: Parser, *, alone_ok: bool) -> bool:
    """``d``, ``dx``, ``dl_i``, ``\\mathrm{d}``, ``\\partial``: the start of Leibniz notation
    (not ``d_i`` or a name the context defines)."""
    if tok.kind == CMD:
        return tok.value == "partial"
    if tok.kind not in (NAME, WORD) or not tok.value.startswith("d"):
        return False
    if tok.value == "d":
        return tok.sub is None and alone_ok
    full = tok.value + (f"_{tok.sub}" if tok.sub else "")
    return tok.kind == NAME and tok.value not in GREEK and full not in p.st.names.symbols \
        and tok.value not in p.st.names.symbols


def _variable_follows(toks: list[Token]) -> bool:
    """After a bare ``d``: a variable (``d x``), an order (``d^2 y``) or a bracket
    (``d(x^2)``), not ``d + 1``."""
    return len(toks) > 1 and (toks[1].kind in (NAME, WORD, CMD, OPEN) or toks[1].is_op("^"))


def _is_derivative(num: list[Token], den: list[Token], p: Parser) -> bool:
    if not num or not den:
        return False
    num_ok = len(num) == 1 or num[0].value != "d" or _variable_follows(num)
    den_ok = den[0].value != "d" or _variable_follows(den)
    return num_ok and den_ok and is_differential(num[0], p, alone_ok=True) and \
        is_differential(den[0], p, alone_ok=_variable_follows(den))


def frac(p: Parser, tok: Token) -> Node:
    if p.peek().kind == OPEN and p.peek().value == "{":
        save = p.pos
        num = group_tokens(p)
        if p.peek().kind == OPEN and p.peek().value == "{":
            den = group_tokens(p)
            if _is_derivative(num, den, p):
                return p.node("deriv", [], tok.col)  # \frac{dl}{dw}, \frac{\partial}{\partial a}
        p.pos = save
    top = argument(p)
    bottom = argument(p)
    return p.node("mul", [top, p.node("inv", [bottom], tok.col)], tok.col, tok)


def sqrt(p: Parser, tok: Token) -> Node:
    index = None
    if p.peek().kind == OPEN and p.peek().value == "[":
        opener = p.advance()
        index = p.grouped()
        p.expect_close(opener)
    nxt = p.peek()  # \sqrt(x+1), √(x+1): the parenthesis, not just "(", is under the root
    radicand = p.prefix(0) if nxt.kind == OPEN and nxt.value == "(" else argument(p)
    if index is None:
        return p.node("call", ["sqrt", radicand], tok.col)
    if index.kind == "num" and index.args[1] == 1 and index.args[0] % 2 == 1 and index.args[0] > 1:
        # \sqrt[3]{x} is the real cube root (-2 at x = -8), not sympy's principal x**(1/3)
        return p.node("call", ["real_root", radicand, index], tok.col)
    return p.node("pow", [radicand, p.node("inv", [index], tok.col)], tok.col)


def infinity(p: Parser, tok: Token) -> Node:
    return p.node("const", ["oo"], tok.col, tok)


def boxed(p: Parser, tok: Token) -> Node:
    from .chains import chain_final  # late: chains imports the parser

    if not (p.peek().kind == OPEN and p.peek().value == "{"):
        raise ParseError("\\boxed needs {...}", tok.col)
    inner = group_tokens(p)
    end = p.toks[p.pos - 1]  # the closing brace
    if not inner:
        raise ParseError("empty \\boxed{}", tok.col)
    return p.node("box", [chain_final(inner, p.st, end=end)], tok.col)


def greek(p: Parser, tok: Token) -> Node:
    name, names = tok.value, p.st.names
    if tok.sub is not None:
        sub = normalize_subscript(tok.sub)
        if sub is None:
            raise ParseError(f"unsupported subscript {{{tok.sub}}}", tok.col)
        return p.sym(f"{name}_{sub}", tok)
    if name == "pi" and "pi" not in names.symbols:
        return p.node("const", ["pi"], tok.col, tok)
    if name == "sigma" and "sigma" in names.functions:
        return p.call("sigma", tok, user=True)
    if name == "sigma" and "sigma" not in names.symbols and p.next_is_paren():
        return p.call("logistic", tok)
    return p.sym(name, tok)


def function(p: Parser, tok: Token) -> Node:
    name = _FUNCTIONS[tok.value]
    if tok.value in p.st.names.functions:
        return p.call(tok.value, tok, user=True)
    node = p.call(name, tok)
    if tok.sub is None:
        return node
    if name != "log":
        raise ParseError(f"unexpected subscript on \\{tok.value}", tok.col)
    return with_log_base(p, node, tok.sub, tok)


def partial(p: Parser, tok: Token) -> Node:
    return p.node("deriv", [], tok.col)


def negation(p: Parser, tok: Token) -> Node:
    return p.node("not", [p.expr(25)], tok.col)


def split_top(toks: list[Token], is_sep) -> list[tuple[list[Token], Token | None]]:
    """Split at depth-0 separators: [(part, separator after it or None)]."""
    parts: list[tuple[list[Token], Token | None]] = []
    depth, start = 0, 0
    for i, tok in enumerate(toks):
        if tok.kind in (OPEN, BEGIN):
            depth += 1
        elif tok.kind in (CLOSE, END):
            depth -= 1
        elif depth == 0 and is_sep(tok):
            parts.append((toks[start:i], tok))
            start = i + 1
    parts.append((toks[start:], None))
    return parts


def environment_rows(p: Parser, begin: Token) -> tuple[list[list[Token]], Token]:
    """Consume ``\\begin{env} ... \\end{env}``; return its non-empty rows and the end token."""
    body, tok = _balanced(p, f"\\begin{{{begin.value}}} without \\end", begin.col)
    rows = [part for part, _ in split_top(body, lambda t: t.is_op("\\\\")) if part]
    return rows, tok


def environment(p: Parser, tok: Token) -> Node:
    from .cases import aligned_value, cases_node  # late: these import chains

    if tok.value == "array":  # \left\{ \begin{array}{ll} v & c \\ ... \end{array} \right.
        if p.peek().kind == OPEN and p.peek().value == "{":
            group_tokens(p)
        rows, end = environment_rows(p, tok)
        return cases_node(p, tok, rows, end)
    if tok.value in _CASES:
        rows, end = environment_rows(p, tok)
        return cases_node(p, tok, rows, end)
    if tok.value in _ALIGNED:
        rows, end = environment_rows(p, tok)
        return aligned_value(p, tok, rows, end)
    raise ParseError(f"unsupported environment {tok.value}", tok.col)


def _register() -> None:
    for name in ("frac", "dfrac", "tfrac", "cfrac"):
        PREFIX_COMMANDS[name] = frac
    PREFIX_COMMANDS.update(sqrt=sqrt, boxed=boxed, partial=partial, lim=limit, lnot=negation,
                           neg=negation, infty=infinity, nabla=gradient,
                           indicator=indicator)
    for name in GREEK:
        PREFIX_COMMANDS[name] = greek
    PREFIX_COMMANDS["ell"] = greek
    for name in _FUNCTIONS:
        PREFIX_COMMANDS[name] = function
        _FUNCTION_COMMANDS.add(name)
    ENVIRONMENT[:] = [environment]


_register()
