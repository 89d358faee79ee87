"""A Pratt parser over our tokens, shared by text and LaTeX (LaTeX commands live in latex.py)."""

from __future__ import annotations

from collections.abc import Callable

from grader.engine.errors import LimitExceeded, ParseError

from .names import KEYWORDS, function_name
from .nodes import Node, State
from .absolute import bar_opens_abs
from .groups import abs_bars, bracketed
from .labels import text_derivative
from .resolve import resolve_name, resolve_word
from .tokens import (BEGIN, CLOSE, CLOSERS, CMD, DELIMITER_NAMES, EOF, EVAL_BAR, NAME, NUM, OP,
                     OPEN, WORD, Token, parse_number)

OR_BP, AND_BP, REL_BP, ADD_BP, NEG_BP, MUL_BP, POW_BP, POST_BP = 4, 6, 10, 20, 25, 30, 40, 50

REL_OPS = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=", "==": "==", "=": "=="}
REL_CMDS = {"lt": "<", "gt": ">", "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=",
            "geq": ">=", "geqslant": ">=", "ne": "!=", "neq": "!="}
MUL_CMDS = frozenset({"cdot", "times", "ast"})
AND_CMDS = frozenset({"land", "wedge"})
OR_CMDS = frozenset({"lor", "vee"})
CHAIN_CMDS = frozenset({"leftarrow", "gets", "Leftarrow", "longleftarrow", "coloneqq"})

# LaTeX command -> prefix handler(parser, token); filled in by latex.py
PREFIX_COMMANDS: dict[str, Callable[["Parser", Token], Node]] = {}
# handler for \begin{...}; set by latex.py
ENVIRONMENT: list[Callable[["Parser", Token], Node]] = []
_FUNCTION_COMMANDS: set[str] = set()


