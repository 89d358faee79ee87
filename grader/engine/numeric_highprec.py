"""The high-precision (mpmath) half of the numeric comparison, mixed into ``NumericComparison``.

Doubles decide most points; these methods decide the rest in 200 bits or more: disagreements are
confirmed before they count (float noise never flips a verdict), agreeing points are re-checked
where doubles cannot see a difference (one spread sample, one per side of every boundary, the least
saturated points with the extra bits they need: ``numeric_recheck``), and points where a double
overflowed or the answer is not finite are decided instead of dropped.
"""

from __future__ import annotations

import time
from typing import Any, Mapping

import mpmath
import numpy as np

from grader.engine.numeric_recheck import extra_bits, perturbations, shallowest, spread
from grader.engine.numeric_values import NumericOutcome, median, mpf_value, point_at
from grader.engine.piecewise_compare import Boundaries, mp_scale
from grader.engine.sampling import DEFAULT_INTERVAL
from grader.engine.tape import Tape

ZERO_LEVEL = 1e-14           # the tolerance's absolute floor applies only where the key is below this
MP_PREC = 200                # bits (about 60 digits) for high-precision re-checks
MP_REL_NOISE = mpmath.mpf("1e-45")
MAX_UNDEFINED = 16           # points where the answer is not finite, examined (perturbed, 200 bits)
MAX_OVERFLOWED = 8           # points where the key overflowed a double, decided in 200 bits
SATURATED_PER_LABEL = 2      # saturated agreeing points re-checked per side-combination


