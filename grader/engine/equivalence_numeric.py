"""The numeric half of equivalence: sample, evaluate both sides on our tape, decide per point.

Doubles first, vectorised over all points; then mpmath (200 bits) wherever doubles cannot be
trusted: every disagreement is confirmed there before it counts (float noise never flips a
verdict), and for exact expressions a few agreeing points are re-checked too, so a difference
below double precision (``x + exp(-50)`` vs ``x``) is still found. Noise floors scale with the
largest intermediate value on the tape, not with the result, so cancellation is accounted for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from grader.engine.boundary_probe import probe_points
from grader.engine.context import Discrete, Domain
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
UNDEFINED_SHARE = 0.02       # answer undefined on more than this share of the key's points: wrong
MAX_DRAWN = 6000


@dataclass
class NumericOutcome:
    """What sampling found. ``status``: equal | different | undefined | undetermined."""

    status: str
    n_points: int = 0
    witness: dict[str, float] | None = None
    witness_values: tuple[float, ...] | None = None   # (answer, expected[, exact difference])
    region_ok: list[bool] = field(default_factory=list)
    region_witness: list[dict[str, float] | None] = field(default_factory=list)
    region_points: list[int] = field(default_factory=list)
    points: dict[str, np.ndarray] = field(default_factory=dict)  # valid points (both defined)
    key: np.ndarray = field(default_factory=lambda: np.zeros(0))
    answer: np.ndarray = field(default_factory=lambda: np.zeros(0))
    region: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    message: str = ""


def _mpf(v: Any) -> Any:
    """A tape value as an mpf (the tape may hand back Python ints for integer constants), or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, mpmath.mpf):
        return v
    if isinstance(v, (int, float)):
        return mpmath.mpf(v)
    return None


def _decimal_rows(tape: Tape) -> list[tuple[int, float]]:
    """(row, |value|) of the constants that came from decimals (non-integer, denominator 2^a 5^b)."""
    out = []
    for i, row in enumerate(tape.rows):
        c = row.const
        if row.op == "const" and isinstance(c, sympy.Rational) and c.q > 1:
            q = int(c.q)
            for f in (2, 5):
                while q % f == 0:
                    q //= f
            if q == 1:
                out.append((i, abs(float(c))))
    return out


