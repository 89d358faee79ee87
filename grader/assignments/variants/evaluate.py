"""Parameter expressions and ``where`` conditions, read by our parser and evaluated exactly.

Numbers are substituted as exact decimals (``0.1`` is 1/10), so ``w0*x0 + b0 != 0`` is decided
without binary rounding: 0.5*0.2 - 0.1 is 0, not 2.8e-17.
"""

from __future__ import annotations

import math
from cachetools.func import lru_cache
from typing import Any, Mapping

import sympy

from grader.engine.errors import ParseError
from grader.engine.parsing import NameContext, parse


def _names(allowed: frozenset[str]) -> NameContext:
    return NameContext(symbols=allowed, functions={})


@lru_cache(maxsize=1024)
def _expr(text: str, allowed: frozenset[str]) -> sympy.Expr:
    try:
        return parse(text, syntax="text", names=_names(allowed)).expr
    except ParseError as exc:
        raise ValueError(str(exc)) from None


@lru_cache(maxsize=1024)
def _condition(text: str, allowed: frozenset[str]) -> sympy.Basic:
    from grader.assignments.keys import KeyFieldError, condition

    try:
        return condition(text, _names(allowed), "where")
    except KeyFieldError as exc:
        raise ValueError(exc.message.lstrip(": ")) from None


def _is_condition(text: str) -> bool:
    return any(op in text for op in ("<", ">", "=", "≤", "≥", "≠"))


def free_names(text: str, allowed: set[str]) -> set[str]:
    """The names an expression or condition uses (ValueError when it does not parse)."""
    allowed_f = frozenset(allowed)
    expr = _condition(text, allowed_f) if _is_condition(text) else _expr(text, allowed_f)
    return {s.name for s in expr.free_symbols}


def exact(v: Any) -> sympy.Expr:
    """A parameter value as an exact sympy number (its shortest decimal)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{v!r} is not a number")
    return sympy.Integer(v) if isinstance(v, int) else sympy.Rational(repr(float(v)))


def _subs(expr: sympy.Basic, values: Mapping[str, Any]) -> sympy.Basic:
    return expr.xreplace({s: exact(values[s.name]) for s in expr.free_symbols if s.name in values})


def _numeric(values: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(k for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool))


def evaluate(text: str, values: Mapping[str, Any]) -> float:
    """The value of an ``expr`` parameter (ValueError when undefined or not real)."""
    result = _subs(_expr(text, _numeric(values)), values)
    number = complex(sympy.N(result, 30)) if result.is_number else None
    if number is None or number.imag != 0 or not math.isfinite(number.real):
        raise ValueError(f"{text} is not a real number at {_show(values)}")
    return float(f"{number.real:.12g}")


def satisfied(text: str, values: Mapping[str, Any]) -> bool:
    """Does the condition hold? An undefined side (a division by zero) makes it false."""
    try:
        cond = _subs(_condition(text, _numeric(values)), values)
    except TypeError:   # a side is undefined (1/0 is zoo): no order, so the draw is rejected
        return False
    if cond in (sympy.true, sympy.false):
        return bool(cond)
    try:
        return bool(cond.doit())
    except TypeError:   # a relation sympy cannot order (a nan or zoo side): reject the draw
        return False


def _show(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items() if isinstance(v, (int, float)))
