"""Names to nodes: context symbols and functions, built-ins, constants, Greek, and splitting
unknown letter runs into single-letter symbols (``wx_i`` -> w*x_i)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.engine.errors import ParseError

from .names import GREEK, KEYWORDS, function_name, split_word
from .nodes import Node
from .tokens import NAME, Token

if TYPE_CHECKING:
    from .pratt import Parser

# whole words for infinity in text (sympy prints oo); \infty and ∞ in LaTeX
INFINITY_WORDS = frozenset({"oo", "inf", "infty", "infinity"})
_MAX_SPLIT = 40  # longest letter run read as a product of single letters


def known(p: "Parser", word: str, tok: Token) -> Node | None:
    """A whole known name without subscript: function call, constant, Greek, or None."""
    names, st = p.st.names, p.st
    if word in names.symbols:
        return p.sym(word, tok)
    if word in names.functions:
        return p.call(word, tok, user=True)
    canonical = function_name(word, names)
    if canonical is not None and not (word == "sigma" and not p.next_is_paren()):
        return p.call(canonical, tok)
    if word == "e":
        return p.node("const", ["E"], tok.col, tok)
    if word == "pi":
        return p.node("const", ["pi"], tok.col, tok)
    if word in INFINITY_WORDS and not all(c in names.symbols for c in word):
        return p.node("const", ["oo"], tok.col, tok)  # oo, inf: unless o, i, n, f are declared
    if not st.latex and word in ("E", "True", "False"):
        return p.node("const", [{"E": "E", "True": "true", "False": "false"}[word]],
                      tok.col, tok)
    if word in GREEK:
        return p.sym(word, tok)
    return None


def resolve_name(p: "Parser", tok: Token) -> Node:
    word, sub, names = tok.value, tok.sub, p.st.names
    full = f"{word}_{sub}" if sub is not None else word
    if full in names.symbols:
        return p.sym(full, tok)
    if sub is None:
        found = known(p, word, tok)
        if found is not None:
            return found
    elif function_name(word, names) == "log" and word != "ln":  # log_2(x), log_10 x
        from .calls import with_log_base  # late: calls imports the parser

        return with_log_base(p, p.call("log", tok), sub, tok)
    if len(word) == 1 or word in GREEK or word in names.symbols or word in ("e", "pi"):
        return p.sym(full, tok)
    if not p.st.latex and any(c.isdigit() for c in word):  # x1, w0, alpha2: a single symbol
        letters = word.rstrip("0123456789")
        if (len(letters) == 1 or letters in GREEK) and letters != word and letters.isalpha():
            return p.sym(full, tok)
        raise ParseError(f"unknown name {word}", tok.col)
    if len(word) > _MAX_SPLIT:
        raise ParseError(f"unknown name {word[:_MAX_SPLIT]}...", tok.col)
    pieces = split_word(word, names, text_mode=not p.st.latex)
    is_fn = [p.is_function_start(Token(NAME, piece, tok.col, tok.end)) for piece in pieces]
    if any(is_fn[:-1]) or (is_fn[-1] and sub is not None):
        raise ParseError(f"unknown name {word} (write a function's argument in "
                         f"parentheses, e.g. sin(x))", tok.col)
    if not is_fn[-1] and p.next_is_paren() and not _declared_letters(pieces, sub, p):
        raise ParseError(f"unknown function {word}", tok.col)
    factors: list[Node] = []
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        ptok = Token(NAME, piece, tok.col + sum(map(len, pieces[:i])), tok.end)
        if last and sub is not None:
            factors.append(p.sym(f"{piece}_{sub}", ptok))
        else:
            factors.append(known(p, piece, ptok) or p.sym(piece, ptok))
    node = p.node("mul", factors, tok.col)
    node.tok = tok  # a unit: implicit products after it must not flatten into it
    return node


def _declared_letters(pieces: list[str], sub: str | None, p: "Parser") -> bool:
    """``xy(1-x)`` with x and y declared, ``wx_i(1-x_i)`` with w and x_i: a product before the
    parenthesis, not a function (a run of undeclared names stays an unknown function)."""
    symbols = p.st.names.symbols
    if sub is not None:
        pieces = [*pieces[:-1], f"{pieces[-1]}_{sub}"]
    return all(piece in symbols or piece in GREEK for piece in pieces) and any(
        piece in symbols for piece in pieces)


def resolve_word(p: "Parser", tok: Token) -> Node:
    """``\\text{logistic}``, ``\\mathrm{e}``, ``\\operatorname{asin}``: one whole name."""
    if tok.value in KEYWORDS or " " in tok.value:
        raise p.error(tok)
    if tok.sub is not None:
        return p.sym(f"{tok.value}_{tok.sub}", tok)
    found = known(p, tok.value, tok)
    if found is not None:
        return found
    if len(tok.value) == 1 or tok.value in p.st.names.symbols:
        return p.sym(tok.value, tok)
    if p.next_is_paren():
        raise ParseError(f"unknown function {tok.value}", tok.col)
    return p.sym(tok.value, tok)


def is_text_derivative(p: "Parser", left: Node) -> bool:
    """``dl/dw``, ``d/dx`` (at the ``/``): Leibniz notation in text, a label, not a value."""
    from .latex import is_differential  # late: latex imports the parser

    lead = left
    while lead.tok is None and lead.kind in ("mul", "pow") and lead.args:
        lead = lead.args[0]  # d(x^2)/dx, d^2y/dx^2: the d leads the numerator
    if lead is not left and lead.tok is not None and lead.tok.value in p.st.names.symbols:
        return False  # d declared: d(x+1)/dx is a quotient
    return (lead.tok is not None and is_differential(lead.tok, p, alone_ok=True)
            and is_differential(p.peek(), p, alone_ok=False))
