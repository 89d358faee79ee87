"""Where an expression is defined *as written*, when sympy's construction has simplified that away.

sympy simplifies while it builds: ``exp(log(x))`` is ``x``, ``sqrt(x)**2`` is ``x``,
``sin(asin(x))`` is ``x``, ``x/x`` is ``1``. Over the reals each written form is undefined somewhere
(x < 0, |x| > 1, x = 0) where the built form is defined, so an answer must not be judged by the
built form alone. The parser records a ``Guard`` for every partial operation it builds (square and
even roots: radicand >= 0; logarithm: argument > 0; arcsin/arccos: |argument| <= 1; division and
negative powers: divisor != 0; a power with a symbolic exponent, ``x^y x^{-y}`` built as 1: the
power as written is a real number), on the argument as built; an operation inside a piecewise branch
is guarded only where that branch is the one taken. Guards compose: the guard of ``sqrt(log(x))``
holds ``log(x) >= 0`` and ``x > 0``, so the inner logarithm is checked even when the outer form
changes.

Wherever every guard holds, sympy's built form has the written form's value (its rewrites are
identities wherever the intermediate values are real), so the numeric comparison evaluates the
built form and treats a point as undefined where a guard fails: the written form's meaning,
without its overflow-prone intermediates (``log(e^{1000x})``).

A divisor that can vanish only on a set of measure zero of continuous symbols (``x^2/x`` at
``x = 0``) is a removable singularity that sampling never meets; its guard is kept only when the
divisor involves a discrete symbol, where ``(y-1)/(y-1)`` at ``y = 1`` is a whole case of the
domain the answer leaves undefined. A divisor built from Max, Min, Heaviside, sign or Piecewise
can vanish on a whole interval (``Max(0, x)/Max(0, x)``): its guard is kept too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

import sympy

NONNEG, POS, UNIT, NONZERO, FINITE = "nonneg", "pos", "unit", "nonzero", "finite"
# functions constant on whole intervals: a divisor built from them can vanish on a set of
# positive measure (Max(0, x) for all x < 0), so its guard is always kept
_FLAT = (sympy.Max, sympy.Min, sympy.Heaviside, sympy.Piecewise, sympy.sign)
_ASSUME_NODES = 40  # sympy's sign assumptions are only asked of small arguments (cost)


@dataclass(frozen=True)
class Guard:
    """The written form is defined only where ``arg`` satisfies ``kind`` (when ``when`` holds)."""

    kind: str
    arg: sympy.Expr
    when: tuple[sympy.Basic, ...] = ()


_HOLDS = {NONNEG: lambda a: a >= 0, POS: lambda a: a > 0, UNIT: lambda a: abs(a) <= 1,
          NONZERO: lambda a: a != 0}


def guard_for(kind: str, arg: sympy.Expr) -> Guard | None:
    """A guard on ``arg``, or None when it plainly always holds (a positive number)."""
    if arg.is_Rational or arg.is_Float:
        # only the comparison asked for (each one builds and decides a sympy relation)
        holds = _HOLDS[kind](arg)
        if holds:
            return None
    return Guard(kind, arg)


def _negligible(divisor: sympy.Expr, discrete: frozenset[str]) -> bool:
    """A divisor whose zeros are a set of measure zero: continuous symbols only, no flat pieces."""
    return bool(divisor.free_symbols) and not any(s.name in discrete for s in divisor.free_symbols) \
        and not divisor.has(*_FLAT)


def _always(kind: str, arg: sympy.Expr) -> bool:
    """sympy's assumptions say the guard holds everywhere (asked only of small arguments)."""
    from grader.engine.prover_rational import nodes

    if kind not in (NONNEG, POS) or nodes(arg, cap=_ASSUME_NODES + 1) > _ASSUME_NODES:
        return False
    return bool(arg.is_nonnegative) if kind == NONNEG else bool(arg.is_positive)


def _relation(kind: str, arg: sympy.Expr) -> sympy.Basic:
    zero, one = sympy.S.Zero, sympy.S.One
    if kind == NONNEG:
        return sympy.GreaterThan(arg, zero, evaluate=False)
    if kind == POS:
        return sympy.StrictGreaterThan(arg, zero, evaluate=False)
    if kind == UNIT:
        return sympy.And(sympy.LessThan(arg, one, evaluate=False),
                         sympy.GreaterThan(arg, -one, evaluate=False), evaluate=False)
    if kind == FINITE:  # false exactly where the written value is nan (nan == nan is false)
        return sympy.Equality(arg, arg, evaluate=False)
    return sympy.Unequality(arg, zero, evaluate=False)


class Definedness(NamedTuple):
    """Where a written form is defined: ``cond`` (None: everywhere), and the inequalities whose
    sign changes bound that set (``x >= 0``), for sampling both sides of them. A divisor's
    ``!= 0`` is no such edge: Max(0, x) is 0 on a whole interval, not near a boundary there."""

    cond: sympy.Basic | None
    edges: tuple[sympy.Basic, ...]


def condition(guards: Iterable[Guard], substitute: Callable[[sympy.Expr], sympy.Expr],
              discrete: frozenset[str], defined: frozenset[str] = frozenset()) -> Definedness:
    """The condition (a sympy Boolean, unevaluated) under which the written form is defined, with
    the context's definitions (``defined``: the names that have one) substituted."""
    parts, edges = [], []
    seen: set[tuple[str, sympy.Expr, tuple[sympy.Basic, ...]]] = set()
    for g in guards:
        if g.kind == NONZERO and _negligible(g.arg, discrete | defined) \
                and not g.arg.has(sympy.core.function.AppliedUndef):
            continue  # measure zero (below), decided before paying for the substitution
        arg = substitute(g.arg)
        if g.kind == NONZERO and _negligible(arg, discrete):
            continue  # measure zero for continuous symbols: a removable singularity (see above)
        if (g.kind, arg, g.when) in seen or _always(g.kind, arg):
            continue
        seen.add((g.kind, arg, g.when))
        check = _relation(g.kind, arg)
        if g.kind in (NONNEG, POS, UNIT):
            edges.append(check)
        if g.when:
            taken = [_substitute_bool(w, substitute) for w in g.when]
            check = sympy.Or(sympy.Not(sympy.And(*taken, evaluate=False), evaluate=False), check, evaluate=False)
        parts.append(check)
    if not parts:
        return Definedness(None, ())
    return Definedness(parts[0] if len(parts) == 1 else sympy.And(*parts, evaluate=False), tuple(edges))


def _substitute_bool(cond: sympy.Basic, substitute: Callable[[sympy.Expr], sympy.Expr]) -> sympy.Basic:
    """A branch condition with the definitions substituted into its relationals."""
    if isinstance(cond, sympy.core.relational.Relational):
        return cond.func(substitute(cond.lhs), substitute(cond.rhs), evaluate=False)
    if isinstance(cond, (sympy.And, sympy.Or, sympy.Not)):
        return cond.func(*(_substitute_bool(a, substitute) for a in cond.args), evaluate=False)
    return cond


def guarded(expr: sympy.Expr, cond: sympy.Basic | None) -> sympy.Expr:
    """``expr`` where ``cond`` holds, undefined elsewhere (for the tape; never shown or proven)."""
    if cond is None:
        return expr
    return sympy.Piecewise((expr, cond), evaluate=False)
