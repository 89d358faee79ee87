"""The prover's rational normal form and size estimates (used by ``grader.engine.prover``).

``RationalForm(expr)`` writes an expression as numerator/denominator in a sparse polynomial ring over QQ,
exponentials ``exp(c*m)`` as powers of ``t_m = exp(m/L)``; every operation is bounded (terms,
products, powers) and checks the caller's deadline, raising ``TooLarge`` instead of running on.
"""

from __future__ import annotations

import math
import time
from typing import Any

import sympy
from sympy import QQ, preorder_traversal
from sympy.polys.rings import ring

MAX_EXPANDED_TERMS = 3000
MAX_EXP_DEGREE = 60
MAX_PRODUCT = 20_000  # term pairs in one polynomial product
MAX_GCD_TERMS = 300   # common factors are cancelled only below this many terms


class TooLarge(Exception):
    """An exponential whose rational form would have too high a degree."""


def nodes(expr: sympy.Basic, cap: int = 100_000) -> int:
    """Node count of the tree (stops counting at ``cap``)."""
    n = 0
    for _ in preorder_traversal(expr):
        n += 1
        if n >= cap:
            break
    return n


def expanded_terms(expr: sympy.Basic) -> float:
    """A rough upper bound of the number of terms ``expand`` could produce."""
    if expr.is_Add:
        return sum(expanded_terms(a) for a in expr.args)
    if expr.is_Mul:
        return math.prod(expanded_terms(a) for a in expr.args)
    if expr.is_Pow:
        base, ex = expr.args
        k = expanded_terms(base)
        if ex.is_Integer and k > 1:
            n = abs(int(ex))
            return float(math.comb(n + int(k) - 1, int(k) - 1)) if k < 1e4 and n < 1e4 else math.inf
        return 1.0
    if isinstance(expr, sympy.Function):
        return max([1.0] + [min(expanded_terms(a), 1.0) for a in expr.args])
    return 1.0


def exp_degree(expr: sympy.Basic) -> int:
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


def safe_for_polys(expr: sympy.Basic) -> bool:
    return expanded_terms(expr) <= MAX_EXPANDED_TERMS and exp_degree(expr) <= MAX_EXP_DEGREE


Key = tuple  # a ring generator: ("sym", node) | ("root", base, q) | ("exp", core)


class RationalForm:
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
                if abs(c * self.exp_l[m]) > MAX_EXP_DEGREE:
                    raise TooLarge("exponential degree")
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
                    raise TooLarge("division by zero")
                n, d, k = d, n, -k
            for p in (n, d):
                if len(p) > 1 and math.comb(len(p) + k - 1, k) > self.max_terms:
                    raise TooLarge("power too large")
            out = (n ** k, d ** k)
        else:
            out = self._power(self.gens[("sym", node)], 1)
        self._check(*out)
        self.memo[node] = out
        return out

    def _mul(self, a: Any, b: Any) -> Any:
        if len(a) * len(b) > MAX_PRODUCT:
            raise TooLarge("product too large")
        return a * b

    def _check(self, n: Any, d: Any) -> None:
        if len(n) + len(d) > self.max_terms:
            raise TooLarge("too many terms")
        if time.monotonic() > self.deadline:
            raise TooLarge("out of time")

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
        if len(self.num) + len(self.den) > MAX_GCD_TERMS:
            raise TooLarge("too large for a gcd")
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


def fraction(expr: sympy.Expr, deadline: float) -> RationalForm | None:
    if expr.has(sympy.sinh, sympy.cosh, sympy.tanh):
        expr = expr.rewrite(sympy.exp)
    try:
        return RationalForm(expr, deadline)
    except TooLarge:
        return None
