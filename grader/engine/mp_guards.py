"""mpmath functions whose cost is bounded at any argument, for the tape's high-precision backend.

An mpmath ``exp`` of ``10^(10^8)`` needs hundreds of millions of bits and cannot be interrupted, so
no deadline can save it; ``tanh(10^(10^9))`` takes seconds, ``sin(10^(10^4))`` tens of ms. The cost
of ``exp(x)`` grows with the bits of ``x``, so, as doubles overflow past 1e308, ``e^x`` with ``|x|``
past ``2^EXP_BITS`` counts as an overflow here (inf, or 0 on the tiny side): ``exp``, ``sinh``,
``cosh`` and powers check that size *before* computing anything, and a trig function of an argument
past ``2^TRIG_BITS`` is undefined (nan). No sampled point can make one row cost more than about a
millisecond, and everything a double can hold, and far more, is still evaluated exactly.
"""

from __future__ import annotations

from typing import Any

import mpmath

EXP_BITS = 1024                 # e^x is computed for |x| < 2^this (about 10^308)
LN_RANGE = 2.0 ** (EXP_BITS - 1)  # as a float: sizes ln|b^e| = e ln|b| are checked against it
TRIG_BITS = 4096                # sin/cos/tan of |x| < 2^this (the argument reduction stays cheap)
_FLAT = 1000                    # tanh(x) is +-1 to every precision we use past this


def exp(x: Any) -> Any:
    if x > LN_RANGE:
        return mpmath.inf
    if x < -LN_RANGE:
        return mpmath.mpf(0)
    return mpmath.exp(x)


def sinh(x: Any) -> Any:
    if abs(x) > LN_RANGE:
        return mpmath.inf if x > 0 else -mpmath.inf
    return mpmath.sinh(x)


def cosh(x: Any) -> Any:
    return mpmath.inf if abs(x) > LN_RANGE else mpmath.cosh(x)


def tanh(x: Any) -> Any:
    return mpmath.sign(x) if abs(x) > _FLAT else mpmath.tanh(x)


def _trig(f: Any) -> Any:
    def guarded(x: Any) -> Any:
        if mpmath.isfinite(x) and x != 0 and mpmath.mag(x) > TRIG_BITS:
            return mpmath.nan
        return f(x)

    return guarded


sin, cos, tan = _trig(mpmath.sin), _trig(mpmath.cos), _trig(mpmath.tan)


def power(b: Any, e: Any) -> Any:
    """``b ** e`` with the size ``e * ln|b|`` checked first (inf, -inf, 0 or nan past the range)."""
    if not (mpmath.isfinite(b) and mpmath.isfinite(e)) or b == 0 or e == 0:
        return mpmath.power(b, e)
    if isinstance(e, int) and abs(e) <= 2 and abs(mpmath.mag(b)) < EXP_BITS:
        return mpmath.power(b, e)  # squares and reciprocals of in-range values: the common case
    size = e * mpmath.log(abs(b))
    if abs(size) <= LN_RANGE:
        return mpmath.power(b, e)
    integer = isinstance(e, int) or mpmath.isint(e)
    if b < 0 and not integer:
        return mpmath.nan  # complex
    if size < 0:
        return mpmath.mpf(0)
    odd = integer and b < 0 and int(e) % 2 == 1
    return -mpmath.inf if odd else mpmath.inf
