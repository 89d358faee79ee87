"""The witness point in the student's own symbols.

An answer written in ``p_i`` (defined as ``1/(1+exp(-a_i))``, ``a_i = w*x_i``) is told the point
where it differs as the values of *its* symbols: ``at p_i=0.347, x_i=1.73, y_i=1 (w=0.589)``,
the sampled symbols it does not name in parentheses. The values of the defined symbols are
computed at the (already printed, re-verified) sampled point in 200-bit arithmetic, rounded to 3
significant digits (then 4, 6, 10, 17), and the answer as written is evaluated again at exactly
those printed values; the first rounding where it still differs from the key (evaluated at the
printed sampled point) is the witness shown, with the values computed there.

>>> import sympy
>>> from grader.engine.context import GradingContext
>>> ctx = GradingContext.from_json({"definitions": {"a_i": "w*x_i"}, "domain": {"w": [-1, 1], "x_i": [-1, 1]}})
>>> a, w, x = (sympy.Symbol(n, real=True) for n in ("a_i", "w", "x_i"))
>>> s = in_student_symbols(2 * a, w * x, {"w": 0.5, "x_i": 0.4}, ctx)
>>> s.point, s.hidden, s.answer, s.expected
({'a_i': 0.2}, {'w': 0.5, 'x_i': 0.4}, 0.4, 0.2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

import mpmath
import sympy

from grader.engine.errors import EngineError
from grader.engine.tape import Tape
from grader.engine.witness_print import _NOISE, MP_PREC, SIG_DIGITS, exact_value, rounded

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.context import GradingContext


@dataclass(frozen=True)
class StudentWitness:
    """The point in the answer's own symbols (defined ones rounded as printed), the sampled
    symbols the answer does not name, and both sides evaluated at exactly the printed values."""

    point: dict[str, float]
    hidden: dict[str, float]
    answer: float
    expected: float
    difference: float


def _real(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def defined_names(written: sympy.Expr, point: Mapping[str, float], ctx: "GradingContext") -> list[str]:
    """The defined symbols the answer is written in (and the point does not already give)."""
    return sorted(s.name for s in written.free_symbols if s.name in ctx.symbol_definitions and s.name not in point)


def _as_written(written: sympy.Expr, defined: list[str], ctx: "GradingContext") -> sympy.Expr:
    """``written`` with function definitions substituted but the defined symbols kept as symbols
    (they are the coordinates the student reads)."""
    hold = {_real(n): sympy.Symbol(f"_held_{n}", real=True) for n in defined}
    back = {v: k for k, v in hold.items()}
    return ctx.substitute(written.xreplace(hold)).xreplace(back)


def in_student_symbols(written: sympy.Expr, key: sympy.Expr, point: Mapping[str, float],
                       ctx: "GradingContext", *, tolerance: float = 0.0) -> StudentWitness | None:
    """The witness ``point`` (sampled symbols, as printed) in the symbols of ``written``; None when
    the answer uses no defined symbol, a value is undefined, or no rounding still differs.

    ``tolerance`` > 0: a relative difference within it is no difference (decimal answers).
    """
    defined = defined_names(written, point, ctx)
    if not defined:
        return None
    sampled = sorted(point)
    inputs = [_real(n) for n in sampled]
    try:
        student = _as_written(written, defined, ctx)
        used = sorted(s.name for s in student.free_symbols)
        if not set(used) <= set(defined) | set(point):
            return None
        answer_tape = Tape.from_expr(student, [_real(n) for n in used])
        key_tape = Tape.from_expr(key, inputs)
        value_tapes = {n: Tape.from_expr(ctx.substitute(_real(n)), inputs) for n in defined}
    except (EngineError, TypeError, ValueError):
        return None
    exact = {n: point[n] for n in sampled}
    k, k_scale = exact_value(key_tape, exact)
    values = {n: exact_value(t, exact)[0] for n, t in value_tapes.items()}
    if k is None or any(v is None for v in values.values()):
        return None
    shown_sampled = [n for n in used if n in point]
    hidden = {n: point[n] for n in sampled if n not in used}
    tried: list[dict[str, float]] = []
    for digits in SIG_DIGITS:
        p = {**{n: rounded(float(values[n]), digits) for n in defined if n in used},
             **{n: point[n] for n in shown_sampled}}
        if p in tried:
            continue
        tried.append(p)
        a, a_scale = exact_value(answer_tape, p)
        if a is None:
            continue
        with mpmath.workprec(MP_PREC):
            noise = _NOISE * max(k_scale, a_scale, abs(a), abs(k))
            if abs(a - k) > tolerance * max(abs(a), abs(k)) + noise:
                kf = 0.0 if abs(k) <= _NOISE * max(k_scale, abs(k)) else float(k)
                af = 0.0 if abs(a) <= _NOISE * max(a_scale, abs(a)) else float(a)
                return StudentWitness(p, hidden, af, kf, float(a - k))
    return None
