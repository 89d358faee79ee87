"""Symbolic confirmation under a cooperative time budget: proved equal, proved different, or undecided.

Strategies run cheapest first; between them the clock is checked, and a strategy is skipped when
its input is too large for it (a static size gate) or for the remaining budget (an estimate from
the node count). sympy calls cannot be interrupted, so the gates are conservative: a call never
starts on an input that could make it run far past the budget.

The exponential trick: every ``exp(c*m)`` (``c`` rational, ``m`` the coefficient-free core) becomes
``t_m**(c*L)`` with ``t_m = exp(m/L)``, so logistic-style expressions become rational functions that
``cancel`` decides in milliseconds (``e^{-a}/(1+e^{-a})^2 == p(1-p)`` with ``p = 1/(1+e^{-a})``).
"""

from __future__ import annotations

import math
import time
from typing import Callable

import mpmath
import sympy
import sympy.physics.units  # noqa: F401 - sympy.simplify imports it on its first call (~0.5 s): pay it at load
from sympy import preorder_traversal

from grader.engine.errors import EngineError
from grader.engine.tape import Tape

Strategy = Callable[[sympy.Expr], sympy.Expr]

_MAX_EXPANDED_TERMS = 3000
_MAX_EXP_DEGREE = 60
_HUGE = 1e15   # constants beyond this (in floats, at any intermediate step) are left undecided
_PREC = 200    # bits for deciding a constant difference
_SIMPLE_OPS = 3  # try_simplify stops at a form this small


class _TooLarge(Exception):
    """An exponential whose rational form would have too high a degree."""


def _nodes(expr: sympy.Basic, cap: int = 100_000) -> int:
    """Node count of the tree (stops counting at ``cap``)."""
    n = 0
    for _ in preorder_traversal(expr):
        n += 1
        if n >= cap:
            break
    return n


def _expanded_terms(expr: sympy.Basic) -> float:
    """A rough upper bound of the number of terms ``expand`` could produce."""
    if expr.is_Add:
        return sum(_expanded_terms(a) for a in expr.args)
    if expr.is_Mul:
        return math.prod(_expanded_terms(a) for a in expr.args)
    if expr.is_Pow:
        base, ex = expr.args
        k = _expanded_terms(base)
        if ex.is_Integer and k > 1:
            n = abs(int(ex))
            return float(math.comb(n + int(k) - 1, int(k) - 1)) if k < 1e4 and n < 1e4 else math.inf
        return 1.0
    if isinstance(expr, sympy.Function):
        return max([1.0] + [min(_expanded_terms(a), 1.0) for a in expr.args])
    return 1.0


def _exp_degree(expr: sympy.Basic) -> int:
    """The largest degree sympy's polys would give an exponential generator (exp(k*m), b**(k*m))."""
    groups: dict[tuple[sympy.Basic, sympy.Basic], list[sympy.Rational]] = {}
    for e in expr.atoms(sympy.exp, sympy.Pow):
        base, ex = (sympy.E, e.args[0]) if isinstance(e, sympy.exp) else e.args
        if ex.is_Number:
            continue
        for term in (ex.args if ex.is_Add else (ex,)):
            c, m = term.as_coeff_Mul()
            if c.is_Rational:
                groups.setdefault((base, m), []).append(c)
    degree = 1
    for cs in groups.values():
        lcm = math.lcm(*[int(c.q) for c in cs])
        degree = max(degree, max(abs(int(c * lcm)) for c in cs))
    return degree


def _safe_for_polys(expr: sympy.Basic) -> bool:
    return _expanded_terms(expr) <= _MAX_EXPANDED_TERMS and _exp_degree(expr) <= _MAX_EXP_DEGREE


