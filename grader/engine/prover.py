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
from typing import Any, Callable

import mpmath
import sympy
import sympy.physics.units  # noqa: F401 - sympy.simplify imports it on its first call (~0.5 s): pay it at load
from sympy import QQ, preorder_traversal
from sympy.polys.rings import ring

from grader.engine.errors import EngineError
from grader.engine.tape import Tape

Strategy = Callable[[sympy.Expr, float], sympy.Expr]  # (expression, deadline) -> expression

_MAX_EXPANDED_TERMS = 3000
_MAX_EXP_DEGREE = 60
_MAX_PRODUCT = 20_000  # term pairs in one polynomial product of the rational normal form
_MAX_GCD_TERMS = 300   # try_simplify cancels common factors only below this many terms
_HUGE = 1e15   # constants beyond this (in floats, at any intermediate step) are left undecided
_PREC = 200    # bits for deciding a constant difference
_SIMPLE_NODES = 5  # try_simplify stops at a form this small (2*x_i, 1 - p_i)


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


Key = tuple  # a ring generator: ("sym", node) | ("root", base, q) | ("exp", core)


class _Fraction:
    """``expr`` as num/den in a sparse polynomial ring over QQ (no gcds while building).

    Generators: the free symbols and opaque nodes (sin(x), log(x), pi, ...), ``b**(1/q)`` for rational
    powers, and ``t_m = exp(m/L)`` for every exponential core ``m`` (``exp(c*m) = t_m**(c*L)``), so
    a zero numerator proves the expression zero. Exponentials of sums are split.
    """

    def __init__(self, expr: sympy.Expr, deadline: float = math.inf, max_terms: int = 4000) -> None:
        self.max_terms, self.deadline = max_terms, deadline
        self.keys: dict[Key, int] = {}
        self.exp_l: dict[sympy.Basic, int] = {}
        self._collect(expr, set())
        names = [sympy.Dummy(f"g{i}") for i in range(len(self.keys))] or [sympy.Dummy("z")]
        self.ring, *gens = ring(names, QQ)
        self.gens = {k: gens[i] for k, i in self.keys.items()}
        self.names = {k: names[i] for k, i in self.keys.items()}
        self.memo: dict[sympy.Basic, tuple[Any, Any]] = {}
        self.num, self.den = self._eval(expr)

    @staticmethod
    def _exp_terms(arg: sympy.Expr) -> list[tuple[sympy.Rational, sympy.Expr]]:
        out = []
        for term in sympy.Add.make_args(arg):
            c, m = term.as_coeff_Mul()
            out.append((c, m) if c.is_Rational else (sympy.Integer(1), term))
        return out

    def _collect(self, node: sympy.Basic, seen: set) -> None:
        if node in seen or node.is_Rational or node.is_Float:
            return
        seen.add(node)
        if node.is_Add or node.is_Mul:
            for a in node.args:
                self._collect(a, seen)
        elif node.is_Pow and node.exp.is_Rational:
            if not node.exp.is_Integer:
                self.keys.setdefault(("root", node.base, int(node.exp.q)), len(self.keys))
            self._collect(node.base, seen)
        elif isinstance(node, sympy.exp):
            for c, m in self._exp_terms(node.args[0]):
                self.keys.setdefault(("exp", m), len(self.keys))
                self.exp_l[m] = math.lcm(self.exp_l.get(m, 1), int(c.q))
                if abs(c * self.exp_l[m]) > _MAX_EXP_DEGREE:
                    raise _TooLarge("exponential degree")
        else:
            self.keys.setdefault(("sym", node), len(self.keys))

    def _power(self, g: Any, k: int) -> tuple[Any, Any]:
        return (g ** k, self.ring.one) if k >= 0 else (self.ring.one, g ** -k)

    def _eval(self, node: sympy.Basic) -> tuple[Any, Any]:
        hit = self.memo.get(node)
        if hit is not None:
            return hit
        if node.is_Rational or node.is_Float:
            q = sympy.Rational(node)
            out = (self.ring(QQ(int(q.p), int(q.q))), self.ring.one)
        elif node.is_Add or node.is_Mul or isinstance(node, sympy.exp):
            if isinstance(node, sympy.exp):
                parts = [self._power(self.gens[("exp", m)], int(c * self.exp_l[m]))
                         for c, m in self._exp_terms(node.args[0])]
            else:
                parts = [self._eval(a) for a in node.args]
            n, d = parts[0]
            for pn, pd in parts[1:]:
                if not node.is_Add:
                    n, d = self._mul(n, pn), self._mul(d, pd)
                elif d == pd:
                    n = n + pn
                else:
                    n, d = self._mul(n, pd) + self._mul(pn, d), self._mul(d, pd)
                self._check(n, d)
            out = (n, d)
        elif node.is_Pow and node.exp.is_Rational:
            if node.exp.is_Integer:
                (n, d), k = self._eval(node.base), int(node.exp)
            else:
                (n, d), k = self._power(self.gens[("root", node.base, int(node.exp.q))], 1), int(node.exp.p)
            if k < 0:
                if not n:
                    raise _TooLarge("division by zero")
                n, d, k = d, n, -k
            for p in (n, d):
                if len(p) > 1 and math.comb(len(p) + k - 1, k) > self.max_terms:
                    raise _TooLarge("power too large")
            out = (n ** k, d ** k)
        else:
            out = self._power(self.gens[("sym", node)], 1)
        self._check(*out)
        self.memo[node] = out
        return out

    def _mul(self, a: Any, b: Any) -> Any:
        if len(a) * len(b) > _MAX_PRODUCT:
            raise _TooLarge("product too large")
        return a * b

    def _check(self, n: Any, d: Any) -> None:
        if len(n) + len(d) > self.max_terms:
            raise _TooLarge("too many terms")
        if time.monotonic() > self.deadline:
            raise _TooLarge("out of time")

    def zero(self) -> bool | None:
        """True if zero, False if a nonzero constant, None otherwise."""
        if not self.num:
            return True
        return False if self.num.is_ground and self.den.is_ground else None

    def independent(self) -> bool:
        """Generators are symbols and exponentials of monomials: a nonzero numerator is then final."""
        def monomial(m: sympy.Basic) -> bool:
            return bool(m.free_symbols) and all(
                f.is_Symbol or (f.is_Pow and f.base.is_Symbol and f.exp.is_Integer and f.exp > 0)
                for f in sympy.Mul.make_args(m))
        return all((k[0] == "sym" and k[1].is_Symbol) or (k[0] == "exp" and monomial(k[1])) for k in self.keys)

    def as_expr(self) -> sympy.Expr:
        """num/den with common factors cancelled, generators put back."""
        if len(self.num) + len(self.den) > _MAX_GCD_TERMS:
            raise _TooLarge("too large for a gcd")
        n, d = self.num.cancel(self.den)
        back = {}
        for k, name in self.names.items():
            if k[0] == "sym":
                back[name] = k[1]
            elif k[0] == "root":
                back[name] = sympy.Pow(k[1], sympy.Rational(1, k[2]))
            else:
                back[name] = sympy.exp(k[1] / self.exp_l[k[1]])
        return n.as_expr().xreplace(back) / d.as_expr().xreplace(back)


