"""The numeric half of equivalence: sample, evaluate both sides on our tape, decide per point.

Doubles first, vectorised over all points; then mpmath (200 bits, ``numeric_highprec``) wherever
doubles cannot be trusted: every disagreement is confirmed there before it counts (float noise never flips a
verdict), and for exact expressions agreeing points are re-checked too (a few spread out, one on
each side of every boundary, and where doubles saturate: see ``numeric_recheck``), so a difference
below double precision (``x + exp(-50)`` vs ``x``, a logistic clipped at |x| > 30) is still found.
Points where a double overflowed are decided in high precision instead of being dropped, and an
answer undefined where the key is defined is wrong unless the point is an isolated (removable)
singularity. Noise floors scale with the largest intermediate value on the tape, not with the
result, so cancellation is accounted for. The re-checks of agreeing and overflowed points can wait
(``run(defer=True)``, then ``finish``) until the prover has had its try: a proof makes them moot.
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from grader.engine.boundary_probe import probe_points
from grader.engine.context import Discrete, Domain, Interval
from grader.engine.numeric_values import NumericOutcome, decimal_rows, decimal_sensitivity, point_at
from grader.engine.numeric_highprec import MP_PREC, ZERO_LEVEL, HighPrecision  # noqa: F401 - re-exported
from grader.engine.numeric_recheck import Watch, overflowed
from grader.engine.piecewise_compare import Boundaries, Region, boundary_functions, row_scale, summed_rows
from grader.engine.sampling import Sampler
from grader.engine.tape import Tape
from grader.engine.tape_sympy import free_symbols

EPS = np.finfo(float).eps
ABS_FLOOR = 1e-12            # absolute floor of the tolerance rule, for inexact (decimal) input only,
                             # applied only where the key is below ZERO_LEVEL (WeBWorK's zeroLevel rule)
MIN_POINTS = 4               # below this many valid points nothing can be concluded
PER_REGION = 12              # valid points wanted in every region of the key
TOTAL = 40                   # valid points wanted overall
PER_LABEL = 6                # valid points wanted on each side-combination of the boundaries seen
MAX_DRAWN = 6000
RANDOM_DISCRETE = 4096       # first batch when discrete combinations are too many to cycle through

# what ``run(defer=True)`` keeps for ``finish``: points, their values, the valid / key-defined masks,
# whether the points were exhaustive, and the agreement mask with its margins
_Deferred = tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, np.ndarray, bool,
                  np.ndarray, np.ndarray]


class NumericComparison(HighPrecision):
    """Compare expression ``key`` with ``answer`` on ``domain`` (both already substituted)."""

    def __init__(self, key: sympy.Expr, answer: sympy.Expr, *, regions: Sequence[Region],
                 domain: Mapping[str, Domain], tolerance: float, tolerant: bool,
                 rng: np.random.Generator, deadline: float | None, inexact: bool = False,
                 boundary_exprs: Sequence[Any] | None = None, edge_exprs: Sequence[Any] = ()) -> None:
        syms: set[sympy.Symbol] = set(free_symbols(key)) | free_symbols(answer)
        for r in regions:
            if isinstance(r.condition, sympy.Basic):
                syms |= free_symbols(r.condition)
        self.inputs = sorted(syms, key=lambda s: s.name)
        self.names = [s.name for s in self.inputs]
        self.key_tape = Tape.from_expr(key, self.inputs)
        self.ans_tape = Tape.from_expr(answer, self.inputs)
        self.regions = list(regions)
        discrete = frozenset(n for n, d in domain.items() if isinstance(d, Discrete))
        # where the two can part: the relations of both sides (default: as given), and the edges
        # of where each is defined as written (``definedness``)
        self.bounds = Boundaries(boundary_exprs or [key, answer], self.regions, self.inputs, discrete)
        # the edges of where each side is defined as written (sqrt(x): x >= 0): probed on both
        # sides, but no reason to draw more points or skip points near them
        self.edge_tapes = [Tape.from_expr(g, self.inputs) for g in boundary_functions(edge_exprs)]
        self.sampler = Sampler(self.names, domain, rng)
        self.tolerance, self.tolerant, self.deadline = tolerance, tolerant, deadline
        # exact numbers (2^-99 vs 2^-98) are compared purely relatively; decimals get the floor
        self.floor = ABS_FLOOR if inexact else 0.0
        self.key_sums, self.ans_sums = summed_rows(self.key_tape), summed_rows(self.ans_tape)
        self.key_decimals, self.ans_decimals = decimal_rows(self.key_tape), decimal_rows(self.ans_tape)
        self.last_mp: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self.mp_values: dict[int, tuple[float, float, float]] = {}
        self.watch = None if tolerant else (Watch(self.key_tape), Watch(self.ans_tape))
        self.rows = len(self.key_tape) + len(self.ans_tape)
        self.continuous = [nm for nm in self.names if not isinstance(domain.get(nm), Discrete)]
        self.intervals = {nm: (d.lo, d.hi) for nm, d in domain.items() if isinstance(d, Interval)}
        self._later: _Deferred | None = None

    # -- sampling ------------------------------------------------------------------------------

    def _batch(self, pts: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        krows, arows = self.key_tape.forward(pts), self.ans_tape.forward(pts)
        k = np.broadcast_to(np.asarray(krows[-1], dtype=float), (n,))
        a = np.broadcast_to(np.asarray(arows[-1], dtype=float), (n,))
        scale = np.maximum(row_scale(krows, n, self.key_sums), row_scale(arows, n, self.ans_sums))
        sens = np.zeros(n)
        if self.tolerant:
            for tape, rows in ((self.key_tape, self.key_decimals), (self.ans_tape, self.ans_decimals)):
                if rows:  # the larger side, not the sum: a plain number counts once (-24/5 vs -4.800006)
                    sens = np.maximum(sens, decimal_sensitivity(tape, rows, pts, n))
        if self.bounds.tapes:
            near, label = self.bounds.near(pts, n)
        else:
            near, label = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
        sat = np.full(n, -1.0)
        if self.watch is not None:  # exact: where doubles saturate, agreement needs high precision
            sat = np.maximum(self.watch[0].saturated(krows, n), self.watch[1].saturated(arows, n))
        none = np.zeros(n, dtype=bool)
        kover = overflowed(self.key_tape, krows, n) if not np.isfinite(k).all() else none
        aover = overflowed(self.ans_tape, arows, n) if not np.isfinite(a).all() else none
        return {"k": k, "a": a, "scale": scale, "sens": sens, "near": near, "label": label,
                "region": self.bounds.region_of(pts, n), "sat": sat, "kover": kover, "aover": aover}

    def _collect(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], bool]:
        full = self.sampler.exhaustive()
        if full is not None:
            n = len(next(iter(full.values()))) if full else 1
            return full, self._batch(full, n), True
        parts_p: list[dict[str, np.ndarray]] = []
        parts_v: list[dict[str, np.ndarray]] = []
        # the first batch covers every discrete combination (and both sides of every boundary)
        n, drawn = max(1024 if self.bounds.tapes else 64, self.sampler.cycle,
                       RANDOM_DISCRETE if self.sampler.random_discrete else 0), 0
        nreg = max(1, len(self.regions))
        while drawn < MAX_DRAWN:
            pts = self.sampler.draw(n) if self.names else {}
            if self.tolerant and self.names and not parts_p:  # where a relative tolerance is tightest
                near = self.sampler.near_zero(pts)
                pts = {nm: np.concatenate([pts[nm], near[nm]]) for nm in self.names}
            m = len(pts[self.names[0]]) if self.names else n
            parts_p.append(pts)
            parts_v.append(self._batch(pts, m))
            drawn += m
            good = np.concatenate([np.isfinite(v["k"]) & ~v["near"] for v in parts_v])
            reg = np.concatenate([v["region"] for v in parts_v])
            counts = [int(np.sum(good & (reg == r))) for r in range(nreg)] if self.regions else [int(good.sum())]
            labels = np.concatenate([v["label"] for v in parts_v])[good]
            per_label = np.unique(labels, return_counts=True)[1] if len(labels) else np.zeros(1)
            if not self.names or (min(counts) >= PER_REGION and sum(counts) >= TOTAL
                                  and per_label.min() >= PER_LABEL):
                break
            if self.deadline is not None and time.monotonic() > self.deadline:
                break
            n = min(4 * n, max(2048, self.sampler.cycle))
        probed = self.bounds.tapes + self.edge_tapes
        if probed:  # both sides of every boundary, where random points rarely land
            got = probe_points(probed, self.sampler, parts_p[0], len(parts_v[0]["k"]))
            if got is not None:
                parts_p.append(got[0])
                parts_v.append(self._batch(got[0], got[1]))
        pts = {name: np.concatenate([p[name] for p in parts_p]) for name in self.names}
        vals = {key: np.concatenate([v[key] for v in parts_v]) for key in parts_v[0]}
        return pts, vals, False

    # -- decision ------------------------------------------------------------------------------

    def run(self, *, defer: bool = False) -> NumericOutcome:
        """Sample, evaluate and decide. With ``defer``, the extra high-precision checks of agreeing
        points and the overflowed points wait for ``finish`` (a symbolic proof makes them moot)."""
        pts, v, exhaustive = self._collect()
        k, a, near, region = v["k"], v["a"], v["near"], v["region"]
        valid = ~near & (region >= 0)
        key_ok = np.isfinite(k) & valid
        both = key_ok & np.isfinite(a)
        need = 1 if exhaustive else MIN_POINTS
        # overflowed points count towards "enough points" only once decided: then not deferred
        later = defer and int(both.sum()) >= need
        extra = self._beyond_doubles(pts, v, valid, key_ok, exhaustive, overflow=not later)
        if isinstance(extra, NumericOutcome):
            return extra
        if int(key_ok.sum()) + extra < need:
            return NumericOutcome("undetermined", message=(
                "could not compare: the expected answer is undefined at almost every sampled point "
                "of the domain (check the question's domain and definitions)"))
        if int(both.sum()) + extra < need:
            return NumericOutcome("undetermined", message=(
                "could not compare: too few points of the domain where both answers are defined"))
        idx = np.flatnonzero(both)
        out = NumericOutcome("equal", n_points=len(idx) + extra, points={n: pts[n][idx] for n in self.names},
                             key=k[idx], answer=a[idx], region=region[idx])
        self.sens_out, self.label_out, self.sat_out = v["sens"][idx], v["label"][idx], v["sat"][idx]
        ok, margin = self._double_ok(k[idx], a[idx], v["scale"][idx], v["sens"][idx])
        if not self.tolerant:  # agreeing only thanks to the noise allowance: as good as saturated
            loose = ok & (np.abs(a[idx] - k[idx]) > 64 * EPS * np.maximum(np.abs(a[idx]), np.abs(k[idx])))
            self.sat_out = np.where(loose, np.maximum(self.sat_out, 0.0), self.sat_out)
        for r in range(max(1, len(self.regions))):
            in_r = out.region == r
            out.region_points.append(int(in_r.sum()))
            wit = self._disagreement(out, ok, margin, in_r)
            if wit is None:
                wit = self._agreement(out, ok, margin, in_r, extra=not later)
            self._record(out, r, wit)
        self._later = (pts, v, valid, key_ok, exhaustive, ok, margin) if later else None
        return out

    def finish(self, out: NumericOutcome) -> NumericOutcome:
        """The checks ``run(defer=True)`` left: overflowed points, and more agreeing points in high
        precision (one per side of every boundary, the least saturated)."""
        if self._later is None or out.status != "equal":
            return out
        pts, v, valid, key_ok, exhaustive, ok, margin = self._later
        self._later = None
        extra = self._beyond_doubles(pts, v, valid, key_ok, exhaustive, undefined=False)
        if isinstance(extra, NumericOutcome):
            return extra
        out.n_points += extra
        for r in range(max(1, len(self.regions))):
            if out.region_ok[r]:
                wit = self._agreement(out, ok, margin, out.region == r, basic=False)
                if wit is not None:
                    out.region_ok[r] = False
                    self._record(out, r, wit)
        return out

    def _record(self, out: NumericOutcome, r: int, wit: int | None) -> None:
        """Region ``r``'s verdict: agreeing (None) or a witness point index."""
        if r == len(out.region_ok):
            out.region_ok.append(wit is None)
            out.region_witness.append(None if wit is None else point_at(out.points, wit))
        elif wit is not None:
            out.region_witness[r] = point_at(out.points, wit)
        if wit is not None and out.witness is None:
            out.status, out.witness = "different", point_at(out.points, wit)
            out.witness_values = self.mp_values.get(wit) or (float(out.answer[wit]), float(out.key[wit]))

    def _double_ok(self, k: np.ndarray, a: np.ndarray, scale: np.ndarray,
                   sens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(agrees in doubles, difference / tolerance): the noise allowance scales with the tape's
        largest intermediate value; points that agree only thanks to it are re-checked in mpmath."""
        d = np.abs(a - k)
        mag = np.maximum(np.abs(a), np.abs(k))
        noise = 1e3 * EPS * np.maximum(scale, mag)
        if not self.tolerant:
            return d <= noise, np.zeros_like(d)
        # the floor only where the key is (about) zero: 1.0001e-8 is not 1e-8
        allowed = self.tolerance * np.maximum(mag, sens) + np.where(np.abs(k) < ZERO_LEVEL, self.floor, 0.0)
        with np.errstate(all="ignore"):
            margin = np.where(d == 0, 0.0, d / np.where(allowed > 0, allowed, 1e-300))
        return d <= allowed + noise, margin
