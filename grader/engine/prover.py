"""Symbolic confirmation under a cooperative time budget: proved equal, proved different, or undecided.

Strategies run cheapest first; between them the clock is checked, and a strategy is skipped when
its input is too large for it (a static size gate) or for the remaining budget (an estimate from
the node count). sympy calls cannot be interrupted, so the gates are conservative: a call never
starts on an input that could make it run far past the budget.

The first strategy puts a - b in a rational normal form over sympy's sparse polynomials (numerator
and denominator, no gcds), with the exponential trick: every ``exp(c*m)`` (``c`` rational, ``m`` the
coefficient-free core) becomes ``t_m**(c*L)`` with ``t_m = exp(m/L)``, so logistic-style expressions
are rational functions and a zero numerator proves them equal in milliseconds
(``e^{-a}/(1+e^{-a})^2 == p(1-p)`` with ``p = 1/(1+e^{-a})``).
"""

from __future__ import annotations

import math
import time
from typing import Callable

import mpmath
import sympy
import sympy.physics.units  # noqa: F401 - sympy.simplify imports it on its first call (~0.5 s): pay it at load

from grader.engine.errors import EngineError
from grader.engine.prover_rational import TooLarge, fraction, nodes, safe_for_polys
from grader.engine.tape import Tape

Strategy = Callable[[sympy.Expr, float], sympy.Expr]  # (expression, deadline) -> expression

_HUGE = 1e15   # constants beyond this (in floats, at any intermediate step) are left undecided
_PREC = 200    # bits for deciding a constant difference
_SIMPLE_NODES = 5  # try_simplify stops at a form this small (2*x_i, 1 - p_i)


class _Final(Exception):
    """The rational normal form is nonzero and its generators independent: nothing will prove it zero."""


def _ratnorm(expr: sympy.Expr, deadline: float) -> sympy.Expr:
    """0 or a constant when the rational normal form decides it, else ``expr`` unchanged."""
    f = fraction(expr, deadline)
    verdict = None if f is None else f.zero()
    if verdict is True:
        return sympy.Integer(0)
    if verdict is False:
        return f.num.as_expr() / f.den.as_expr()
    if f is not None and f.independent():
        raise _Final
    return expr


def _ratsimp(expr: sympy.Expr, deadline: float) -> sympy.Expr:
    f = fraction(expr, deadline)
    try:
        return expr if f is None else f.as_expr()
    except TooLarge:
        return expr


def _powsimp_trig(expr: sympy.Expr, deadline: float) -> sympy.Expr:
    """powsimp, then trigsimp; only where the rational normal form cannot see through (roots, trig)."""
    if not expr.has(sympy.sin, sympy.cos, sympy.tan, sympy.log) and not any(
            not p.exp.is_Integer for p in expr.atoms(sympy.Pow)):
        return expr
    out = sympy.powsimp(expr, force=False)
    if out.has(sympy.sin, sympy.cos, sympy.tan):
        out = sympy.trigsimp(out)
    return out


# name, function, max nodes, seconds per node (a pessimistic estimate), needs polynomial-safe input
STRATEGIES: tuple[tuple[str, Strategy, int, float, bool], ...] = (
    ("rational", _ratnorm, 2000, 2e-5, True),
    ("powsimp/trigsimp", _powsimp_trig, 60, 2e-3, True),
    ("simplify", lambda e, _deadline: sympy.simplify(e), 25, 1e-2, True),
)


def _constant_value(c: sympy.Expr) -> tuple[float, float] | None:
    """(value, largest intermediate) of a constant in floats, None if undefined or huge anywhere."""
    try:
        rows = Tape.from_expr(c, []).forward({})
    except EngineError:
        return None
    nums = [abs(v) for v in rows if not isinstance(v, bool)]
    if not all(math.isfinite(v) and v < _HUGE for v in nums):
        return None
    return float(rows[-1]), max(nums, default=0.0)


def _tame(expr: sympy.Expr) -> bool:
    """No constant sub-expression (exp(exp(100)), sin(10**100)) that would make sympy's evalf hang."""
    for sub in expr.atoms(sympy.Function, sympy.Pow):
        if not sub.free_symbols and _constant_value(sub) is None:
            return False
    return True


SIMPLIFIERS = (("rational", _ratsimp, 2000, 2e-5, True),) + STRATEGIES[1:]


def _decide(r: sympy.Expr) -> bool | None:
    """True if r is zero, False if r is a nonzero constant (checked in high precision), else None."""
    if r == 0:
        return True
    if r.free_symbols or r.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity):
        return None
    if r.is_Number:
        return False
    approx = _constant_value(r)
    if approx is None:
        return None
    v = Tape.from_expr(r, []).output({}, backend="mpmath", prec=_PREC)
    if mpmath.isfinite(v) and abs(v) > mpmath.mpf(10) ** -30 * max(1.0, approx[1]):
        return False
    return None


def _run(diff: sympy.Expr, deadline: float) -> bool | None:
    verdict = _decide(diff)
    if verdict is not None:
        return verdict
    if diff.has(sympy.Piecewise):
        folded = sympy.piecewise_fold(diff)
        if isinstance(folded, sympy.Piecewise):
            results = [_run(e, deadline) for e, _c in folded.args]
            return True if all(r is True for r in results) else None
    if not _tame(diff):
        return None
    size = nodes(diff)
    safe = safe_for_polys(diff)
    for name, f, max_nodes, per_node, needs_safe in STRATEGIES:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if size > max_nodes or size * per_node > remaining or (needs_safe and not safe):
            continue
        try:
            r = f(diff, deadline)
        except _Final:
            return None
        verdict = _decide(r)
        if verdict is not None:
            return verdict
    return None


def prove_equal(a: sympy.Expr, b: sympy.Expr, *, budget_s: float) -> bool | None:
    """True: proved equal; False: proved different (a - b is a nonzero constant); None: undecided."""
    deadline = time.monotonic() + budget_s
    if a == b:
        return True
    try:
        return _run(sympy.Add(a, -b), deadline)
    except (RecursionError, OverflowError, MemoryError, EngineError):
        return None  # a tree too deep or numbers too big for a proof: undecided


def try_simplify(expr: sympy.Expr, *, budget_s: float) -> sympy.Expr | None:
    """A strictly smaller (fewer tree nodes) equal form of ``expr`` found within the budget, or None."""
    try:
        return _try_simplify(expr, budget_s)
    except (RecursionError, OverflowError, MemoryError, EngineError):
        return None


def _try_simplify(expr: sympy.Expr, budget_s: float) -> sympy.Expr | None:
    deadline = time.monotonic() + budget_s
    size = nodes(expr)
    if size <= _SIMPLE_NODES or not _tame(expr):
        return None
    best, best_size = expr, size
    safe = safe_for_polys(expr)
    for _name, f, max_nodes, per_node, needs_safe in SIMPLIFIERS:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        if size > max_nodes or size * per_node > remaining or (needs_safe and not safe):
            continue
        r = f(expr, deadline)
        n = nodes(r)
        if n < best_size:
            best, best_size = r, n
        if best_size <= _SIMPLE_NODES:
            break
    return None if best is expr else best
