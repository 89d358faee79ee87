"""Where doubles cannot be trusted, and which points the 200-bit re-check must look at.

Doubles agree for the wrong reason where a value saturates or leaves their range: the logistic
``1/(1+exp(-x))`` is exactly 1.0 for x > 37 (the term ``exp(-x)`` is absorbed), ``exp(-x^2)``
underflows to 0, ``exp(800)`` overflows. An answer that differs from the key only there (a
Piecewise that clips at |x| > 30) agrees in doubles at every point. ``Watch`` flags such points per
tape from the values it already computed (absorbed terms of a sum, an exp that underflowed, a
value that overflowed), so the re-check in high precision goes where doubles saturate, and only
answers that saturate pay for it.

An answer undefined at a sampled point where the key is defined is either undefined on a set of
positive measure (``sqrt(x)`` for x < 0: wrong) or at a removable singularity that a rounded
sample hit exactly (``(x^2-1)/(x-1)`` at ``x = 1``: measure zero, not held against the answer).
``perturbations`` moves such a point a little (10^-6 of the symbol's scale) in two generic
directions of its continuous coordinates: defined at both, the point is isolated.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from grader.engine.tape import Tape

EPS = np.finfo(float).eps
DEEP = 1200.0                  # extra bits for a value beyond the range of doubles
MAX_EXTRA_BITS = 2000
_LONG_TAPE = 100               # rows (key and answer) beyond which the extra bits shrink
_TINY = 1e-290                 # below this a product or power has (nearly) underflowed
_OVERFLOWING = frozenset({"exp", "pow", "powi", "mul", "inv", "sinh", "cosh"})
_GROWING = frozenset({"exp", "pow", "powi", "mul", "add", "sinh", "cosh"})
_STEP = 1e-6                   # perturbation, relative to the symbol's scale
# two fixed generic directions: a removable singular set (a point, a line x = y, ...) is left by both
_DIRECTIONS = (np.array([1.0, -0.618, 0.414, -0.732, 0.259, -0.873]),
               np.array([-0.577, 1.0, 0.838, 0.301, -0.951, 0.445]))


class Watch:
    """The rows of one tape where doubles can saturate: sums (absorption) and growing ops."""

    def __init__(self, tape: Tape) -> None:
        self.sums = [(i, r.args) for i, r in enumerate(tape.rows) if r.op == "add" and len(r.args) > 1]
        self.growing = [(i, r.op) for i, r in enumerate(tape.rows) if r.op in _OVERFLOWING]

    def saturated(self, rows: Sequence[Any], n: int) -> np.ndarray:
        """Per point, -1 where doubles did not saturate, else about how many bits beyond the 200 of
        the re-check it takes to see the absorbed term (an absorbed sum term 2^-60 of its total:
        60; an underflow or overflow: ``DEEP``)."""
        out = np.full(n, -1.0)
        # each sum's terms (and then all growing rows) in one stacked pass, not row by row
        with np.errstate(all="ignore"):
            for i, args in self.sums:
                total = np.abs(_arr(rows[i], n))
                t = np.abs(np.stack([_arr(rows[j], n) for j in args]))
                absorbed = (t > 0) & (t < EPS * total)
                if absorbed.any():
                    bits = np.where(absorbed, np.log2(total / np.where(t > 0, t, 1.0)), -np.inf).max(axis=0)
                    out = np.where(absorbed.any(axis=0), np.maximum(out, bits), out)
            if self.growing:
                v = np.abs(np.stack([_arr(rows[i], n) for i, _ in self.growing]))
                is_exp = np.array([op == "exp" for _, op in self.growing])[:, None]
                deep = (np.isinf(v) | ((v < _TINY) & ((v > 0) | is_exp))).any(axis=0)
                out = np.where(deep, DEEP, out)
        return out


def _arr(v: Any, n: int) -> np.ndarray:
    if type(v) is np.ndarray and v.shape == (n,) and v.dtype == float:
        return v  # the tape's rows already are (the common case: no copy, no view)
    return np.broadcast_to(np.asarray(v, dtype=float), (n,))


def overflowed(tape: Tape, rows: Sequence[Any], n: int) -> np.ndarray:
    """Per point: a growing operation of the tape (exp, a power, a product, a sum) gave an infinite
    value, that is a double overflowed on the way (1/0 is no overflow: it is undefined)."""
    out = np.zeros(n, dtype=bool)
    for i, r in enumerate(tape.rows):
        if r.op in _GROWING:
            out |= np.isinf(_arr(rows[i], n))
    return out


def perturbations(points: Mapping[str, np.ndarray], idx: np.ndarray, continuous: Sequence[str],
                  intervals: Mapping[str, tuple[float, float]]) -> dict[str, np.ndarray]:
    """Two points near each of ``points[idx]`` (moved in the continuous coordinates, staying
    inside their intervals: a step out of one is taken the other way): 2*len(idx) points."""
    out = {}
    for nm, v in points.items():
        base = np.asarray(v, dtype=float)[idx]
        if nm in continuous:
            j = list(continuous).index(nm) % len(_DIRECTIONS[0])
            lo, hi = intervals.get(nm, (-np.inf, np.inf))
            step = _STEP * np.maximum(hi - lo if np.isfinite(hi - lo) else 1.0, np.abs(base))
            moved = []
            for d in _DIRECTIONS:
                p = base + d[j] * step
                moved.append(np.where((p < lo) | (p > hi), base - d[j] * step, p))
            out[nm] = np.concatenate(moved)
        else:
            out[nm] = np.concatenate([base, base])
    return out


def shallowest(candidates: np.ndarray, label: np.ndarray, depth: np.ndarray, per_label: int,
               cap: int) -> list[int]:
    """Up to ``per_label`` candidates of every label with the least saturation (where a difference
    shows with the fewest extra bits), at most ``cap``."""
    chosen: list[int] = []
    for lab in np.unique(label[candidates]):
        mine = candidates[label[candidates] == lab]
        chosen += [int(i) for i in mine[np.argsort(depth[mine], kind="stable")][:per_label]]
        if len(chosen) >= cap:
            break
    return chosen[:cap]


def extra_bits(depth: float, rows: int = 0) -> int:
    """Bits to add to the 200-bit re-check for a point saturated ``depth`` bits deep (fewer on a
    long tape, where each bit costs more: the re-check is one of many)."""
    cap = MAX_EXTRA_BITS if rows <= _LONG_TAPE else MAX_EXTRA_BITS * _LONG_TAPE // rows
    return int(min(cap, max(0.0, depth) + 16)) if depth >= 0 else 0


def spread(candidates: np.ndarray, label: np.ndarray, per_label: int, cap: int) -> list[int]:
    """Up to ``per_label`` candidates of every label (spread over each label's list), at most ``cap``."""
    chosen: list[int] = []
    labs = label[candidates]
    # grouped by one stable sort (each label's candidates keep their order), not one mask per label
    order = np.argsort(labs, kind="stable")
    grouped = candidates[order]
    _, starts, counts = np.unique(labs[order], return_index=True, return_counts=True)
    for start, count in zip(starts.tolist(), counts.tolist()):
        mine = grouped[start:start + count]
        chosen += [int(i) for i in mine[:: max(1, len(mine) // per_label)][:per_label]]
        if len(chosen) >= cap:
            break
    return chosen[:cap]
