"""Regions of a piecewise key and the boundaries that sampled points must keep away from.

A key ``Piecewise((e1, c1), (e2, c2), (e3, True))`` has regions ``c1``, ``~c1 & c2``,
``~c1 & ~c2``; each point gets the index of the first branch whose condition holds (-1: none).
Every relational of either side (and the argument of Heaviside/sign) is a boundary: a point whose
``lhs - rhs`` is within a small relative distance of 0 is skipped, so "boundaries excluded".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy
from cachetools.func import lru_cache
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from grader.engine.tape import Tape

BOUNDARY_EPS = 1e-7


@dataclass(frozen=True)
class Region:
    """One branch region of the key: its condition (as written, and substituted) and its text."""

    condition: Any          # substituted condition (sympy Boolean), evaluated on points
    text: str               # human text in the context's names, e.g. "y_i*a_i < 1"


def key_piecewise(expr: sympy.Expr) -> sympy.Piecewise | None:
    """The key's Piecewise: the expression itself, or its only Piecewise sub-expression."""
    if isinstance(expr, sympy.Piecewise):
        return expr
    found = list(expr.atoms(sympy.Piecewise))
    return found[0] if len(found) == 1 else None


def _region_text(conds: Sequence[Any], k: int) -> str:
    cond = conds[k]
    previous = [c for c in conds[:k] if not isinstance(c, BooleanFalse)]
    if isinstance(cond, BooleanTrue):
        if not previous:
            return "everywhere"
        negated = sympy.And(*[sympy.Not(c) for c in previous])
        return _text(negated)
    return _text(cond)


def _text(cond: Any) -> str:
    return str(cond).replace("&", "and").replace("|", "or").replace("~", "not ")


def regions(original: sympy.Expr, substitute: Callable[[sympy.Expr], sympy.Expr]) -> list[Region]:
    """The regions of ``original`` (a key, before substitution); empty when it is not piecewise."""
    pw = key_piecewise(original)
    if pw is None:
        return []
    conds = [c for _e, c in pw.args]
    return [Region(substitute(c) if isinstance(c, sympy.Basic) else c, _region_text(conds, k))
            for k, c in enumerate(conds)]


def boundary_functions(exprs: Sequence[Any]) -> list[sympy.Expr]:
    """The boundary functions (``lhs - rhs`` of relationals, ...) of several expressions, ordered."""
    funcs: set[sympy.Expr] = set()
    for e in exprs:
        funcs |= _relationals(e)
    return sorted(funcs, key=sympy.default_sort_key)


@lru_cache(maxsize=2048)
def _relationals(expr: Any) -> frozenset[sympy.Expr]:
    """``lhs - rhs`` of every relational, and arguments of Heaviside/sign, in ``expr``
    (memoised: a key's boundaries are the same for every answer)."""
    out: set[sympy.Expr] = set()
    if not isinstance(expr, sympy.Basic):
        return frozenset()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.core.relational.Relational):
            out.add(node.lhs - node.rhs)
        elif isinstance(node, (sympy.Heaviside, sympy.sign, sympy.Abs)):
            out.add(node.args[0])
        elif isinstance(node, (sympy.Max, sympy.Min)) and len(node.args) == 2:
            out.add(node.args[0] - node.args[1])
    return frozenset(g for g in out if g.free_symbols)


