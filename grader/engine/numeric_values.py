"""What the numeric comparison found, and the small value helpers it shares with its re-checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import mpmath
import numpy as np
import sympy

from grader.engine.tape import Tape


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


def mpf_value(v: Any) -> Any:
    """A tape value as an mpf (the tape may hand back Python ints for integer constants), or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, mpmath.mpf):
        return v
    if isinstance(v, (int, float)):
        return mpmath.mpf(v)
    return None


def decimal_rows(tape: Tape) -> list[tuple[int, float]]:
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


def decimal_sensitivity(tape: Tape, rows: list[tuple[int, float]], pts: Mapping[str, np.ndarray],
                        n: int) -> np.ndarray:
    """sum |d output / d c| |c| over decimal constants c, by one reverse sweep: how much a relative
    rounding of the typed decimals moves the value (``x + 0.3333333`` near ``x = -1/3``)."""
    adj = tape.adjoints(pts)
    total = np.zeros(n)
    for i, mag in rows:
        total = total + np.abs(np.broadcast_to(np.asarray(adj[i], dtype=float), (n,))) * mag
    return np.where(np.isfinite(total), total, 0.0)


def point_at(points: Mapping[str, np.ndarray], i: int) -> dict[str, float]:
    """Point ``i`` of a batch of points, as plain floats."""
    return {n: float(v[i]) for n, v in points.items()}


def median(values: np.ndarray) -> float:
    """``np.median`` of a 1-d array: the same value at a fraction of its overhead (it is asked
    for on every wrong answer); arrays with NaN or no values go to numpy itself."""
    n = len(values)
    if n == 0 or np.isnan(values).any():
        return float(np.median(values))
    half = n // 2
    if n % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, (half - 1, half))
    return float((part[half - 1] + part[half]) / 2)  # numpy's mean of the middle two
