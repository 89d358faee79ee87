"""``\\begin{cases}`` (values may be chains) and aligned environments inside expressions."""

from __future__ import annotations

from grader.engine.errors import ParseError

from .chains import chain_final, parse_tokens, without_alignment
from .latex import split_top
from .nodes import Node
from .pratt import Parser
from .tokens import NAME, WORD, Token

_LEADING = frozenset({"if", "for", "when", "where"})
_OTHERWISE = frozenset({"otherwise", "else"})


def _condition_tokens(toks: list[Token]) -> list[Token]:
    """Drop a leading ``,`` / ``\\text{if}`` (any order) and a trailing comma."""
    i = 0
    while i < len(toks) and (toks[i].is_op(",") or
                             (toks[i].kind in (WORD, NAME) and toks[i].value in _LEADING)):
        i += 1
    toks = toks[i:]
    while toks and toks[-1].is_op(","):
        toks = toks[:-1]
    return toks


def _split_at_keyword(row: list[Token]) -> list[tuple[list[Token], Token | None]] | None:
    parts = split_top(row, lambda t: t.kind == WORD and t.value in _LEADING | _OTHERWISE)
    if len(parts) < 2 or not parts[0][0]:
        return None
    keyword = parts[0][1]
    assert keyword is not None
    rest = row[len(parts[0][0]):]  # keep the keyword: "otherwise" is the condition
    return [(parts[0][0], keyword), (rest, None)]


def cases_node(p: Parser, begin: Token, rows: list[list[Token]], end: Token) -> Node:
    pairs: list[tuple[Node, Node]] = []
    otherwise: list[tuple[Node, Node]] = []
    for row in rows:
        cells = split_top(row, lambda t: t.is_op("&"))
        if len(cells) == 1:  # "-y_i \text{ if } y_i a_i < 1" without the &
            cells = _split_at_keyword(row) or cells
        if len(cells) != 2:
            what = "missing & in" if len(cells) == 1 else "too many & in"
            raise ParseError(f"{what} a cases row", row[0].col)
        (value_toks, amp), (cond_toks, _) = cells
        assert amp is not None
        while value_toks and value_toks[-1].is_op(","):  # "-y_i, & y_i a_i < 1"
            value_toks = value_toks[:-1]
        if not value_toks:
            raise ParseError("missing value in a cases row", amp.col)
        value = chain_final(value_toks, p.st, end=amp)
        cond_toks = _condition_tokens(cond_toks)
        if not cond_toks:
            raise ParseError("missing condition in a cases row", amp.col)
        first = cond_toks[0]
        if len(cond_toks) == 1 and first.kind in (WORD, NAME) and first.value in _OTHERWISE:
            # "otherwise" means "in every other case" wherever a student writes the row
            otherwise.append((value, p.node("const", ["true"], first.col)))
            continue
        pairs.append((value, parse_tokens(cond_toks, p.st, row[-1].end + 1)))
    pairs += otherwise
    if not pairs:
        raise ParseError("empty cases", begin.col)
    return p.node("pw", pairs, begin.col)


def aligned_value(p: Parser, begin: Token, rows: list[list[Token]], end: Token) -> Node:
    if not rows:
        raise ParseError(f"empty {begin.value}", begin.col)
    return chain_final(without_alignment(rows[-1]), p.st, end=end)