def exp_to_rational(expr: sympy.Expr) -> tuple[sympy.Expr, dict[sympy.Symbol, sympy.Expr]]:
    """Replace exp(c*m) by t_m**(c*L) (t_m = exp(m/L)); returns the new expression and t_m -> exp(m/L)."""
    expr = expr.replace(lambda e: isinstance(e, sympy.exp) and e.args[0].is_Add,
                        lambda e: sympy.Mul(*[sympy.exp(t) for t in e.args[0].args]))
    cores: dict[sympy.Expr, list[sympy.Rational]] = {}
    for e in expr.atoms(sympy.exp):
        c, m = e.args[0].as_coeff_Mul()
        if not c.is_Rational:
            c, m = sympy.Integer(1), e.args[0]
        cores.setdefault(m, []).append(c)
    subs: dict[sympy.Expr, sympy.Expr] = {}
    back: dict[sympy.Symbol, sympy.Expr] = {}
    for i, (m, cs) in enumerate(sorted(cores.items(), key=lambda kv: sympy.default_sort_key(kv[0]))):
        lcm = math.lcm(*[int(c.q) for c in cs])
        if max(abs(int(c * lcm)) for c in cs) > _MAX_EXP_DEGREE:
            raise _TooLarge
        t = sympy.Dummy(f"t{i}", positive=True)
        back[t] = sympy.exp(m / lcm)
        for c in cs:
            subs[sympy.exp(c * m)] = t ** (c * lcm)
    return expr.xreplace(subs), back


def _exp_trick(expr: sympy.Expr) -> sympy.Expr:
    if expr.has(sympy.sinh, sympy.cosh, sympy.tanh):
        expr = expr.rewrite(sympy.exp)
    try:
        rat, back = exp_to_rational(expr)
    except _TooLarge:
        return expr
    if not back or not _safe_for_polys(rat):
        return expr
    return sympy.cancel(sympy.together(rat)).xreplace(back)


def _cancel(expr: sympy.Expr) -> sympy.Expr:
    return sympy.cancel(sympy.together(expr))


def _powsimp_trig(expr: sympy.Expr) -> sympy.Expr:
    out = sympy.powsimp(expr, force=False)
    if out.has(sympy.sin, sympy.cos, sympy.tan):
        out = sympy.trigsimp(out)
    return out


# name, function, max nodes, seconds per node (a pessimistic estimate), needs polynomial-safe input
STRATEGIES: tuple[tuple[str, Strategy, int, float, bool], ...] = (
    ("expand", sympy.expand, 600, 2e-5, True),
    ("cancel", _cancel, 300, 1e-4, True),
    ("exp", _exp_trick, 300, 2e-4, False),
    ("powsimp/trigsimp", _powsimp_trig, 60, 2e-3, True),
    ("simplify", sympy.simplify, 25, 1e-2, True),
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
    size = _nodes(diff)
    safe = _safe_for_polys(diff)
    rational = diff.is_rational_function()
    for name, f, max_nodes, per_node, needs_safe in STRATEGIES:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if size > max_nodes or size * per_node > remaining or (needs_safe and not safe):
            continue
        r = f(diff)
        verdict = _decide(r)
        if verdict is not None:
            return verdict
        if name == "cancel" and rational:
            return None  # cancel's normal form of a rational function is nonzero: nothing will prove it
    return None


def prove_equal(a: sympy.Expr, b: sympy.Expr, *, budget_s: float) -> bool | None:
    """True: proved equal; False: proved different (a - b is a nonzero constant); None: undecided."""
    deadline = time.monotonic() + budget_s
    if a == b:
        return True
    return _run(sympy.Add(a, -b), deadline)


def try_simplify(expr: sympy.Expr, *, budget_s: float) -> sympy.Expr | None:
    """A strictly smaller equal form of ``expr`` found within the budget, or None."""
    deadline = time.monotonic() + budget_s
    best, best_ops = expr, sympy.count_ops(expr)
    if best_ops <= _SIMPLE_OPS or not _tame(expr):
        return None
    size = _nodes(expr)
    safe = _safe_for_polys(expr)
    for _name, f, max_nodes, per_node, needs_safe in (STRATEGIES[1], STRATEGIES[2], STRATEGIES[0],
                                                      STRATEGIES[3], STRATEGIES[4]):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        if size > max_nodes or size * per_node > remaining or (needs_safe and not safe):
            continue
        r = f(expr)
        ops = sympy.count_ops(r)
        if ops < best_ops:
            best, best_ops = r, ops
        if best_ops <= _SIMPLE_OPS:
            break
    return None if best is expr else best
