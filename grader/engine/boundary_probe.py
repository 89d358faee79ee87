"""Extra points where a piecewise answer and the key can part: just either side of every boundary.

Random points miss a thin band between two nearby boundaries (cases ``x < 1.001`` against the key's
``x < 1``) and a sliver at the edge of the domain (``x + Heaviside(x - 2.999)`` on ``[-3, 3]``): the
answer is wrong there, on a set of positive measure, and random points almost never land in it. Along
segments between sampled points, and from sampled points out to each interval's ends, every sign
change of each boundary function is located by bisection, and points are added a little way either
side of it, and midway between the crossings of two boundaries on one segment (a band thinner
than the offsets); the interval ends themselves are added too. A symbol without a domain ranges over the
reals: its segments run out to +-10^6 (a breakpoint at x = 10^5 is probed on both sides), and the
far ends themselves are not added. Only expressions with boundaries (Piecewise,
Heaviside, sign, Abs, Max, Min) pay for this, a few tape evaluations of at most 32 points each per boundary.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from grader.engine.context import Discrete
from grader.engine.sampling import Sampler
from grader.engine.tape import Tape

_PAIRS = 32                 # segments bisected per boundary function
_EDGE_BASES = 8             # sampled points pushed out to each end of each interval
_STEPS = 10                 # Illinois (false position) steps: a linear boundary needs one
_OFFSETS = (1e-3, 1e-5)     # probes at root +- offset (fractions of the segment)
FAR = 1e6                   # how far the segments of a symbol without a domain reach


def _value(tape: Tape, pts: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    rows = tape.forward(pts)
    return np.broadcast_to(np.asarray(rows[-1], dtype=float), (n,))


def _mix(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray], t: np.ndarray,
         continuous: Sequence[str]) -> dict[str, np.ndarray]:
    return {nm: (a[nm] + t * (b[nm] - a[nm]) if nm in continuous else a[nm]) for nm in a}


def _cat(parts: Sequence[Mapping[str, np.ndarray]], names: Sequence[str]) -> dict[str, np.ndarray]:
    return {nm: np.concatenate([p[nm] for p in parts]) for nm in names}


def _root(tape: Tape, sa: Mapping[str, np.ndarray], sb: Mapping[str, np.ndarray], fa: np.ndarray,
          fb: np.ndarray, continuous: Sequence[str]) -> np.ndarray:
    """Where ``tape`` changes sign on each segment sa -> sb (fa, fb: its values at the ends)."""
    lo, hi = np.zeros(len(fa)), np.ones(len(fa))
    t = lo
    for _ in range(_STEPS):
        t = np.where(np.isfinite(fa - fb) & (fa != fb), (lo * fb - hi * fa) / (fb - fa), 0.5 * (lo + hi))
        t = np.where((t > lo) & (t < hi), t, 0.5 * (lo + hi))
        ft = _value(tape, _mix(sa, sb, t, continuous), len(t))
        if not np.any(np.abs(ft) > 1e-12 * (np.abs(fa) + np.abs(fb))):
            break  # on the boundary everywhere (a linear boundary: the first step)
        left = (ft > 0) == (fa > 0)  # the sign change is to the right of t
        # Illinois: halve the value kept at the end that did not move, so both ends converge
        fb = np.where(left, fb * 0.5, ft)
        fa = np.where(left, ft, fa * 0.5)
        lo, hi = np.where(left, t, lo), np.where(left, hi, t)
        if float(np.max(hi - lo)) < 1e-9:
            break
    return t


def _between(seg_roots: Sequence[tuple[np.ndarray, np.ndarray]], a: Mapping[str, np.ndarray],
             b: Mapping[str, np.ndarray], continuous: Sequence[str]) -> list[dict[str, np.ndarray]]:
    """Midpoints between the crossings of different boundaries on one segment: a band thinner than
    the offsets (``x > 10^-5`` against ``Max(x, 0)``: wrong on (0, 10^-5]) gets a point inside."""
    by_seg: dict[int, list[float]] = {}
    for cross, root in seg_roots:
        for i, t in zip(cross.tolist(), root.tolist()):
            by_seg.setdefault(i, []).append(t)
    segs, mids = [], []
    for i, ts in by_seg.items():
        ts = sorted(set(ts))
        for lo, hi in zip(ts, ts[1:]):
            segs.append(i)
            mids.append(0.5 * (lo + hi))
    if not segs:
        return []
    idx = np.asarray(segs)
    sa = {nm: v[idx] for nm, v in a.items()}
    sb = {nm: v[idx] for nm, v in b.items()}
    return [_mix(sa, sb, np.asarray(mids), continuous)]


def probe_points(tapes: Sequence[Tape], sampler: Sampler, pts: Mapping[str, np.ndarray],
                 n: int) -> tuple[dict[str, np.ndarray], int] | None:
    """(points, count) either side of every boundary crossing found, plus the domain's edges."""
    names = list(sampler.names)
    continuous = [nm for nm in names if not isinstance(sampler.domain.get(nm), Discrete)]
    if not tapes or not continuous or n < 2:
        return None
    k = min(n - 1, _PAIRS)
    start = {nm: np.asarray(pts[nm][:k], dtype=float) for nm in names}
    segs_a = [start]
    segs_b = [{nm: (np.asarray(pts[nm][1:k + 1], dtype=float) if nm in continuous else start[nm]) for nm in names}]
    edges = []
    j = min(k, _EDGE_BASES)
    for c in continuous:
        iv = sampler.interval(c) if sampler.declared(c) else None
        for end in ((iv.lo, iv.hi) if iv is not None else (-FAR, FAR)):
            e = {nm: start[nm][:j].copy() for nm in names}
            e[c][:] = end
            if iv is not None:  # the whole real line has no edges to sample
                edges.append(e)
            segs_a.append({nm: start[nm][:j] for nm in names})
            segs_b.append(e)
    a, b = _cat(segs_a, names), _cat(segs_b, names)
    m = len(a[names[0]])
    probes = list(edges)
    seg_roots: list[tuple[np.ndarray, np.ndarray]] = []
    with np.errstate(all="ignore"):
        for tape in tapes:
            ga, gb = _value(tape, a, m), _value(tape, b, m)
            cross = np.flatnonzero(np.isfinite(ga) & np.isfinite(gb) & ((ga > 0) != (gb > 0)))[:_PAIRS]
            if not len(cross):
                continue
            sa = {nm: a[nm][cross] for nm in names}
            sb = {nm: b[nm][cross] for nm in names}
            root = _root(tape, sa, sb, ga[cross], gb[cross], continuous)
            for off in _OFFSETS:
                for t in (root - off, root + off):
                    probes.append(_mix(sa, sb, np.clip(t, 0.0, 1.0), continuous))
            seg_roots.append((cross, root))
    probes += _between(seg_roots, a, b, continuous)
    if not probes:
        return None
    out = _cat(probes, names)
    return out, len(out[names[0]])
