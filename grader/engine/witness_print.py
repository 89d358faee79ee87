"""A witness point a student can type back: short decimals, re-verified at the printed values.

A point found by sampling, a boundary probe or a wider search may print as ``x=1.5`` while it is
``1.50000001``, and at 1.5 the two answers may agree (a Piecewise switching there). So the point is
rounded to 3 significant digits (then 4, 6, 10, 17), both sides are evaluated again at exactly the
printed values in 200-bit arithmetic, and the first rounding where they still differ (for an
undefined answer: where it is still undefined and the key defined) is the witness shown, with the
values computed there. Values below the evaluation's rounding noise print as 0, never as 4e-61.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> w = reproducible(x**2, x**2 + sympy.Piecewise((1, x > 1.5), (0, True)), {"x": 1.5000001})
>>> w.point, w.answer, w.expected
({'x': 1.5000001}, 3.25000030000001, 2.25000030000001)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

import mpmath
import sympy

from grader.engine.context import Discrete, Domain, Interval
from grader.engine.errors import EngineError
from grader.engine.piecewise_compare import mp_scale, summed_rows
from grader.engine.tape import Tape

SIG_DIGITS = (3, 4, 6, 10, 17)
MP_PREC = 200
_NOISE = mpmath.mpf("1e-45")   # relative rounding noise of 200-bit evaluation (as the comparison's)


@dataclass(frozen=True)
class PrintedWitness:
    """The point as printed and both sides evaluated exactly there (nan: undefined)."""

    point: dict[str, float]
    answer: float
    expected: float
    difference: float


def rounded(value: float, digits: int) -> float:
    """``value`` to ``digits`` significant digits, as the decimal that prints (``1.73``)."""
    return float(f"{value:.{digits}g}")


def exact_value(tape: Tape, point: Mapping[str, float]) -> tuple[Any, Any]:
    """(value, noise scale) at exactly the decimal ``point``; value None where undefined."""
    values = {n: Fraction(repr(v)) for n, v in point.items()}
    try:
        with mpmath.workprec(MP_PREC):
            rows = tape.forward(values, backend="mpmath", prec=MP_PREC)
            v = rows[-1]
            if isinstance(v, bool) or not isinstance(v, (mpmath.mpf, int, float)) or not mpmath.isfinite(v):
                return None, mpmath.mpf(0)
            return mpmath.mpf(v), mp_scale(rows, summed_rows(tape))
    except (EngineError, ArithmeticError, ValueError, TypeError):
        return None, mpmath.mpf(0)


def _inside(name: str, value: float, domain: Mapping[str, Domain]) -> bool:
    d = domain.get(name)
    if isinstance(d, Interval):
        return d.lo <= value <= d.hi
    return True


def _candidates(point: Mapping[str, float], domain: Mapping[str, Domain]) -> list[dict[str, float]]:
    out: list[dict[str, float]] = []
    for digits in SIG_DIGITS:
        p = {n: v if isinstance(domain.get(n), Discrete) else rounded(v, digits) for n, v in point.items()}
        if all(_inside(n, v, domain) for n, v in p.items()) and p not in out:
            out.append(p)
    return out


def reproducible(key: sympy.Expr, answer: sympy.Expr, point: Mapping[str, float],
                 domain: Mapping[str, Domain] | None = None, *, undefined: bool = False,
                 tolerance: float = 0.0) -> PrintedWitness | None:
    """The shortest rounding of ``point`` where ``answer`` still differs from ``key`` (or, with
    ``undefined``, is still undefined where the key is defined); None when no rounding does.

    ``tolerance`` > 0: a relative difference within it is no difference (decimal answers).
    """
    domain = domain or {}
    names = sorted(point)
    syms = [sympy.Symbol(n, real=True) for n in names]
    try:
        key_tape, ans_tape = Tape.from_expr(key, syms), Tape.from_expr(answer, syms)
    except EngineError:
        return None
    for p in _candidates({n: point[n] for n in names}, domain):
        k, k_scale = exact_value(key_tape, p)
        a, a_scale = exact_value(ans_tape, p)
        if k is None:
            continue
        with mpmath.workprec(MP_PREC):
            k_noise = _NOISE * max(k_scale, abs(k))
            kf = 0.0 if abs(k) <= k_noise else float(k)
            if undefined:
                if a is None:
                    return PrintedWitness(p, float("nan"), kf, float("nan"))
                continue
            if a is None:
                continue
            noise = _NOISE * max(k_scale, a_scale, abs(a), abs(k))
            diff = abs(a - k)
            if diff > tolerance * max(abs(a), abs(k)) + noise:
                af = 0.0 if abs(a) <= _NOISE * max(a_scale, abs(a)) else float(a)
                return PrintedWitness(p, af, kf, float(a - k))
    return None