class Boundaries:
    """Tapes of the boundary functions of several expressions, and the key's region conditions."""

    def __init__(self, exprs: Sequence[Any], region_list: Sequence[Region], inputs: Sequence[sympy.Symbol],
                 discrete: frozenset[str] = frozenset()) -> None:
        funcs: set[sympy.Expr] = set()
        for e in exprs:
            funcs |= _relationals(e)
        for r in region_list:
            funcs |= _relationals(r.condition)
        ordered = sorted(funcs, key=sympy.default_sort_key)
        self.tapes = [Tape.from_expr(g, inputs) for g in ordered]
        self.summed = [summed_rows(t) for t in self.tapes]
        # a boundary in discrete symbols only (y_i >= 1 with y_i in {0, 1}) is met exactly, not
        # approached: those points are decided by the condition itself, never skipped
        self.exact = [{s.name for s in g.free_symbols} <= discrete for g in ordered]
        self.conditions: list[Tape | bool] = []
        for r in region_list:
            c = r.condition
            if isinstance(c, (BooleanTrue, BooleanFalse)) or c is True or c is False:
                self.conditions.append(bool(c))
            else:
                self.conditions.append(Tape.from_expr(c, inputs))

    def near(self, values: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        """(True where a point is within BOUNDARY_EPS (relative) of any boundary, a label per point:
        which side of each boundary it lies on). Sampling makes sure every label seen gets points,
        so a branch of either side that covers a small part of the domain is not missed."""
        mask = np.zeros(n, dtype=bool)
        label = np.zeros(n, dtype=np.int64)
        for j, tape in enumerate(self.tapes):
            rows = tape.forward(values)
            g = np.broadcast_to(np.asarray(rows[-1], dtype=float), (n,))
            scale = row_scale(rows, n, self.summed[j])
            with np.errstate(all="ignore"):
                if not self.exact[j]:
                    # an undefined boundary function (the edge sqrt(1-x) <= 1 of a written
                    # arccos, where x > 1) is no boundary nearby: that point is decided, not skipped
                    mask |= np.abs(g) <= BOUNDARY_EPS * np.maximum(scale, 1.0)
                if j < 16:
                    label |= (g > 0).astype(np.int64) << j
        return mask, label

    def region_of(self, values: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """Index of the key's region at each point (-1: no branch applies; 0 when not piecewise)."""
        if not self.conditions:
            return np.zeros(n, dtype=int)
        out = np.full(n, -1, dtype=int)
        for k, cond in enumerate(self.conditions):
            if isinstance(cond, bool):
                hold = np.full(n, cond)
            else:
                hold = np.broadcast_to(np.asarray(cond.output(values), dtype=bool), (n,))
            out = np.where((out == -1) & hold, k, out)
        return out


def summed_rows(tape: Tape) -> list[int]:
    """Rows whose rounding errors can cancel: the terms of every sum, and the output.

    Products, quotients and functions carry a relative error; only a sum turns the size of its
    terms into an absolute error of the result. So the noise scale of a point is the largest term
    summed there, not the largest number on the tape (the 60 of ``exp(-60)`` is no noise scale).
    """
    rows = {len(tape.rows) - 1}
    for row in tape.rows:
        if row.op == "add":
            rows.update(row.args)
    return sorted(rows)


def row_scale(rows: Sequence[Any], n: int, which: Sequence[int] | None = None) -> np.ndarray:
    """Per point, the largest finite magnitude among the ``which`` rows (default all numeric rows)."""
    parts = []
    for i in (range(len(rows)) if which is None else which):
        v = rows[i]
        if isinstance(v, (bool, np.bool_)):
            continue
        arr = np.asarray(v)
        if arr.dtype == bool:
            continue
        parts.append(arr if arr.shape == (n,) and arr.dtype == float else np.broadcast_to(arr.astype(float), (n,)))
    if not parts:
        return np.zeros(n)
    # one pass over all rows at once: a few numpy calls instead of three per row
    a = np.abs(np.stack(parts))
    a[~np.isfinite(a)] = 0.0
    out: np.ndarray = a.max(axis=0)
    return out


def mp_scale(rows: Sequence[Any], which: Sequence[int] | None = None) -> Any:
    """The largest finite magnitude among the ``which`` mpmath rows (default all)."""
    import mpmath

    best = mpmath.mpf(0)
    for i in (range(len(rows)) if which is None else which):
        v = rows[i]
        if isinstance(v, bool) or not isinstance(v, (mpmath.mpf, int, float)):
            continue
        if mpmath.isfinite(v):
            m = abs(v)
            if m > best:
                best = m
    return best
