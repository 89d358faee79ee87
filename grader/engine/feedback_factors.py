"""Factor hints on a wrong answer: the expected answer times a constant, plus a constant, or times
a factor. Used by ``feedback``.

A constant or factor read off double-precision samples is only a candidate (``2 + 1e-9 w`` looks
like 2 in doubles): it is said only after ``answer == factor * key + offset`` holds at the sampled
points in 200-bit arithmetic. A factor is named only when a student can read it at a glance: a
constant, or a constant times a power of one symbol (``2``, ``1/2``, ``x_i``, ``p_i^2``, ``3*w``);
any other factor gets a generic sentence naming what it depends on.
"""

from __future__ import annotations

import time
from fractions import Fraction
from cachetools.func import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from grader.engine.errors import EngineError
from grader.engine.prover_rational import nodes
from grader.engine.tape import Tape
from grader.engine.witness_print import MP_PREC, exact_value

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.context import GradingContext

_VERIFY_POINTS = 3
_VERIFY_REL = mpmath.mpf("1e-30")    # far above 200-bit noise, far below any typed difference
_RATIO_BUDGET_S = 0.02  # a hint, not a verdict: a small share of the answer's time
_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.asin, sympy.acos, sympy.atan)


def math_text(expr: sympy.Expr) -> str:
    """``p_i^2``, ``3*w``: as a student types it (``^``, not Python's ``**``)."""
    printed: str = sympy.sstr(expr)
    return printed.replace("**", "^")


def simple_factor(expr: sympy.Expr) -> bool:
    """A rational constant, or one times an integer power of one symbol."""
    c, rest = expr.as_coeff_Mul()
    if not c.is_Rational:
        return False
    if rest == 1:
        return True
    base, exp = rest.as_base_exp()
    return bool(base.is_Symbol and exp.is_Integer)