class Parser:
    """Parses one token list (ending in EOF) into a ``Node``."""

    def __init__(self, tokens: list[Token], st: State) -> None:
        self.toks, self.pos, self.st = tokens, 0, st

    # -- token helpers -------------------------------------------------------------------------
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def advance(self) -> Token:
        tok = self.toks[self.pos]
        if tok.kind != EOF:
            self.pos += 1
        return tok

    def error(self, tok: Token) -> ParseError:
        if tok.kind == EOF:
            return ParseError("unexpected end of input", tok.col)
        if tok.kind == CLOSE:
            return ParseError(f"unbalanced {DELIMITER_NAMES[tok.value]}", tok.col)
        if tok.is_op("'"):
            return ParseError("quotes are not allowed", tok.col)
        if tok.is_op(","):
            return ParseError("unexpected comma", tok.col)
        return ParseError(f"unexpected {tok.describe()}", tok.col)

    def expect_close(self, opener: Token) -> Token:
        tok = self.advance()
        if tok.kind != CLOSE or tok.value not in CLOSERS[opener.value]:
            if tok.kind == EOF:
                raise ParseError(f"unbalanced {DELIMITER_NAMES[opener.value]}", opener.col)
            raise self.error(tok)
        return tok

    def expect_op(self, value: str) -> Token:
        tok = self.advance()
        if not tok.is_op(value):
            if tok.kind == EOF:
                raise self.error(tok)
            raise ParseError(f"expected '{value}' but found {tok.describe()}", tok.col)
        return tok

    def node(self, kind: str, args: list, col: int, tok: Token | None = None) -> Node:
        return self.st.node(kind, args, col, tok)

    def split_token(self) -> None:
        """LaTeX reads one character after ``^`` or ``\\frac``: split ``23`` into ``2``, ``3``."""
        tok = self.toks[self.pos]
        if tok.kind == NUM and not tok.value.isdigit():
            raise ParseError(f"ambiguous {tok.value}: use braces", tok.col)
        if tok.kind in (NUM, NAME) and len(tok.value) > 1:
            first = Token(tok.kind, tok.value[0], tok.col, tok.col)
            rest = Token(tok.kind, tok.value[1:], tok.col + 1, tok.end, tok.sub)
            self.toks[self.pos:self.pos + 1] = [first, rest]

    # -- the Pratt loop ------------------------------------------------------------------------
    def parse_all(self) -> Node:
        node = self.expr(0)
        tok = self.peek()
        if tok.kind != EOF:
            raise self.error(tok)
        return node

    def expr(self, rbp: int) -> Node:
        st = self.st
        st.depth += 1
        try:
            if st.depth > 2 * st.limits.max_depth:
                raise LimitExceeded(f"nesting deeper than {st.limits.max_depth}", self.peek().col)
            left = self.prefix(rbp)
            while True:
                tok = self.peek()
                if self.lbp(tok) <= rbp:
                    return left
                left = self.infix(tok, left)
        finally:
            st.depth -= 1

    def grouped(self, rbp: int = 0) -> Node:
        """``expr`` with the bare-argument and abs-bar context reset (inside brackets)."""
        st = self.st
        saved = st.bare_arg, st.abs_depth
        st.bare_arg = st.abs_depth = 0
        try:
            return self.expr(rbp)
        finally:
            st.bare_arg, st.abs_depth = saved

    def starts_operand(self, tok: Token) -> bool:
        if tok.kind in (NUM, NAME, BEGIN, OPEN):
            return True
        if tok.kind == WORD:
            return tok.value not in KEYWORDS
        if tok.kind == CMD:
            return tok.value in PREFIX_COMMANDS
        return tok.is_op("|")  # in operand position a bar can only open |...|

    def is_euler_power(self, tok: Token) -> bool:
        """``e^...`` (Euler's number raised): like a function, it ends a bare argument, so
        ``\\cos x \\, e^{\\sin x}`` is cos(x)·e^(sin x), not cos(x·e^(sin x))."""
        return (tok.kind in (NAME, WORD) and tok.value == "e" and tok.sub is None
                and "e" not in self.st.names.symbols and self.peek(1).is_op("^"))

    def is_function_start(self, tok: Token) -> bool:
        if tok.kind == CMD:
            return tok.value in _FUNCTION_COMMANDS
        if tok.kind in (NAME, WORD) and tok.sub is None:
            return function_name(tok.value, self.st.names) is not None \
                or tok.value in self.st.names.functions
        return False

    def lbp(self, tok: Token) -> int:
        kind, value, st = tok.kind, tok.value, self.st
        if kind == OP:
            if value in ("+", "-"):
                return ADD_BP
            if value in ("*", "/"):
                return 0 if st.bare_arg else MUL_BP
            if value in ("^", "**"):
                return POW_BP
            if value in ("!", "'"):
                return POST_BP
            if value == EVAL_BAR:  # applies to all of the member before it
                return OR_BP - 1
            if value == "_":  # below ^ so that x^2_i is read as (x^2)_i
                return POW_BP - 5
            if value in REL_OPS:
                return REL_BP
            if value == "&":
                return 0 if st.latex else AND_BP
            if value == "|":
                if st.abs_depth:
                    return 0
                return MUL_BP if st.latex or bar_opens_abs(self.toks, self.pos) else OR_BP
            return 0
        if kind == CMD:
            if value in MUL_CMDS or value == "div":
                return 0 if st.bare_arg else MUL_BP
            if value in REL_CMDS:
                return REL_BP
            if value in AND_CMDS:
                return AND_BP
            if value in OR_CMDS:
                return OR_BP
        if kind == WORD and value in ("and", "or"):
            return AND_BP if value == "and" else OR_BP
        if self.starts_operand(tok):
            if st.bare_arg and (self.is_function_start(tok) or self.is_euler_power(tok)):
                return 0
            return MUL_BP
        return 0

    def infix(self, tok: Token, left: Node) -> Node:
        kind, value = tok.kind, tok.value
        if kind == OP and value in ("+", "-"):
            self.advance()
            right = self.expr(ADD_BP)
            term = right if value == "+" else self.node("neg", [right], tok.col)
            return self.flat("add", left, term, tok)
        if (kind == OP and value in ("*", "/")) or (kind == CMD and (value in MUL_CMDS
                                                                      or value == "div")):
            self.advance()
            if value == "/" or value == "div":
                label = text_derivative(self, left)
                if label is not None:
                    return label
                right = self.expr(MUL_BP)
                return self.flat("mul", left, self.node("inv", [right], tok.col), tok)
            return self.flat("mul", left, self.expr(MUL_BP), tok)
        if kind == OP and value in ("^", "**", "!", "_", EVAL_BAR):
            from .powers import postfix  # late: powers.py imports this module

            return postfix(self, tok, left)
        if kind == OP and value == "'":
            self.advance()
            return left if left.kind == "deriv" else self.node("deriv", [left], left.col)
        if (kind == OP and value in REL_OPS) or (kind == CMD and value in REL_CMDS):
            self.advance()
            op = REL_OPS[value] if kind == OP else REL_CMDS[value]
            right = self.expr(REL_BP)
            last = left.args[-1] if left.kind == "and" else left
            if last.kind == "rel":  # 0 < x < 1 (< 2 ...)
                chained = self.node("rel", [op, last.args[2], right], tok.col)
                if last is left:
                    return self.node("and", [left, chained], tok.col)
                left.args.append(chained)
                return left
            return self.node("rel", [op, left, right], tok.col)
        if kind in (OP, CMD, WORD) and self.lbp(tok) in (AND_BP, OR_BP) and not (
                kind == OP and value == "|" and self.st.latex):
            self.advance()
            which = "and" if self.lbp(tok) == AND_BP or value in ("&", "and") else "or"
            bp = AND_BP if which == "and" else OR_BP
            return self.flat(which, left, self.expr(bp), tok)
        # implicit multiplication
        if kind == NUM and self.pos > 0 and self.toks[self.pos - 1].kind == NUM:
            raise ParseError("missing operator between two numbers", tok.col)
        return self.flat("mul", left, self.expr(MUL_BP), tok)

    def on_last(self, left: Node, make: Callable[[Node], Node]) -> Node:
        """Apply a postfix/power to ``left``; for a split letter run (``xy^2``) only to its
        last letter."""
        if left.kind == "mul" and left.tok is not None and left.tok.kind == NAME:
            left.args[-1] = make(left.args[-1])
            return left
        return make(left)

    def flat(self, kind: str, left: Node, right: Node, tok: Token) -> Node:
        if left.kind == kind and left.tok is None:
            left.args.append(right)
            return left
        return self.node(kind, [left, right], left.col)

    # -- prefix --------------------------------------------------------------------------------
    def prefix(self, rbp: int) -> Node:
        tok = self.advance()
        kind, value, st = tok.kind, tok.value, self.st
        if kind == NUM:
            return self.node("num", list(parse_number(value)), tok.col, tok)
        if kind == NAME:
            return resolve_name(self, tok)
        if kind == WORD:
            return resolve_word(self, tok)
        if kind == CMD:
            handler = PREFIX_COMMANDS.get(value)
            if handler is None:
                if value in CHAIN_CMDS or value in REL_CMDS or value in MUL_CMDS:
                    raise self.error(tok)
                raise ParseError(f"unknown command \\{value}", tok.col)
            return handler(self, tok)
        if kind == OPEN:
            return bracketed(self, tok)
        if kind == OP:
            if value == "|":
                return abs_bars(self, tok)
            if value in ("-", "+", "~"):
                operand = self.expr(max(NEG_BP, rbp))
                if value == "+":
                    return operand
                return self.node("neg" if value == "-" else "not", [operand], tok.col)
        if kind == BEGIN and ENVIRONMENT:
            return ENVIRONMENT[0](self, tok)
        raise self.error(tok)

    # -- names and calls -----------------------------------------------------------------------
    def next_is_paren(self) -> bool:
        tok = self.peek()
        return tok.kind == OPEN and tok.value == "("

    def sym(self, name: str, tok: Token) -> Node:
        return self.node("sym", [name], tok.col, tok)

    def call(self, name: str, tok: Token, *, user: bool = False, power: Node | None = None) -> Node:
        """Parse the arguments of ``name`` (a canonical built-in, or a user function)."""
        from .calls import parse_call  # late: calls.py imports this module

        return parse_call(self, name, tok, user=user, power=power)
