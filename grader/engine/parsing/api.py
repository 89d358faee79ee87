"""``parse()``: the one entry point, and its result types."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import sympy
from cachetools import LRUCache

from grader.engine.definedness import Guard
from grader.engine.errors import LimitExceeded, ParseError
from grader.engine.limits import DEFAULT_LIMITS, Limits

from . import latex  # noqa: F401  (registers the LaTeX commands with the parser)
from .build import Builder
from .chains import parse_top
from .lexer import detect_syntax, tokenize
from .names import EMPTY_CONTEXT, NameContext
from .nodes import State
from .normalize import normalize

_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


@dataclass(frozen=True)
class Member:
    """One valued member of a derivation chain: its value, source text and 1-based column."""

    expr: sympy.Expr
    text: str
    column: int


@dataclass(frozen=True)
class Parsed:
    """A parsed answer. ``expr`` is the final value (the boxed part when there is one)."""

    expr: sympy.Expr
    members: tuple[Member, ...]
    syntax: str
    inexact: bool
    boxed: bool
    # where the final value is undefined as written (grader.engine.definedness)
    guards: tuple[Guard, ...] = ()


def _strip_math(src: str, where: list[int]) -> tuple[str, list[int]]:
    """Drop one pair of surrounding math delimiters (``$...$``, ``\\(...\\)``, ``\\[...\\]``)."""
    left = len(src) - len(src.lstrip())
    right = len(src.rstrip())
    body = src[left:right]
    for open_, close in _DELIMITERS:
        if len(body) > len(open_) + len(close) and body.startswith(open_) and body.endswith(close):
            a, b = left + len(open_), right - len(close)
            return src[a:b], where[a:b]
    return src, where


_DELIMITER_DOT = re.compile(r"\\[A-Za-z]+\s*\.$")  # \right. \Bigr.


def _strip_full_stop(src: str, where: list[int]) -> tuple[str, list[int]]:
    """Drop the full stop or comma that ends a sentence: ``2x.``, ``$2x$,``. After a digit it
    stays: ``2.`` is a decimal number, and so does ``\\right.``, an invisible delimiter."""
    body = src.rstrip()
    if len(body) > 1 and body[-1] in ".," and not body[-2].isdigit() and body[-2] not in ".," \
            and not _DELIMITER_DOT.search(body):
        return src[:len(body) - 1], where[:len(body) - 1]
    return src, where


# whole answers that are prose for "no answer", never an expression
NON_ANSWERS = frozenset({"idk", "dunno", "none", "nothing", "n/a", "null", "nil", "undefined",
                         "unknown", "dne", "skip", "pass", "tbd", "?", "??", "???"})


def parse(text: str, *, syntax: str = "auto", names: NameContext | None = None,
          limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Parse a student's answer (text or LaTeX) into sympy, without eval.

    >>> parse(r"2(y_i - p_i)(-1) = \\boxed{2p_i - 2y_i}").expr
    2*p_i - 2*y_i
    """
    if not isinstance(text, str):
        raise ParseError("the answer must be text")
    if syntax not in ("auto", "text", "latex"):
        raise ValueError(f"syntax must be 'auto', 'text' or 'latex', not {syntax!r}")
    if len(text) > limits.max_length:
        raise LimitExceeded(f"answer too long ({len(text)} characters, limit {limits.max_length})")
    if not text.strip():
        raise ParseError("empty answer")
    if text.strip().lower() in NON_ANSWERS:
        # read as letters these would be a product of symbols (idk = i*d*k): a wrong "answer"
        # that costs an attempt, where the student wrote no expression at all
        raise ParseError(f"{text.strip()!r} is a word, not an expression")
    names = names if names is not None else EMPTY_CONTEXT
    memo = (text, syntax, names.symbols, tuple(sorted(names.functions.items())), limits)
    with _PARSES_LOCK:
        hit = _PARSES.get(memo)
    if hit is not None:
        return hit
    parsed = _parse_new(text, syntax, names, limits)
    with _PARSES_LOCK:
        _PARSES[memo] = parsed
    return parsed


# Parsing is pure and a Parsed is immutable: one answer is read once per process, however many
# times grading looks at it (check_answer, anticipated errors, the chain's steps, a boxed part).
_PARSES: LRUCache[tuple, Parsed] = LRUCache(maxsize=4096)
_PARSES_LOCK = threading.Lock()


def _parse_new(text: str, syntax: str, names: NameContext, limits: Limits) -> Parsed:
    mode = detect_syntax(text) if syntax == "auto" else syntax
    src, where = normalize(text, latex=mode == "latex")
    src, where = _strip_math(*_strip_full_stop(src, where))
    src, where = _strip_full_stop(src, where)
    tokens, inexact = tokenize(src, where, latex=mode == "latex", limits=limits)
    if len(tokens) == 1:
        raise ParseError("empty answer")
    st = State(names, limits, mode == "latex")
    try:
        return _parse_tokens(text, tokens, st, mode, inexact)
    except ParseError:
        raise
    except RecursionError:  # only reachable with a max_depth configured far above the default
        raise LimitExceeded("expression nested too deeply") from None
    except Exception as exc:  # sympy's own evaluation failing on a strange but legal input
        raise ParseError(f"cannot build this expression ({str(exc)[:80] or type(exc).__name__})"
                         ) from None


def _parse_tokens(text: str, tokens: list, st: State, mode: str, inexact: bool) -> Parsed:
    limits = st.limits
    chain = parse_top(tokens, st)
    builder = Builder(limits)
    expr = builder.value(chain.final)
    guards = builder.take_guards()
    members: list[Member] = []
    for node, toks in chain.members:
        try:
            value = builder.value(node)
        except LimitExceeded:
            raise
        except ParseError:
            if chain.boxed:
                continue
            raise
        source = text[toks[0].col - 1:toks[-1].end].strip()
        members.append(Member(value, source, toks[0].col))
        builder.take_guards()
    return Parsed(expr, tuple(members), mode, inexact, chain.boxed, guards)