def _fraction(expr: sympy.Expr, deadline: float) -> _Fraction | None:
    if expr.has(sympy.sinh, sympy.cosh, sympy.tanh):
        expr = expr.rewrite(sympy.exp)
    try:
        return _Fraction(expr, deadline)
    except _TooLarge:
        return None


class _Final(Exception):
    """The rational normal form is nonzero and its generators independent: nothing will prove it zero."""


def _ratnorm(expr: sympy.Expr, deadline: float) -> sympy.Expr:
    """0 or a constant when the rational normal form decides it, else ``expr`` unchanged."""
    f = _fraction(expr, deadline)
    verdict = None if f is None else f.zero()
    if verdict is True:
        return sympy.Integer(0)
    if verdict is False:
        return f.num.as_expr() / f.den.as_expr()
    if f is not None and f.independent():
        raise _Final
    return expr


def _ratsimp(expr: sympy.Expr, deadline: float) -> sympy.Expr:
    f = _fraction(expr, deadline)
    try:
        return expr if f is None else f.as_expr()
    except _TooLarge:
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
    size = _nodes(diff)
    safe = _safe_for_polys(diff)
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
    size = _nodes(expr)
    if size <= _SIMPLE_NODES or not _tame(expr):
        return None
    best, best_size = expr, size
    safe = _safe_for_polys(expr)
    for _name, f, max_nodes, per_node, needs_safe in SIMPLIFIERS:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        if size > max_nodes or size * per_node > remaining or (needs_safe and not safe):
            continue
        r = f(expr, deadline)
        n = _nodes(r)
        if n < best_size:
            best, best_size = r, n
        if best_size <= _SIMPLE_NODES:
            break
    return None if best is expr else best
