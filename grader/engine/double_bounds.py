"""A quick pre-pass for ``growth_check``: do a tape's values stay within doubles over a box?

Interval arithmetic in plain floats, about ten times cheaper than mpmath's interval context. It only
ever answers "every value stays below 1e300 in size" (or below a smaller limit asked for: then
nothing on the box can pass ``10^max_magnitude``, rounding notwithstanding) or "cannot tell" (an overflow, a possible division
by zero, a function it does not model), which sends the tape to the exact pass.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from grader.engine.tape import Row

Span = tuple[float, float]
_SMALL_DIGITS = 300


class _Unknown(Exception):
    """This pass cannot tell: the exact pass decides."""


def fits_in_doubles(rows: Sequence[Row], box: dict[str, Span], digits: int = 300) -> bool:
    """True when every value of the tape's rows on ``box`` is below ``10**digits`` (at most
    1e300) in size."""
    small = 10.0 ** min(digits, _SMALL_DIGITS)
    values: list[Span | None] = []
    try:
        for row in rows:
            span = _row(row, values, box)
            if span is not None and not (-small < span[0] <= span[1] < small):
                return False
            values.append(span)
    except (_Unknown, OverflowError, ValueError, ZeroDivisionError, TypeError):
        return False
    return True


def _corners(f: Callable[[float, float], float], xs: Sequence[Span]) -> Span:
    """The range of ``f`` monotone in each argument: its values at the corners."""
    vals = [f(a, b) for a in xs[0] for b in xs[1]]
    if any(math.isnan(v) for v in vals):
        raise _Unknown
    return min(vals), max(vals)


def _row(row: Row, values: list[Span | None], box: dict[str, Span]) -> Span | None:
    op = row.op
    if op == "input":
        return box[row.name]
    if op == "const":
        v = float(row.const)  # type: ignore[arg-type]  # a sympy number; raises for I, zoo: unknown
        return v, v
    args = [values[i] for i in row.args]
    if op == "piecewise":
        args = args[0::2]
    xs = [x for x in args if x is not None]
    if op in _CONDITIONS or len(xs) < len(args):
        return None
    if op in _MONOTONE:
        f = _MONOTONE[op]
        return f(xs[0][0]), f(xs[0][1])
    if op not in _OPS:
        raise _Unknown
    return _OPS[op](xs, row.const)


def _add(xs: list[Span], _c: object) -> Span:
    return math.fsum(x[0] for x in xs), math.fsum(x[1] for x in xs)


def _mul(xs: list[Span], _c: object) -> Span:
    out = xs[0]
    for x in xs[1:]:
        out = _corners(lambda a, b: a * b, [out, x])
    return out


def _inv(xs: list[Span], _c: object) -> Span:
    lo, hi = xs[0]
    if lo <= 0 <= hi:
        raise _Unknown
    return 1 / hi, 1 / lo


def _powi(xs: list[Span], n: int) -> Span:
    lo, hi = xs[0]
    if n < 0:
        return _inv([_powi(xs, -n)], None)
    ends = [lo ** n, hi ** n] + ([0.0] if lo <= 0 <= hi else [])
    return min(ends), max(ends)


def _pow(xs: list[Span], _c: object) -> Span:
    if xs[0][0] <= 0:
        raise _Unknown
    return _corners(lambda b, e: math.exp(e * math.log(b)), xs)


def _cosh(xs: list[Span], _c: object) -> Span:
    lo, hi = xs[0]
    top = max(math.cosh(lo), math.cosh(hi))
    return (1.0 if lo <= 0 <= hi else min(math.cosh(lo), math.cosh(hi))), top


def _abs(xs: list[Span], _c: object) -> Span:
    lo, hi = xs[0]
    return (0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi))), max(abs(lo), abs(hi))


def _extreme(largest: bool) -> Callable[[list[Span], Any], Span]:
    pick = max if largest else min
    return lambda xs, _c: (pick(x[0] for x in xs), pick(x[1] for x in xs))


def _sqrt(x: float) -> float:
    return math.sqrt(max(x, 0.0))


def _log(x: float) -> float:
    if x <= 0:
        raise _Unknown
    return math.log(x)


_MONOTONE: dict[str, Callable[[float], float]] = {
    "exp": math.exp, "sinh": math.sinh, "sqrt": _sqrt, "log": _log, "tanh": math.tanh, "atan": math.atan}
_OPS: dict[str, Callable[[list[Span], Any], Span]] = {
    "add": _add, "mul": _mul, "inv": _inv, "powi": _powi, "pow": _pow, "cosh": _cosh, "abs": _abs,
    "max": _extreme(True), "min": _extreme(False),
    "piecewise": lambda xs, _c: (min(x[0] for x in xs), max(x[1] for x in xs)),
    "sin": lambda xs, _c: (-1.0, 1.0), "cos": lambda xs, _c: (-1.0, 1.0),
    "sign": lambda xs, _c: (-1.0, 1.0), "heaviside": lambda xs, _c: (0.0, 1.0),
    "asin": lambda xs, _c: (-math.pi, math.pi), "acos": lambda xs, _c: (0.0, math.pi),
}
_CONDITIONS = frozenset({"true", "false", "lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "ite"})
