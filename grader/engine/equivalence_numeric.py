"""The numeric half of equivalence: sample, evaluate both sides on our tape, decide per point.

Doubles first, vectorised over all points; then mpmath (200 bits) wherever doubles cannot be
trusted: every disagreement is confirmed there before it counts (float noise never flips a
verdict), and for exact expressions agreeing points are re-checked too (a few spread out, one on
each side of every boundary, and where doubles saturate: see ``numeric_recheck``), so a difference
below double precision (``x + exp(-50)`` vs ``x``, a logistic clipped at |x| > 30) is still found.
Points where a double overflowed are decided in high precision instead of being dropped, and an
answer undefined where the key is defined is wrong unless the point is an isolated (removable)
singularity. Noise floors scale with the largest intermediate value on the tape, not with the
result, so cancellation is accounted for.
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from grader.engine.boundary_probe import probe_points
from grader.engine.context import Discrete, Domain, Interval
from grader.engine.numeric_values import (  # noqa: F401 - NumericOutcome is imported from here
    NumericOutcome, decimal_rows, decimal_sensitivity, mpf_value, point_at)
from grader.engine.numeric_recheck import Watch, extra_bits, overflowed, perturbations, shallowest, spread
from grader.engine.piecewise_compare import Boundaries, Region, mp_scale, row_scale, summed_rows
from grader.engine.sampling import Sampler
from grader.engine.tape import Tape

EPS = np.finfo(float).eps
ABS_FLOOR = 1e-12            # absolute floor of the tolerance rule, for inexact (decimal) input only,
ZERO_LEVEL = 1e-14           # applied only where the key is below this (WeBWorK's zeroLevel rule)
MP_PREC = 200                # bits (about 60 digits) for high-precision re-checks
MP_REL_NOISE = mpmath.mpf("1e-45")
MIN_POINTS = 4               # below this many valid points nothing can be concluded
PER_REGION = 12              # valid points wanted in every region of the key
TOTAL = 40                   # valid points wanted overall
PER_LABEL = 6                # valid points wanted on each side-combination of the boundaries seen
MAX_DRAWN = 6000
RANDOM_DISCRETE = 4096       # first batch when discrete combinations are too many to cycle through
MAX_UNDEFINED = 16           # points where the answer is not finite, examined (perturbed, 200 bits)
MAX_OVERFLOWED = 8           # points where the key overflowed a double, decided in 200 bits
SATURATED_PER_LABEL = 2      # saturated agreeing points re-checked per side-combination


class NumericComparison:
    """Compare expression ``key`` with ``answer`` on ``domain`` (both already substituted)."""

    def __init__(self, key: sympy.Expr, answer: sympy.Expr, *, regions: Sequence[Region],
                 domain: Mapping[str, Domain], tolerance: float, tolerant: bool,
                 rng: np.random.Generator, deadline: float | None, inexact: bool = False,
                 boundary_exprs: Sequence[Any] | None = None) -> None:
        syms: set[sympy.Symbol] = set(key.free_symbols) | set(answer.free_symbols)
        for r in regions:
            if isinstance(r.condition, sympy.Basic):
                syms |= r.condition.free_symbols
        self.inputs = sorted(syms, key=lambda s: s.name)
        self.names = [s.name for s in self.inputs]
        self.key_tape = Tape.from_expr(key, self.inputs)
        self.ans_tape = Tape.from_expr(answer, self.inputs)
        self.regions = list(regions)
        discrete = frozenset(n for n, d in domain.items() if isinstance(d, Discrete))
        # where the two can part: the relations of both sides (default: as given), and the edges
        # of where each is defined as written (``definedness``)
        self.bounds = Boundaries(boundary_exprs or [key, answer], self.regions, self.inputs, discrete)
        self.sampler = Sampler(self.names, domain, rng)
        self.tolerance, self.tolerant, self.deadline = tolerance, tolerant, deadline
        # exact numbers (2^-99 vs 2^-98) are compared purely relatively; decimals get the floor
        self.floor = ABS_FLOOR if inexact else 0.0
        self.key_sums, self.ans_sums = summed_rows(self.key_tape), summed_rows(self.ans_tape)
        self.key_decimals, self.ans_decimals = decimal_rows(self.key_tape), decimal_rows(self.ans_tape)
        self.last_mp: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self.mp_values: dict[int, tuple[float, float, float]] = {}
        self.watch = None if tolerant else (Watch(self.key_tape), Watch(self.ans_tape))
        self.continuous = [nm for nm in self.names if not isinstance(domain.get(nm), Discrete)]
        self.scales = {nm: d.hi - d.lo for nm, d in domain.items() if isinstance(d, Interval)}

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
        kover = overflowed(krows, n) if not np.isfinite(k).all() else np.zeros(n, dtype=bool)
        return {"k": k, "a": a, "scale": scale, "sens": sens, "near": near, "label": label,
                "region": self.bounds.region_of(pts, n), "sat": sat, "kover": kover}

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
            parts_p.append(pts)
            parts_v.append(self._batch(pts, n))
            drawn += n
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
        if self.bounds.tapes:  # both sides of every boundary, where random points rarely land
            got = probe_points(self.bounds.tapes, self.sampler, parts_p[0], len(parts_v[0]["k"]))
            if got is not None:
                parts_p.append(got[0])
                parts_v.append(self._batch(got[0], got[1]))
        pts = {name: np.concatenate([p[name] for p in parts_p]) for name in self.names}
        vals = {key: np.concatenate([v[key] for v in parts_v]) for key in parts_v[0]}
        return pts, vals, False

    # -- high precision ------------------------------------------------------------------------

    def _mp(self, point: Mapping[str, float], prec: int = MP_PREC) -> tuple[Any, Any, Any] | None:
        """(answer, key, noise scale) in 200-bit arithmetic, or None where either is undefined."""
        with mpmath.workprec(prec):
            krows = self.key_tape.forward(point, backend="mpmath", prec=prec)
            arows = self.ans_tape.forward(point, backend="mpmath", prec=prec)
            k, a = mpf_value(krows[-1]), mpf_value(arows[-1])
            if k is None or a is None:
                return None
            if not (mpmath.isfinite(k) and mpmath.isfinite(a)):
                return None
            return a, k, max(mp_scale(krows, self.key_sums), mp_scale(arows, self.ans_sums))

    def _mp_differs(self, point: Mapping[str, float], sens: float = 0.0, extra: int = 0) -> bool | None:
        """Whether answer and key differ at ``point`` in 200 (+ ``extra``) bits; None: undefined."""
        got = self._mp(point, MP_PREC + extra)
        if got is None:
            return None
        a, k, scale = got
        with mpmath.workprec(MP_PREC + extra):
            diff = abs(a - k)
            self.last_mp = (float(a), float(k), float(a - k))
            noise = mpmath.ldexp(MP_REL_NOISE, -extra) * max(scale, abs(a), abs(k))
            if self.tolerant:  # the 200-bit rounding of cancelling terms is no difference either
                floor = self.floor if abs(k) < ZERO_LEVEL else 0.0
                return bool(diff > self.tolerance * max(abs(a), abs(k), sens) + floor + noise)
            return bool(diff > noise)

    def _beyond_doubles(self, pts: dict[str, np.ndarray], v: dict[str, np.ndarray], valid: np.ndarray,
                        key_ok: np.ndarray, exhaustive: bool) -> "NumericOutcome | int":
        """Points doubles cannot decide, decided in 200 bits: where the answer is not finite but the
        key is (undefined, unless an isolated singularity; or overflowed), and where the key
        overflowed. A witness, or how many such points agree."""
        k, a, label = v["k"], v["a"], v["label"]
        cand = np.flatnonzero(key_ok & ~np.isfinite(a))
        if len(cand):
            cand = np.asarray(spread(cand, label, 4, MAX_UNDEFINED), dtype=int)
            if not exhaustive and self.continuous:
                near = perturbations(pts, cand, self.continuous, self.scales)
                with np.errstate(all="ignore"):
                    av = np.broadcast_to(np.asarray(self.ans_tape.output(near), dtype=float), (2 * len(cand),))
                cand = cand[~(np.isfinite(av[:len(cand)]) & np.isfinite(av[len(cand):]))]
        over = np.flatnonzero(valid & ~np.isfinite(k) & v["kover"])
        cand = list(cand) + spread(over, label, 2, MAX_OVERFLOWED)
        agreed = 0
        for i in cand:
            point = point_at(pts, i)
            with mpmath.workprec(MP_PREC):
                krows = self.key_tape.forward(point, backend="mpmath", prec=MP_PREC)
                km, am = mpf_value(krows[-1]), mpf_value(self.ans_tape.output(point, backend="mpmath", prec=MP_PREC))
            if km is None or not mpmath.isfinite(km):
                continue  # the key is undefined there after all
            n_key = int(key_ok.sum())
            if am is None or not mpmath.isfinite(am):
                return NumericOutcome("undefined", n_points=n_key, witness=point,
                                      witness_values=(float("nan"), float(km)))
            if self._mp_differs(point, float(v["sens"][i]), extra_bits(float(v["sat"][i]))):
                return NumericOutcome("different", n_points=n_key, witness=point, witness_values=self.last_mp)
            agreed += 1
        return agreed

    # -- decision ------------------------------------------------------------------------------

    def run(self) -> NumericOutcome:
        """Sample, evaluate and decide."""
        pts, v, exhaustive = self._collect()
        k, a, near, region = v["k"], v["a"], v["near"], v["region"]
        valid = ~near & (region >= 0)
        key_ok = np.isfinite(k) & valid
        both = key_ok & np.isfinite(a)
        need = 1 if exhaustive else MIN_POINTS
        extra = self._beyond_doubles(pts, v, valid, key_ok, exhaustive)
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
        out = NumericOutcome("equal", n_points=len(idx), points={n: pts[n][idx] for n in self.names},
                             key=k[idx], answer=a[idx], region=region[idx])
        self.sens_out, self.label_out, self.sat_out = v["sens"][idx], v["label"][idx], v["sat"][idx]
        ok, margin = self._double_ok(k[idx], a[idx], v["scale"][idx], v["sens"][idx])
        if not self.tolerant:  # agreeing only thanks to the noise allowance: as good as saturated
            loose = ok & (np.abs(a[idx] - k[idx]) > 64 * EPS * np.maximum(np.abs(a[idx]), np.abs(k[idx])))
            self.sat_out = np.where(loose, np.maximum(self.sat_out, 0.0), self.sat_out)
        nreg = max(1, len(self.regions))
        for r in range(nreg):
            in_r = out.region == r
            out.region_points.append(int(in_r.sum()))
            wit = self._region_witness(out, ok, margin, in_r)
            out.region_ok.append(wit is None)
            out.region_witness.append(None if wit is None else point_at(out.points, wit))
            if wit is not None and out.witness is None:
                out.status, out.witness = "different", point_at(out.points, wit)
                out.witness_values = self.mp_values.get(wit) or (float(out.answer[wit]), float(out.key[wit]))
        return out

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

    def _region_witness(self, out: NumericOutcome, ok: np.ndarray, margin: np.ndarray,
                        in_r: np.ndarray) -> int | None:
        """A confirmed witness point index in one region, or None if the region agrees."""
        bad = np.flatnonzero(in_r & ~ok)
        if len(bad):
            # the clearest disagreements first: large relative gaps where the key is not tiny
            ka, aa = np.abs(out.key[bad]), np.abs(out.answer[bad])
            typical = float(np.median(np.abs(out.key))) or 1.0
            rel = np.abs(out.answer[bad] - out.key[bad]) / (ka + aa + 1e-300) * np.minimum(1.0, ka / typical)
            # ... at the smallest magnitudes of symbols without a domain (x=7.2 reads better than 978)
            far = np.zeros(len(bad))
            for nm in self.continuous:
                if nm not in self.scales:
                    far = np.maximum(far, np.floor(np.log10(np.maximum(np.abs(out.points[nm][bad]), 2.5) / 2.5)))
            for i in bad[np.lexsort((-rel, far))][:4]:
                if self._mp_differs(point_at(out.points, i), float(self.sens_out[i])) is not False:  # None: no refutation
                    self.mp_values[int(i)] = self.last_mp
                    return int(i)
            if len(bad) > 4:
                return None  # the worst points were float noise; the rest are too
        if self.tolerant:  # borderline agreements (near the tolerance or within the noise allowance)
            close = np.flatnonzero(in_r & ok & (margin > 0.1))
            good = close[np.argsort(-margin[close])][:3]
        else:  # exact: a difference below double precision is still a difference
            agree = np.flatnonzero(in_r & ok)
            chosen = [int(i) for i in agree[:: max(1, len(agree) // 3)][:3]]
            if self.bounds.tapes:  # each side of every boundary (a branch that differs only slightly)
                chosen += spread(agree, self.label_out, 1, 12)
            sat = agree[self.sat_out[agree] >= 0]
            if len(sat):  # where doubles saturate (a logistic clipped at |x| > 30), least deep first
                chosen += shallowest(sat, self.label_out, self.sat_out, SATURATED_PER_LABEL, 12)
            good = list(dict.fromkeys(chosen))
        for i in good:
            extra = 0 if self.tolerant else extra_bits(float(self.sat_out[i]))
            if self._mp_differs(point_at(out.points, i), float(self.sens_out[i]), extra):
                self.mp_values[int(i)] = self.last_mp
                return int(i)
        return None
