"""From key text to expressions: parsing keys with our parser, computing derivative keys.

A derivative key ``derivative_of: {function: F, wrt: w}`` is ``sympy.diff`` of ``F`` after the
question's definitions are substituted, except the definition of ``w`` itself: ``w`` stays the
variable, and every name defined through it (``p_i`` through ``a_i``) keeps depending on it.
Nothing here calls ``sympify`` or ``parse_expr`` on text: all text goes through ``parse``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from cachetools.func import lru_cache
from typing import Iterable

import sympy

from grader.assignments.errors import AssignmentError, Problem
from grader.assignments.model import (
    AdTableQuestion,
    AssignmentSpec,
    ContextSpec,
    Derivative,
    ExpressionQuestion,
    Interval,
    LimitQuestion,
    NumberQuestion,
    PiecewiseQuestion,
    Question,
)
from grader.engine.context import GradingContext
from grader.engine.errors import ContextError, ParseError
from grader.engine.parsing import NameContext, parse

TEMPLATE_SYMBOL = "D"


class KeyFieldError(Exception):
    """A key field that cannot be read: (field, message). Turned into a ``Problem`` by callers."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def symbol(name: str) -> sympy.Symbol:
    """Our parser's symbols are real."""
    return sympy.Symbol(name, real=True)


@lru_cache(maxsize=512)
def grading_context(spec: ContextSpec, drop: frozenset[str] = frozenset()) -> GradingContext:
    """The engine's context of a question (``drop`` leaves some definitions out), validated by
    ``GradingContext.from_json`` and with every definition resolved (``KeyFieldError`` if bad)."""
    raw: dict = {
        "definitions": {k: v for k, v in spec.definitions if k not in drop},
        "domain": {k: [v.lo, v.hi] if isinstance(v, Interval) else {"values": list(v.values)}
                   for k, v in spec.domain},
    }
    if spec.allowed is not None:
        raw["allowed"] = list(spec.allowed)
    if spec.tolerance is not None:
        raw["tolerance"] = spec.tolerance
    try:
        ctx = GradingContext.from_json(raw)
        ctx.substitute(sympy.Integer(0))  # resolves (and so checks) every definition now
    except ContextError as exc:
        m = _CONTEXT_MESSAGE.match(str(exc))
        if m is None:
            raise KeyFieldError("context", str(exc)) from None
        field = m["field"] + (f".{m['name']}" if m["name"] else "")
        raise KeyFieldError(field, m["rest"]) from None
    return ctx


_CONTEXT_MESSAGE = re.compile(r"^context\.(?P<field>\w+)(?:\[(?P<q>['\"])(?P<name>.*?)(?P=q)\])?[:\s]*(?P<rest>.*)$", re.S)


def names_for(spec: ContextSpec, extra: Iterable[str] = ()) -> NameContext:
    """Names the parser must know for a question, plus ``extra`` symbols."""
    base = grading_context(spec).names
    return NameContext(symbols=frozenset(base.symbols | set(extra)), functions=dict(base.functions))


def parse_field(text: str, names: NameContext, field: str, *, syntax: str = "auto") -> sympy.Expr:
    """Parse one field of a key; a ``ParseError`` becomes ``KeyFieldError(field, ...)``."""
    try:
        return parse(text, syntax=syntax, names=names).expr
    except ParseError as exc:
        raise KeyFieldError(field, str(exc)) from None


def derivative(d: Derivative, spec: ContextSpec, field: str) -> sympy.Expr:
    """d F / d wrt, definitions substituted except wrt's own; put into the template if any."""
    names = names_for(spec, [d.wrt])
    f = parse_field(d.function, names, f"{field}.function")
    ctx = grading_context(spec, frozenset({d.wrt}))
    result = sympy.diff(ctx.substitute(f), symbol(d.wrt))
    if d.template:
        t = parse_field(d.template, names_for(spec, [d.wrt, TEMPLATE_SYMBOL]), f"{field}.template")
        result = t.xreplace({symbol(TEMPLATE_SYMBOL): result})
    return result


