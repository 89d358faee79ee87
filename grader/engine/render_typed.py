"""The answer as typed: the parser's own tree drawn as MathML and text, before sympy touches it.

sympy reorders and cancels as it builds (``-2(y_i-p_i)`` becomes ``2p_i - 2y_i``); the preview
must show the student's own factors, fractions and order, with only notation normalised. This
module reads the parser's node tree (``nodes.Node``), never the built sympy expression, so it
does not depend on how ``build`` constructs values. Pure: stdlib and the parser only.

>>> typed = read_typed("-2(y_i-p_i)")
>>> typed.text
'-2*(y_i - p_i)'
>>> sorted(typed.symbols)
['p_i', 'y_i']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Iterable

from grader.engine.errors import ParseError
from grader.engine.limits import DEFAULT_LIMITS, Limits
from grader.engine.parsing.api import NON_ANSWERS, _strip_math
from grader.engine.parsing.chains import parse_top
from grader.engine.parsing.lexer import detect_syntax, tokenize
from grader.engine.parsing.names import EMPTY_CONTEXT, NameContext, is_known_word, split_word
from grader.engine.parsing.nodes import Node, State
from grader.engine.parsing.normalize import normalize
from grader.engine.parsing.tokens import NAME

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_GREEK_LETTERS = dict(zip(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta "
    "Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(),
    "αβγδϵεζηθϑικλμνξοπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ"))
_RELATION_SIGNS = {"<": "<", ">": ">", "<=": "≤", ">=": "≥", "==": "=", "!=": "≠"}
_CALL_NAMES = {"Abs": "abs", "Max": "max", "Min": "min", "Heaviside": "H", "sign": "sgn"}
# a letter run of this many single letters or more reads as a word, not as a product
WORD_LETTERS = 3


@dataclass(frozen=True)
class WordProduct:
    """A run of letters read as a product of single-letter symbols (``zero`` as z·e·r·o)."""

    word: str
    pieces: tuple[str, ...]
    column: int


@dataclass(frozen=True)
class Typed:
    """An answer as typed: MathML (a whole ``<math>`` element), text, symbols, word products."""

    mathml: str
    text: str
    symbols: frozenset[str]
    functions: frozenset[str]
    words: tuple[WordProduct, ...]


def read_typed(text: str, *, syntax: str = "auto", names: NameContext | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Typed:
    """Read ``text`` with the parser and draw its tree as written. Raises ``ParseError`` like
    ``parse`` for unreadable input (the caller normally parses first and reports that)."""
    if not text.strip() or text.strip().lower() in NON_ANSWERS:
        raise ParseError("empty answer")
    context = names if names is not None else EMPTY_CONTEXT
    mode = detect_syntax(text) if syntax == "auto" else syntax
    src, where = normalize(text, latex=mode == "latex")
    src, where = _strip_math(src, where)
    tokens, _inexact = tokenize(src, where, latex=mode == "latex", limits=limits)
    chain = parse_top(tokens, State(context, limits, mode == "latex"))
    node = chain.final
    return Typed(
        mathml=f'<math xmlns="{MATHML_NS}">{_ml(node)}</math>', text=_tx(node),
        symbols=frozenset(n.args[0] for n in _walk(node) if n.kind == "sym"),
        functions=frozenset(n.args[0] for n in _walk(node) if n.kind in ("call", "ufunc")),
        words=tuple(_words(tokens, context, text_mode=mode != "latex")),
    )


def _walk(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for a in n.args:
            if isinstance(a, Node):
                stack.append(a)
            elif isinstance(a, tuple):
                stack.extend(x for x in a if isinstance(x, Node))


def _words(tokens: list, names: NameContext, *, text_mode: bool) -> Iterable[WordProduct]:
    for tok in tokens:
        if tok.kind != NAME or len(tok.value) < WORD_LETTERS or is_known_word(tok.value, names, text_mode=text_mode):
            continue
        pieces = split_word(tok.value, names, text_mode=text_mode)
        run = longest = 0
        for piece in pieces:
            run = run + 1 if len(piece) == 1 else 0
            longest = max(longest, run)
        if longest >= WORD_LETTERS:
            yield WordProduct(tok.value, tuple(pieces), tok.col)


# --- MathML ---------------------------------------------------------------------------------

def _mi(name: str) -> str:
    return f"<mi>{escape(_GREEK_LETTERS.get(name, name))}</mi>"


def _mo(op: str) -> str:
    return f"<mo>{escape(op)}</mo>"


def _row(*parts: str) -> str:
    return "<mrow>" + "".join(parts) + "</mrow>"


def _paren(inner: str) -> str:
    return _row(_mo("("), inner, _mo(")"))


def _symbol(name: str) -> str:
    base, _, sub = name.partition("_")
    if not sub:
        return _mi(base)
    sub = sub[1:-1] if sub.startswith("{") and sub.endswith("}") else sub
    sub_ml = "".join(_mo(c) if c in "+-," else (f"<mn>{c}</mn>" if c.isdigit() else _mi(c))
                     for c in re.findall(r"[A-Za-z]+|\d+|.", sub))
    return f"<msub>{_mi(base)}{_row(sub_ml)}</msub>"


def _number(p: int, q: int) -> str:
    if q == 1:
        return str(p)
    digits = len(str(q)) - 1
    if q == 10 ** digits:  # a decimal as typed (1.5 is 15/10)
        sign, p = ("-", -p) if p < 0 else ("", p)
        whole, frac = divmod(p, q)
        return f"{sign}{whole}.{str(frac).rjust(digits, '0')}".rstrip("0").rstrip(".")
    return f"{p}/{q}"


def _tight(node: Node) -> bool:
    """Needs no parentheses as a factor, base or argument."""
    return node.kind in ("num", "sym", "const", "call", "ufunc", "fact", "box", "pw") or (
        node.kind == "pow")


def _ml(node: Node) -> str:
    kind, args = node.kind, node.args
    if kind == "num":
        return f"<mn>{_number(*args)}</mn>"
    if kind == "sym":
        return _symbol(args[0])
    if kind == "const":
        return _mi({"E": "e", "pi": "π"}.get(args[0], args[0]))
    if kind == "add":
        parts = [_ml(args[0])]
        for a in args[1:]:
            parts.append(_mo("−") + _signed(a.args[0]) if a.kind == "neg" else _mo("+") + _ml(a))
        return _row(*parts)
    if kind == "neg":
        return _row(_mo("−"), _signed(args[0]))
    if kind == "mul":
        return _product(args)
    if kind == "inv":
        return f"<mfrac><mn>1</mn>{_row(_ml(args[0]))}</mfrac>"
    if kind == "pow":
        base = _ml(args[0]) if args[0].kind in ("num", "sym", "const", "call", "ufunc") else _paren(_ml(args[0]))
        return f"<msup>{_row(base)}{_row(_ml(args[1]))}</msup>"
    if kind == "fact":
        inner = _ml(args[0]) if args[0].kind in ("num", "sym") else _paren(_ml(args[0]))
        return _row(inner, _mo("!"))
    if kind in ("call", "ufunc"):
        return _call(args[0], args[1:])
    if kind == "pw":
        rows = "".join(
            f"<mtr><mtd columnalign=\"left\">{_row(_ml(v))}</mtd><mtd columnalign=\"left\">"
            + ("<mtext>&#160;otherwise</mtext>" if c.kind == "const" and c.args[0] == "true"
               else f"<mtext>&#160;if&#160;</mtext>{_row(_ml(c))}") + "</mtd></mtr>"
            for v, c in args)
        return _row('<mo stretchy="true">{</mo>', f"<mtable>{rows}</mtable>")
    if kind == "rel":
        return _row(_ml(args[1]), _mo(_RELATION_SIGNS.get(args[0], args[0])), _ml(args[2]))
    if kind in ("and", "or"):
        joiner = _mo(" and " if kind == "and" else " or ")
        return _row(*[(joiner if i else "") + _ml(a) for i, a in enumerate(args)])
    if kind == "not":
        return _row(_mo("¬"), _paren(_ml(args[0])))
    if kind == "box":
        return f'<menclose notation="box">{_row(_ml(args[0]))}</menclose>'
    return "<mtext>(derivative operator)</mtext>"


def _signed(node: Node) -> str:
    """A term after a minus sign: a sum needs parentheses."""
    return _paren(_ml(node)) if node.kind in ("add", "neg") else _ml(node)


def _factor(node: Node) -> str:
    return _paren(_ml(node)) if node.kind in ("add", "neg", "rel") else _ml(node)


def _product(args: list) -> str:
    """Factors in the order typed; ``a/b`` (a factor then ``inv``) as a fraction of what came
    before it, so ``\\frac{u}{v}`` stays a fraction and ``a/b*c`` stays (a/b)·c."""
    parts: list[tuple[str, Node | None]] = []
    for a in args:
        if a.kind == "inv" and parts:
            numerator = _join(parts)
            parts = [(f"<mfrac>{_row(numerator)}{_row(_ml(a.args[0]))}</mfrac>", None)]
        else:
            parts.append((_factor(a), a))
    return _row(_join(parts))


def _join(parts: list[tuple[str, Node | None]]) -> str:
    out = []
    for i, (ml, node) in enumerate(parts):
        if i:
            # a dot between two numbers (2·3) or before a number; juxtaposition otherwise
            needs_dot = node is not None and node.kind == "num"
            out.append(_mo("·") if needs_dot else "<mo>&#8290;</mo>")
        out.append(ml)
    return "".join(out)


def _call(name: str, args: list) -> str:
    if name == "sqrt" and len(args) == 1:
        return f"<msqrt>{_row(_ml(args[0]))}</msqrt>"
    if name == "Abs" and len(args) == 1:
        return _row(_mo("|"), _ml(args[0]), _mo("|"))
    inner = _row(*[(_mo(",") if i else "") + _ml(a) for i, a in enumerate(args)])
    return _row(_mi(_CALL_NAMES.get(name, name)), "<mo>&#8289;</mo>", _paren(inner))


# --- text -----------------------------------------------------------------------------------

def _tx(node: Node) -> str:
    kind, args = node.kind, node.args
    if kind == "num":
        return _number(*args)
    if kind == "sym":
        return args[0]
    if kind == "const":
        return {"E": "e"}.get(args[0], args[0])
    if kind == "add":
        out = _tx(args[0])
        for a in args[1:]:
            out += f" - {_tx_signed(a.args[0])}" if a.kind == "neg" else f" + {_tx(a)}"
        return out
    if kind == "neg":
        return "-" + _tx_signed(args[0])
    if kind == "mul":
        out = ""
        for i, a in enumerate(args):
            if a.kind == "inv":
                out += ("/" if i else "1/") + _tx_tight(a.args[0])
            else:
                out += ("*" if i else "") + _tx_tight(a)
        return out
    if kind == "inv":
        return "1/" + _tx_tight(args[0])
    if kind == "pow":
        return f"{_tx_tight(args[0])}^{_tx_tight(args[1])}"
    if kind == "fact":
        return _tx_tight(args[0]) + "!"
    if kind in ("call", "ufunc"):
        return f"{args[0]}({', '.join(_tx(a) for a in args[1:])})"
    if kind == "pw":
        return "Piecewise(" + ", ".join(f"({_tx(v)}, {_tx(c)})" for v, c in args) + ")"
    if kind == "rel":
        return f"{_tx(args[1])} {args[0]} {_tx(args[2])}"
    if kind in ("and", "or"):
        return f" {kind} ".join(_tx(a) for a in args)
    if kind == "not":
        return f"not ({_tx(args[0])})"
    if kind == "box":
        return _tx(args[0])
    return "(derivative operator)"


def _tx_signed(node: Node) -> str:
    return f"({_tx(node)})" if node.kind in ("add", "neg") else _tx(node)


def _tx_tight(node: Node) -> str:
    return _tx(node) if node.kind in ("num", "sym", "const", "call", "ufunc", "box") else f"({_tx(node)})"