def holds(answer: sympy.Expr, key: sympy.Expr, points: Mapping[str, np.ndarray], *,
          factor: sympy.Expr = sympy.S.One, offset: sympy.Expr = sympy.S.Zero) -> bool:
    """Is ``answer == factor * key + offset`` at (up to 3 of) the sampled points, in 200-bit
    arithmetic? ``factor`` and ``offset`` are in the points' symbols (definitions substituted)."""
    names = tuple(points)
    n = len(next(iter(points.values()))) if points else 1
    if n == 0:
        return False
    syms = [sympy.Symbol(s, real=True) for s in names]
    rhs = factor * key + offset
    if not {s.name for s in rhs.free_symbols | answer.free_symbols} <= set(names):
        return False
    try:
        ta, tr = Tape.from_expr(answer, syms), Tape.from_expr(rhs, syms)
    except EngineError:
        return False
    for i in sorted({0, n // 2, n - 1})[:_VERIFY_POINTS]:
        point = {s: float(np.asarray(points[s]).reshape(-1)[i]) for s in names}
        a, a_scale = exact_value(ta, point)
        r, r_scale = exact_value(tr, point)
        if a is None or r is None:
            return False
        with mpmath.workprec(MP_PREC):
            if abs(a - r) > _VERIFY_REL * max(abs(a), abs(r), a_scale, r_scale):
                return False
    return True


def constant_difference(answer: sympy.Expr, key: sympy.Expr, points: Mapping[str, np.ndarray]) -> bool:
    """Is ``answer - key`` the same number at (up to 3 of) the sampled points, in 200-bit arithmetic?"""
    names = tuple(points)
    n = len(next(iter(points.values()))) if points else 0
    syms = [sympy.Symbol(s, real=True) for s in names]
    try:
        ta, tk = Tape.from_expr(answer, syms), Tape.from_expr(key, syms)
    except EngineError:
        return False
    diffs = []
    for i in sorted({0, n // 2, n - 1}) if n else []:
        point = {s: float(np.asarray(points[s]).reshape(-1)[i]) for s in names}
        (a, a_scale), (k, k_scale) = exact_value(ta, point), exact_value(tk, point)
        if a is None or k is None:
            return False
        diffs.append((a - k, max(abs(a), abs(k), a_scale, k_scale)))
    with mpmath.workprec(MP_PREC):
        return len(diffs) >= 2 and all(abs(d - diffs[0][0]) <= _VERIFY_REL * s for d, s in diffs)


def candidates(ctx: "GradingContext", exprs: Iterable[sympy.Expr]) -> list[sympy.Expr]:
    """Every symbol of the expressions and the context, and ``1 - s`` for a defined ``s``."""
    names: dict[str, sympy.Symbol] = {}
    for e in exprs:
        for s in e.free_symbols:
            names.setdefault(s.name, s)
    for n in list(ctx.symbol_definitions) + list(ctx.domain):
        names.setdefault(n, sympy.Symbol(n, real=True))
    out: list[sympy.Expr] = []
    for n in sorted(names):
        s = names[n]
        out.append(s)
        if n in ctx.symbol_definitions:
            out.append(1 - s)
    return out


@lru_cache(maxsize=1024)
def _candidate_tape(ctx: "GradingContext", cand: sympy.Expr, names: tuple[str, ...]) -> Tape | None:
    """The tape of a candidate factor with the definitions substituted, once per question:
    candidates depend on the context and the key, not on the answer."""
    value = ctx.substitute(cand)
    if not {s.name for s in value.free_symbols} <= set(names):
        return None
    return Tape.from_expr(value, [sympy.Symbol(n, real=True) for n in names])


def factor_sentence(kind: str, factor: sympy.Expr, ctx: "GradingContext") -> str:
    """``your answer has a missing factor of x_i`` for a simple factor; else what it depends on."""
    if simple_factor(factor):
        return f"your answer has {kind} factor of {math_text(factor)}"
    names = sorted(s.name for s in factor.free_symbols)
    on = f" (it depends on {', '.join(names)})" if names else ""
    return f"your answer is off by a factor that is not a constant{on}"


def factor_hint(ratio: np.ndarray, points: Mapping[str, np.ndarray], ctx: "GradingContext",
                cands: Sequence[sympy.Expr], key: sympy.Expr, answer: sympy.Expr,
                constant: Any) -> str | None:
    """Match answer/expected against each candidate and each product of two (``p_i*(1 - p_i)``:
    the whole dp/da factor of a chain rule), up to a simple constant (``constant(values)`` gives
    the common value of an array or None); verified before it is said."""
    from grader.engine.feedback import simple_number

    names = tuple(points)
    values: list[tuple[sympy.Expr, np.ndarray]] = []
    for cand in cands:
        tape = _candidate_tape(ctx, cand, names)
        if tape is None:
            continue
        f = np.broadcast_to(np.asarray(tape.output(points), dtype=float), ratio.shape)
        if np.all(np.isfinite(f)):
            values.append((cand, f))
    # a product of two candidates is built in sympy only once its values match
    tries = [(c, None, f) for c, f in values] + [(c1, c2, f1 * f2) for i, (c1, f1) in enumerate(values)
                                                 for c2, f2 in values[i:]]
    for c1, c2, f in tries:
        with np.errstate(all="ignore"):
            for kind, q in (("an extra", ratio / f), ("a missing", ratio * f)):
                c = constant(q) if np.all(np.isfinite(q)) else None
                num = simple_number(c) if c is not None else None
                if num is None:
                    continue
                cand = c1 if c2 is None else c1 * c2
                k = sympy.Rational(Fraction(num))
                factor = k * cand if kind == "an extra" else cand / k
                multiplier = factor if kind == "an extra" else 1 / factor
                if not holds(answer, key, points, factor=ctx.substitute(multiplier)):
                    continue
                return factor_sentence(kind, factor, ctx)
    return None


def simplified_ratio(key: sympy.Expr, answer: sympy.Expr, ctx: "GradingContext",
                     deadline: float | None) -> str | None:
    """answer/expected simplified within a small budget (an exact rewriting: no check needed)."""
    from grader.engine.feedback import readable

    budget = _RATIO_BUDGET_S if deadline is None else min(_RATIO_BUDGET_S, deadline - time.monotonic())
    if budget <= 0.005:
        return None
    from grader.engine.prover import try_simplify

    ratio = answer / key
    if ratio.has(*_TRIG) or nodes(ratio, cap=41) > 40:
        return None  # sympy's trigsimp can run for seconds past any budget: not for a hint
    try:
        r = try_simplify(ratio, budget_s=budget)
    except Exception:  # noqa: BLE001 - feedback is best effort, never a failure
        return None
    if r is None and nodes(ratio, cap=16) <= 15:
        r = ratio   # sympy already cancelled it (x_i^3): nothing smaller to find
    if r is None or r.is_number or not readable(r):
        return None
    r = ctx.abbreviate(r)  # p_i/(p_i - y_i) rather than the same in w and x_i
    if not readable(r):
        return None
    if nodes(r, cap=16) > 15 or any(abs(q.p) > 1000 or q.q > 1000 for q in r.atoms(sympy.Rational)):
        return None   # no factor worth a sentence: the answers just differ
    if simple_factor(r):
        return f"your answer is {math_text(r)} times the expected answer"
    return factor_sentence("an extra", r, ctx)