def piecewise(q: PiecewiseQuestion) -> sympy.Piecewise:
    """The key of a piecewise question as one ``sympy.Piecewise`` (regions in order)."""
    names = names_for(q.context)
    pairs = []
    for i, case in enumerate(q.cases):
        value = parse_field(case.value, names, f"cases[{i}].value")
        cond = condition(case.when, names, f"cases[{i}].when")
        pairs.append((value, cond))
    return sympy.Piecewise(*pairs, evaluate=False)


def condition(text: str, names: NameContext, field: str) -> sympy.Basic:
    """A region condition (``y_i a_i < 1``, or ``otherwise`` for the last region), read through
    the parser's Piecewise support (a bare condition is not a value)."""
    if text.strip().lower() == "otherwise":
        return sympy.true
    prefix = "Piecewise((1, "
    try:
        expr = parse(f"{prefix}{text}))", syntax="text", names=names).expr
    except ParseError as exc:
        column = None if exc.column is None else max(1, exc.column - len(prefix))
        raise KeyFieldError(field, str(ParseError(exc.message, column))) from None
    if isinstance(expr, sympy.Piecewise):
        return expr.args[0][1]
    if expr == 1:  # the parser folded an always-true condition away
        return sympy.true
    raise KeyFieldError(field, f"not a condition: {text!r}")


@dataclass(frozen=True)
class Key:
    """A question's expected answer as an expression (duck-types ``Parsed`` for ``check_answer``)."""

    expr: sympy.Expr
    inexact: bool = False
    reference: Derivative | None = None   # the derivative the key must agree with


@lru_cache(maxsize=512)
def key_of(q: Question) -> Key | None:
    """The compiled key of an expression-like question (None for ad_table and free_text)."""
    names = names_for(q.context)
    if isinstance(q, ExpressionQuestion):
        if q.derivative_of is not None:
            return Key(derivative(q.derivative_of, q.context, "derivative_of"), reference=q.derivative_of)
        parsed = _parse_key(q.key or "", names, "key")
        return Key(parsed.expr, parsed.inexact, q.check_against)
    if isinstance(q, PiecewiseQuestion):
        return Key(piecewise(q), reference=q.check_against)
    if isinstance(q, (NumberQuestion, LimitQuestion)):
        parsed = _parse_key(q.value, names, "value")
        if parsed.expr.free_symbols:
            raise KeyFieldError("value", "must be a number (it has symbols "
                            + ", ".join(sorted(s.name for s in parsed.expr.free_symbols)) + ")")
        return Key(parsed.expr, parsed.inexact)
    return None


def _parse_key(text: str, names: NameContext, field: str):  # -> Parsed
    try:
        return parse(text, names=names)
    except ParseError as exc:
        raise KeyFieldError(field, str(exc)) from None


def anticipated(q: Question) -> tuple[tuple[sympy.Expr, bool, str], ...]:
    """(expression, inexact, feedback) of each anticipated error."""
    names = names_for(q.context)
    out = []
    for i, a in enumerate(q.anticipated_errors):
        try:
            p = parse(a.answer, names=names)
        except ParseError as exc:
            raise KeyFieldError(f"anticipated_errors[{i}].answer", str(exc)) from None
        out.append((p.expr, p.inexact, a.feedback))
    return tuple(out)


def compile_problems(assignment: AssignmentSpec) -> list[Problem]:
    """Every key, definition and anticipated error that does not parse, as Problems."""
    from grader.assignments.ad_graph import compile_table

    problems = []
    for q in assignment.questions:
        try:
            grading_context(q.context)
            key_of(q)
            anticipated(q)
            if isinstance(q, AdTableQuestion):
                compile_table(q)
        except KeyFieldError as exc:
            problems.append(Problem(assignment.source, q.id, exc.field, exc.message.lstrip(": ")))
    return problems


def require(assignment: AssignmentSpec, q: Question) -> Key | None:
    """``key_of`` raising ``AssignmentError`` (named) instead of ``KeyFieldError``."""
    try:
        return key_of(q)
    except KeyFieldError as exc:
        raise AssignmentError(Problem(assignment.source, q.id, exc.field, exc.message)) from None
