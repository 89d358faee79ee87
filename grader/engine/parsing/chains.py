"""Derivation chains and assignments: ``A = B = \\boxed{C}``, ``w \\leftarrow e``, labels.

The final value is the last ``\\boxed`` part when there is one, else the last member. Members
made of derivative notation (``\\frac{dl_i}{dw}``, ``d/dx(x^2)``, ``\\tanh'(x)``, ``\\nabla_w L``,
``\\lim_{s \\to 0} ...``: see labels.py) and assignment targets are labels; a label as the final
value restates the question and is refused. A leading ``=`` (``= 0.3``) continues the question's
left side. With a box, members that cannot be read are skipped; without one, every member must
be readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.engine.errors import LimitExceeded, ParseError

from .labels import LIMIT, is_limit
from .latex import environment_rows, split_top
from .nodes import Node, State, has_derivative, last_box
from .pratt import CHAIN_CMDS, Parser
from .tokens import BEGIN, CMD, END, EOF, Token

DERIVATIVE_OPERATOR = "this is a derivative operator, not an expression for the derivative"
ALIGNED = frozenset({"aligned", "align", "align*", "gathered", "gather", "gather*", "split",
                     "alignedat", "eqnarray", "eqnarray*"})


def is_chain_separator(tok: Token) -> bool:
    return tok.is_op("=", ":=") or (tok.kind == CMD and tok.value in CHAIN_CMDS)


def is_assignment(tok: Token) -> bool:
    return tok.is_op(":=") or (tok.kind == CMD and tok.value in CHAIN_CMDS)


def without_alignment(toks: list[Token]) -> list[Token]:
    """An aligned row as a chain: drop depth-0 ``&`` and a leading ``=`` (``&= x + 1``)."""
    row = [t for part, _ in split_top(toks, lambda t: t.is_op("&")) for t in part]
    return row[1:] if row and row[0].is_op("=") else row


@dataclass
class Chain:
    final: Node
    boxed: bool
    members: list[tuple[Node, list[Token]]]


def _has_box(toks: list[Token]) -> bool:
    env = 0
    for tok in toks:
        if tok.kind == BEGIN:
            env += 1
        elif tok.kind == END:
            env -= 1
        elif env == 0 and tok.kind == CMD and tok.value == "boxed":
            return True
    return False


def parse_tokens(toks: list[Token], st: State, end_col: int) -> Node:
    return Parser(toks + [Token(EOF, "", end_col, end_col)], st).parse_all()


def chain(toks: list[Token], st: State, *, end: Token) -> Chain:
    """Read a chain of members separated by ``=``, ``:=`` or ``\\leftarrow``."""
    parts = split_top(toks, is_chain_separator)
    previous: Token | None = None
    if len(parts) > 2 or (len(parts) == 2 and parts[1][0]):
        if not parts[0][0] and parts[0][1] is not None and parts[0][1].is_op("="):
            previous = parts[0][1]  # "= 0.3": a table cell or a step continuing the question's
            parts = parts[1:]       # left side (as an aligned row's "&= ...")
    segs: list[tuple[list[Token], Node | None, bool, bool, ParseError | None]] = []
    for part, sep in parts:
        if not part:
            where = sep or previous or end
            side = "before" if sep is not None else "after"
            raise ParseError(f"nothing {side} {where.describe()}", where.col)
        label = sep is not None and is_assignment(sep)
        try:
            node, error = parse_tokens(part, st, (sep or end).col), None
        except LimitExceeded:
            raise
        except ParseError as exc:
            node, error = None, exc
        segs.append((part, node, label, _has_box(part), error))
        previous = sep
    any_box = any(boxed and not label for _, _, label, boxed, _ in segs)
    for _, _, label, boxed, error in segs:
        if error is not None and not label and (boxed or not any_box):
            raise error
    if any_box:
        node = [n for _, n, label, boxed, _ in segs if boxed and not label][-1]
        assert node is not None
        final = last_box(node) or node
    else:
        final = segs[-1][1]
        assert final is not None
    if has_derivative(final):
        raise ParseError(LIMIT if is_limit(final) else DERIVATIVE_OPERATOR, final.col)
    members = [(n, part) for part, n, label, _, _ in segs
               if n is not None and not label and not has_derivative(n)]
    return Chain(final, any_box, members)


def chain_final(toks: list[Token], st: State, *, end: Token) -> Node:
    return chain(toks, st, end=end).final


def parse_top(tokens: list[Token], st: State) -> Chain:
    """The whole answer; a top-level aligned environment is graded on its last row."""
    eof = tokens[-1]
    first = tokens[0]
    if first.kind == BEGIN and first.value in ALIGNED:
        p = Parser(tokens, st)
        p.advance()
        rows, end = environment_rows(p, first)
        if p.peek().kind == EOF:
            if not rows:
                raise ParseError("empty answer")
            results: list[Chain] = []
            for i, row in enumerate(rows):
                try:
                    results.append(chain(without_alignment(row), st, end=end))
                except LimitExceeded:
                    raise
                except ParseError:
                    if i == len(rows) - 1:
                        raise
            last = results[-1]
            members = [m for r in results for m in r.members]
            return Chain(last.final, last.boxed, members)
    return chain(tokens[:-1], st, end=eof)