def _decimal_sensitivity(tape: Tape, rows: list[tuple[int, float]], pts: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """sum |d output / d c| |c| over decimal constants c, by one reverse sweep: how much a relative
    rounding of the typed decimals moves the value (``x + 0.3333333`` near ``x = -1/3``)."""
    adj = tape.adjoints(pts)
    total = np.zeros(n)
    for i, mag in rows:
        total = total + np.abs(np.broadcast_to(np.asarray(adj[i], dtype=float), (n,))) * mag
    return np.where(np.isfinite(total), total, 0.0)


def _point(points: Mapping[str, np.ndarray], i: int) -> dict[str, float]:
    return {n: float(v[i]) for n, v in points.items()}


class NumericComparison:
    """Compare expression ``key`` with ``answer`` on ``domain`` (both already substituted)."""

    def __init__(self, key: sympy.Expr, answer: sympy.Expr, *, regions: Sequence[Region],
                 domain: Mapping[str, Domain], tolerance: float, tolerant: bool,
                 rng: np.random.Generator, deadline: float | None, inexact: bool = False) -> None:
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
        self.bounds = Boundaries([key, answer], self.regions, self.inputs, discrete)
        self.sampler = Sampler(self.names, domain, rng)
        self.tolerance, self.tolerant, self.deadline = tolerance, tolerant, deadline
        # exact numbers (2^-99 vs 2^-98) are compared purely relatively; decimals get the floor
        self.floor = ABS_FLOOR if inexact else 0.0
        self.key_sums, self.ans_sums = summed_rows(self.key_tape), summed_rows(self.ans_tape)
        self.key_decimals, self.ans_decimals = _decimal_rows(self.key_tape), _decimal_rows(self.ans_tape)
        self.last_mp: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self.mp_values: dict[int, tuple[float, float, float]] = {}

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
                    sens = np.maximum(sens, _decimal_sensitivity(tape, rows, pts, n))
        if self.bounds.tapes:
            near, label = self.bounds.near(pts, n)
        else:
            near, label = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
        return {"k": k, "a": a, "scale": scale, "sens": sens, "near": near, "label": label,
                "region": self.bounds.region_of(pts, n)}

    def _collect(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], bool]:
        full = self.sampler.exhaustive()
        if full is not None:
            n = len(next(iter(full.values()))) if full else 1
            return full, self._batch(full, n), True
        parts_p: list[dict[str, np.ndarray]] = []
        parts_v: list[dict[str, np.ndarray]] = []
        # the first batch covers every discrete combination (and both sides of every boundary)
        n, drawn = max(1024 if self.bounds.tapes else 64, self.sampler.cycle), 0
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

    def _mp(self, point: Mapping[str, float]) -> tuple[Any, Any, Any] | None:
        """(answer, key, noise scale) in 200-bit arithmetic, or None where either is undefined."""
        with mpmath.workprec(MP_PREC):
            krows = self.key_tape.forward(point, backend="mpmath", prec=MP_PREC)
            arows = self.ans_tape.forward(point, backend="mpmath", prec=MP_PREC)
            k, a = _mpf(krows[-1]), _mpf(arows[-1])
            if k is None or a is None:
                return None
            if not (mpmath.isfinite(k) and mpmath.isfinite(a)):
                return None
            return a, k, max(mp_scale(krows, self.key_sums), mp_scale(arows, self.ans_sums))

    def _mp_differs(self, point: Mapping[str, float], sens: float = 0.0) -> bool | None:
        got = self._mp(point)
        if got is None:
            return None
        a, k, scale = got
        with mpmath.workprec(MP_PREC):
            diff = abs(a - k)
            self.last_mp = (float(a), float(k), float(a - k))
            noise = MP_REL_NOISE * max(scale, abs(a), abs(k))
            if self.tolerant:  # the 200-bit rounding of cancelling terms is no difference either
                floor = self.floor if abs(k) < ZERO_LEVEL else 0.0
                return bool(diff > self.tolerance * max(abs(a), abs(k), sens) + floor + noise)
            return bool(diff > noise)

    def _answer_defined_mp(self, point: Mapping[str, float]) -> bool:
        with mpmath.workprec(MP_PREC):
            a = _mpf(self.ans_tape.output(point, backend="mpmath", prec=MP_PREC))
        return a is not None and bool(mpmath.isfinite(a))

    # -- decision ------------------------------------------------------------------------------

    def run(self) -> NumericOutcome:
        """Sample, evaluate and decide."""
        pts, v, exhaustive = self._collect()
        k, a, near, region = v["k"], v["a"], v["near"], v["region"]
        key_ok = np.isfinite(k) & ~near & (region >= 0)
        both = key_ok & np.isfinite(a)
        need = 1 if exhaustive else MIN_POINTS
        if int(key_ok.sum()) < need:
            return NumericOutcome("undetermined", message=(
                "could not compare: the expected answer is undefined at almost every sampled point "
                "of the domain (check the question's domain and definitions)"))
        undefined = np.flatnonzero(key_ok & ~np.isfinite(a))
        # random points: one hit of a removable singularity (x = 1 in (x^2-1)/(x-1)) is chance;
        # enumerated points: every point is a case the answer must cover
        if len(undefined) > UNDEFINED_SHARE * int(key_ok.sum()) and (exhaustive or len(undefined) >= 2):
            for i in undefined[:3]:
                if not self._answer_defined_mp(_point(pts, i)):
                    return NumericOutcome("undefined", n_points=int(key_ok.sum()), witness=_point(pts, i),
                                          witness_values=(float("nan"), float(k[i])))
        if int(both.sum()) < need:
            return NumericOutcome("undetermined", message=(
                "could not compare: too few points of the domain where both answers are defined"))
        idx = np.flatnonzero(both)
        out = NumericOutcome("equal", n_points=len(idx), points={n: pts[n][idx] for n in self.names},
                             key=k[idx], answer=a[idx], region=region[idx])
        self.sens_out = v["sens"][idx]
        ok, margin = self._double_ok(k[idx], a[idx], v["scale"][idx], v["sens"][idx])
        nreg = max(1, len(self.regions))
        for r in range(nreg):
            in_r = out.region == r
            out.region_points.append(int(in_r.sum()))
            wit = self._region_witness(out, ok, margin, in_r)
            out.region_ok.append(wit is None)
            out.region_witness.append(None if wit is None else _point(out.points, wit))
            if wit is not None and out.witness is None:
                out.status, out.witness = "different", _point(out.points, wit)
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
            for i in bad[np.argsort(-rel)][:4]:
                if self._mp_differs(_point(out.points, i), float(self.sens_out[i])) is not False:  # None: no refutation
                    self.mp_values[int(i)] = self.last_mp
                    return int(i)
            if len(bad) > 4:
                return None  # the worst points were float noise; the rest are too
        if self.tolerant:  # borderline agreements (near the tolerance or within the noise allowance)
            close = np.flatnonzero(in_r & ok & (margin > 0.1))
            good = close[np.argsort(-margin[close])][:3]
        else:  # exact: a difference below double precision is still a difference
            good = np.flatnonzero(in_r & ok)
            good = good[:: max(1, len(good) // 3)][:3]
        for i in good:
            if self._mp_differs(_point(out.points, i), float(self.sens_out[i])):
                self.mp_values[int(i)] = self.last_mp
                return int(i)
        return None
