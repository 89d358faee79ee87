"""Show a difference the prover found at a sampled point, in as many bits as it takes.

When the numeric comparison agrees but the prover shows ``key - answer`` to be a nonzero constant
(``x + 10^{-50}`` against ``x``: below the 200-bit noise floor of the re-checks), or different on
one discrete case, that is a counterexample as soon as a point of the domain shows it: the point is
re-evaluated at 200, 800 and 3,200 bits until the difference stands clear of the rounding noise.
A difference no point shows (a prover rewrite that is not valid on the domain) changes nothing.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Mapping

import mpmath
import sympy

from grader.engine.errors import EngineError
from grader.engine.piecewise_compare import mp_scale
from grader.engine.tape import Tape

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.numeric_values import NumericOutcome

_PRECISIONS = (200, 800, 3200)   # bits
_GUARD_BITS = 40                 # a difference must clear the last 40 bits of rounding
_POINTS = 4                      # sampled points tried


def _candidates(outcome: "NumericOutcome", case: Mapping[str, float]) -> list[dict[str, float]]:
    pts = outcome.points
    n = len(next(iter(pts.values()))) if pts else 1
    out = []
    for i in range(n):
        point = {name: float(v[i]) for name, v in pts.items()}
        if all(point.get(name) == value for name, value in case.items()):
            out.append(point)
        if len(out) >= _POINTS:
            break
    return out


def verify_difference(key: sympy.Expr, answer: sympy.Expr, outcome: "NumericOutcome",
                      case: Mapping[str, float], deadline: float) -> "NumericOutcome | None":
    """``outcome`` turned into a witness of the difference, or None when no point shows it."""
    inputs = sorted(key.free_symbols | answer.free_symbols, key=lambda s: s.name)
    try:
        kt, at = Tape.from_expr(key, inputs), Tape.from_expr(answer, inputs)
    except EngineError:
        return None
    for point in _candidates(outcome, case):
        if any(s.name not in point for s in inputs):
            continue
        for prec in _PRECISIONS:
            if time.monotonic() > deadline:
                return None
            with mpmath.workprec(prec):
                krows = kt.forward(point, backend="mpmath", prec=prec)
                arows = at.forward(point, backend="mpmath", prec=prec)
                k, a = krows[-1], arows[-1]
                if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (k, a)):
                    break
                noise = mpmath.ldexp(max(mp_scale(krows), mp_scale(arows), abs(a), abs(k)),
                                     _GUARD_BITS - prec)
                if abs(a - k) > noise:
                    return dataclasses.replace(outcome, status="different", witness=point,
                                               witness_values=(float(a), float(k), float(a - k)))
    return None
