"""Refuse, before anything evaluates it, an answer whose values explode on the question's domain.

``exp(exp(exp(exp(x))))`` on ``[-3, 3]`` reaches ``e^(10^(2*10^8))``: doubles overflow at once, but
the high-precision re-check would need hundreds of millions of bits. The answer's tape is run once
in interval arithmetic over the domain box (``value_bounds``); if some value it can take passes
``10^max_magnitude`` while the key's values stay below, the answer is refused as ``invalid`` in
about a millisecond, naming where. A key that grows as much is a question the comparison must cope
with itself (its per-point guards treat such values as overflow), so nothing is refused then.

A quick pass in doubles settles the common case (every value below 1e300). Enclosures over a box
that contains a pole (``exp(1/x)``, ``x^x`` near 0) are unbounded and prove
nothing; then each continuous symbol's interval is cut into ``_PIECES`` and the pieces are tried
one symbol at a time, so ``x^x^x^x^x^x`` is still caught on ``x`` in ``[2.25, 3]``.
"""

from __future__ import annotations

from typing import Mapping

import sympy

from grader.engine.context import Discrete, Domain, Interval
from grader.engine.double_bounds import fits_in_doubles
from grader.engine.errors import EngineError
from grader.engine.sampling import DEFAULT_INTERVAL
from grader.engine.tape import Row, Tape
from grader.engine.tape_sympy import free_symbols
from grader.engine.value_bounds import Bounds, Iv, TooLarge

_PIECES = 8
Box = dict[str, tuple[float, float]]


def explosion(key: sympy.Expr, answer: sympy.Expr, domain: Mapping[str, Domain], digits: int) -> str | None:
    """Feedback refusing ``answer`` when it passes ``10**digits`` on ``domain`` and ``key`` does not."""
    used = sorted(free_symbols(answer), key=lambda s: s.name)
    box = {s.name: _range(domain.get(s.name)) for s in used}
    try:
        where = _first_explosion(Tape.from_expr(answer, used), box, digits)
        if where is None:
            return None
        both = sorted(set(used) | free_symbols(key), key=lambda s: s.name)
        if _first_explosion(Tape.from_expr(key, both), {s.name: _range(domain.get(s.name)) for s in both},
                            digits) is not None:
            return None
    except EngineError:
        return None  # not ours to judge: the comparison reports what cannot be evaluated
    span = ", ".join(f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in where.items())
    return f"number too large: your answer passes 10^{digits}" + (f" for {span}" if span else "")


def _range(dom: Domain | None) -> tuple[float, float]:
    if isinstance(dom, Discrete):
        return float(min(dom.values)), float(max(dom.values))
    iv = dom if isinstance(dom, Interval) else DEFAULT_INTERVAL
    return float(iv.lo), float(iv.hi)


def _first_explosion(tape: Tape, box: Box, digits: int) -> Box | None:
    """The first box (the whole domain, then pieces) on which the tape's values pass the limit."""
    if fits_in_doubles(tape.rows, box, digits):
        return None
    bounds = Bounds(digits)
    if _explodes(tape, box, bounds):
        return box
    if not bounds.singular:
        return None
    for name, (lo, hi) in box.items():
        if hi <= lo:
            continue
        step = (hi - lo) / _PIECES
        for k in range(_PIECES):
            piece = {**box, name: (lo + k * step, hi if k == _PIECES - 1 else lo + (k + 1) * step)}
            if _explodes(tape, piece, Bounds(digits)):
                return piece
    return None


def _explodes(tape: Tape, box: Box, b: Bounds) -> bool:
    try:
        row_enclosures(tape, box, b)
    except TooLarge:
        return True
    return False


def row_enclosures(tape: Tape, box: Box, b: Bounds) -> list[Iv | None]:
    """An interval enclosing every value of each row of ``tape`` on ``box`` (None for conditions);
    raises TooLarge as soon as one passes the limit of ``b``."""
    values: list[Iv | None] = []
    for row in tape.rows:
        values.append(_row(row, values, box, b))
    return values


def _row(row: Row, values: list[Iv | None], box: Box, b: Bounds) -> Iv | None:
    op = row.op
    if op == "input":
        return b.span(*box[row.name])
    if op == "const":
        return _constant(row.const, b)
    xs = [values[i] for i in row.args]
    if op == "piecewise":
        xs = xs[0::2]
    if any(x is None for x in xs):
        return None  # a condition (or a value built on one): no size
    x = xs[0] if xs else None
    if op in _SAME:
        return getattr(b, _SAME[op])(x)
    if op == "add":
        return b.add(xs)
    if op == "mul":
        return b.mul(xs)
    if op == "powi":
        n = int(row.const)  # type: ignore[call-overload]  # powi rows hold their integer exponent
        return b.power(x, b.number(n), n)
    if op == "pow":
        return b.power(x, xs[1])
    if op in ("sin", "cos"):
        return b.sin_cos(x, op)
    if op == "tan":
        return b.trig(x, op)
    if op in ("max", "min"):
        return b.extreme(xs, op == "max")
    if op == "piecewise":
        return b.hull(xs)
    if op in ("sign", "heaviside"):
        return b.span(-1, 1)
    if op in ("asinh", "acosh"):  # |asinh x| <= |x|, acosh x <= x
        return b.growth(x)
    return None if op in _CONDITIONS else b.unbounded


_SAME = {"inv": "inv", "sqrt": "sqrt", "exp": "exp", "log": "log", "sinh": "sinh", "cosh": "cosh",
         "tanh": "tanh", "asin": "asin", "acos": "acos", "atan": "atan", "abs": "absolute"}
_CONDITIONS = frozenset({"true", "false", "lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "ite"})


def _constant(c: sympy.Basic, b: Bounds) -> Iv:
    if c.is_Rational:
        return b.number(int(c.p), int(c.q))
    if c is sympy.E or c is sympy.pi:
        return b.constant(str(c) if c is sympy.pi else "E")
    try:
        v = float(c)
    except (TypeError, ValueError, OverflowError):
        return b.unbounded
    if v != v or v in (float("inf"), float("-inf")):
        return b.unbounded
    pad = abs(v) * 1e-12 + 1e-300
    return b.span(v - pad, v + pad)