class HighPrecision:
    """mpmath checks; expects the attributes ``NumericComparison`` sets up (declared here)."""

    key_tape: Tape
    ans_tape: Tape
    bounds: Boundaries
    deadline: float | None
    tolerance: float
    tolerant: bool
    floor: float                        # the tolerance's absolute floor (decimals only)
    key_sums: list[int]
    ans_sums: list[int]
    rows: int                           # rows of both tapes, for the extra bits a point needs
    continuous: list[str]
    intervals: dict[str, tuple[float, float]]
    last_mp: tuple[float, float, float]  # (answer, key, difference) of the last 200-bit check
    mp_values: dict[int, tuple[float, float, float]]
    sens_out: np.ndarray                # per kept point: decimal sensitivity, side label, saturation
    label_out: np.ndarray
    sat_out: np.ndarray

    def _late(self) -> bool:
        """Past the deadline: the optional re-checks stop (the verdict rests on what was seen)."""
        return self.deadline is not None and time.monotonic() > self.deadline

    def _mp(self, point: Mapping[str, float], prec: int = MP_PREC) -> tuple[Any, Any, Any] | None:
        """(answer, key, noise scale) in ``prec``-bit arithmetic, or None where either is undefined."""
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
                        key_ok: np.ndarray, exhaustive: bool, *, undefined: bool = True,
                        overflow: bool = True) -> "NumericOutcome | int":
        """Points doubles cannot decide, decided in 200 bits: where the answer is not finite but the
        key is (``undefined``: unless an isolated singularity; ``overflow``: a double overflowed),
        and where the key overflowed (``overflow``). A witness, or how many such points agree."""
        k, a, label = v["k"], v["a"], v["label"]
        cand = np.flatnonzero(key_ok & ~np.isfinite(a))
        over = v["aover"][cand]
        cand = cand[(~over & undefined) | (over & overflow)]
        if len(cand):
            cand = np.asarray(spread(cand, label, 4, MAX_UNDEFINED), dtype=int)
            if not exhaustive and self.continuous:
                near = perturbations(pts, cand, self.continuous, self.intervals)
                with np.errstate(all="ignore"):
                    av = np.broadcast_to(np.asarray(self.ans_tape.output(near), dtype=float), (2 * len(cand),))
                cand = cand[~(np.isfinite(av[:len(cand)]) & np.isfinite(av[len(cand):]))]
        todo = list(cand)
        if overflow:
            todo += spread(np.flatnonzero(valid & ~np.isfinite(k) & v["kover"]), label, 2, MAX_OVERFLOWED)
        agreed = 0
        for i in todo:
            if self._late():
                break
            point = point_at(pts, i)
            with mpmath.workprec(MP_PREC):
                km = mpf_value(self.key_tape.output(point, backend="mpmath", prec=MP_PREC))
                am = mpf_value(self.ans_tape.output(point, backend="mpmath", prec=MP_PREC))
            if km is None or not mpmath.isfinite(km):
                continue  # the key is undefined there after all
            n_key = int(key_ok.sum())
            if am is None or not mpmath.isfinite(am):
                return NumericOutcome("undefined", n_points=n_key, witness=point,
                                      witness_values=(float("nan"), float(km)))
            if self._mp_differs(point, float(v["sens"][i]), extra_bits(float(v["sat"][i]), self.rows)):
                return NumericOutcome("different", n_points=n_key, witness=point, witness_values=self.last_mp)
            agreed += 1
        return agreed

    def _disagreement(self, out: NumericOutcome, ok: np.ndarray, margin: np.ndarray,
                      in_r: np.ndarray) -> int | None:
        """A disagreement in doubles in one region confirmed in 200 bits (its index), or None."""
        bad = np.flatnonzero(in_r & ~ok)
        if not len(bad):
            return None
        # the clearest disagreements first: large relative gaps where the key is not tiny
        ka, aa = np.abs(out.key[bad]), np.abs(out.answer[bad])
        typical = median(np.abs(out.key)) or 1.0
        rel = np.abs(out.answer[bad] - out.key[bad]) / (ka + aa + 1e-300) * np.minimum(1.0, ka / typical)
        # ... at the smallest magnitudes of symbols without a domain (x=7.2 reads better than 978)
        far = np.zeros(len(bad))
        for nm in self.continuous:
            if nm not in self.intervals:
                near = np.maximum(np.abs(out.points[nm][bad]), DEFAULT_INTERVAL.hi) / DEFAULT_INTERVAL.hi
                far = np.maximum(far, np.floor(np.log10(near)))
        for i in bad[np.lexsort((-rel, far))][:4]:
            # None (undefined in 200 bits) is no refutation of the difference either
            if self._mp_differs(point_at(out.points, i), float(self.sens_out[i])) is not False:
                self.mp_values[int(i)] = self.last_mp
                return int(i)
        return None  # the worst points were float noise; the rest are too

    def _agreement(self, out: NumericOutcome, ok: np.ndarray, margin: np.ndarray,
                   in_r: np.ndarray, *, basic: bool = True, extra: bool = True) -> int | None:
        """Agreeing points of one region re-checked in high precision: a witness index, or None.
        ``basic``: a few (borderline ones when tolerant, three spread out when exact); ``extra``
        (exact only): one per side of every boundary and the least saturated ones."""
        agree = np.flatnonzero(in_r & ok)
        good: list[int] = []
        if basic and self.tolerant:  # borderline agreements (near the tolerance or the noise allowance)
            close = np.flatnonzero(in_r & ok & (margin > 0.1))
            good = [int(i) for i in close[np.argsort(-margin[close])][:3]]
        elif basic:  # exact: a difference below double precision is still a difference
            good = [int(i) for i in agree[:: max(1, len(agree) // 3)][:3]]
        if extra and not self.tolerant:
            if self.bounds.tapes:  # each side of every boundary (a branch that differs only slightly)
                good += spread(agree, self.label_out, 1, 12)
            sat = agree[self.sat_out[agree] >= 0]
            if len(sat):  # where doubles saturate (a logistic clipped at |x| > 30), least deep first
                good += shallowest(sat, self.label_out, self.sat_out, SATURATED_PER_LABEL, 12)
        for i in dict.fromkeys(good):
            if self._late():
                break
            bits = 0 if self.tolerant else extra_bits(float(self.sat_out[i]), self.rows)
            if self._mp_differs(point_at(out.points, i), float(self.sens_out[i]), bits):
                self.mp_values[int(i)] = self.last_mp
                return int(i)
        return None
