"""Random points on a question's domain, from a seeded numpy Generator (no global random state).

Continuous symbols with a declared interval are drawn uniformly from it and rounded to about four
significant digits of the interval's width, so a witness point reads well (``x_i=1.234``) and
evaluates the same when typed back; exact 0 is avoided.

A symbol without a declared domain ranges over all the reals: half of its values are drawn
uniformly from ``[-2.5, 2.5]`` (where exp and the logistic still move, and witnesses read well),
half at log-spaced magnitudes from 10^-2 to 10^3 with either sign (rounded to four significant
digits), so an answer right only near 0 (``Min(Max(0, x), 6)`` for ``Max(0, x)``) is caught.

Discrete symbols cycle through every combination of their values when there are up to 8,192
combinations, so each gets its share of points; when every symbol is discrete and there are that
few, ``exhaustive`` enumerates them all.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from cachetools.func import lru_cache

from grader.engine.context import Discrete, Domain, Interval

DEFAULT_INTERVAL = Interval(-2.5, 2.5)   # the near half of an undeclared symbol's values
REAL_MAGNITUDES = (-2.0, 3.0)            # log10 |x| range of the far half
MAX_CYCLED = 8192       # discrete combinations cycled through evenly (more: drawn at random)


def grid_step(interval: Interval) -> float:
    """The rounding step of sampled values: about 1/1000 of the interval's width."""
    width = interval.hi - interval.lo
    return 10.0 ** (math.floor(math.log10(width)) - 3)


@lru_cache(maxsize=256)
def _combinations(values: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """Every combination of the discrete values, one row each (read-only: shared by every
    sampler of the question)."""
    count = math.prod(len(v) for v in values) if values else 1
    combos = np.array(list(itertools.product(*values)), dtype=float).reshape(count, len(values))
    combos.flags.writeable = False
    return combos


@dataclass
class Sampler:
    """Draws points for ``names`` (a fixed order) on ``domain`` with generator ``rng``."""

    names: Sequence[str]
    domain: Mapping[str, Domain]
    rng: np.random.Generator

    def __post_init__(self) -> None:
        self.names = tuple(self.names)
        self._discrete = [n for n in self.names if isinstance(self.domain.get(n), Discrete)]
        self._continuous = [n for n in self.names if n not in self._discrete]
        values = tuple(tuple(self.domain[n].values) for n in self._discrete)  # type: ignore[union-attr]
        count = math.prod(len(v) for v in values) if values else 1
        self._combos: np.ndarray | None = None
        if count <= MAX_CYCLED:
            self._combos = _combinations(values)
        self._offset = 0

    @property
    def cycle(self) -> int:
        """How many discrete combinations one full cycle has (0 when they are drawn at random)."""
        if self._discrete and self._combos is not None:
            return len(self._combos)
        return 0

    @property
    def random_discrete(self) -> bool:
        """Discrete combinations too many to cycle through: they are drawn at random."""
        return bool(self._discrete) and self._combos is None

    def interval(self, name: str) -> Interval:
        """The interval a continuous symbol is drawn from (the near part for an undeclared one)."""
        dom = self.domain.get(name)
        return dom if isinstance(dom, Interval) else DEFAULT_INTERVAL

    def declared(self, name: str) -> bool:
        """Whether the symbol has a declared interval (with edges), not the whole real line."""
        return isinstance(self.domain.get(name), Interval)

    def exhaustive(self) -> dict[str, np.ndarray] | None:
        """Every point of an all-discrete domain with few combinations, else None."""
        if self._continuous or self._combos is None:
            return None
        return {n: self._combos[:, i].copy() for i, n in enumerate(self._discrete)}

    def draw(self, n: int) -> dict[str, np.ndarray]:
        """``n`` points as ``{name: array of n floats}``."""
        out: dict[str, np.ndarray] = {}
        for name in self._continuous:
            out[name] = self._uniform(self.interval(name), n) if self.declared(name) else self._real(n)
        if self._discrete:
            if self._combos is not None:
                start = self._offset + int(self.rng.integers(len(self._combos)))
                idx = (start + np.arange(n)) % len(self._combos)
                self._offset += n
                picked = self._combos[idx]
                for i, name in enumerate(self._discrete):
                    out[name] = picked[:, i].copy()
            else:
                for name in self._discrete:
                    vals = np.asarray(self.domain[name].values, dtype=float)  # type: ignore[union-attr]
                    out[name] = vals[self.rng.integers(len(vals), size=n)]
        return out

    def near_zero(self, pts: Mapping[str, np.ndarray], k: int = 4) -> dict[str, np.ndarray]:
        """Copies of the first ``k`` points with one continuous symbol moved to +-1 and +-10 grid
        steps from 0 (where its interval contains 0): a relative tolerance is tightest where the
        key is small, and uniform points rarely come that close (``x^2 + 0.0000000001``)."""
        parts = []
        for name in self._continuous:
            iv = self.interval(name)
            if not iv.lo < 0 < iv.hi:
                continue
            step = grid_step(iv)
            for value in (step, -step, 10 * step, -10 * step):
                if iv.lo <= value <= iv.hi:
                    moved = {nm: np.asarray(v[:k], dtype=float).copy() for nm, v in pts.items()}
                    moved[name][:] = value
                    parts.append(moved)
        if not parts:
            return {nm: np.zeros(0) for nm in pts}
        return {nm: np.concatenate([p[nm] for p in parts]) for nm in pts}

    def _real(self, n: int) -> np.ndarray:
        """Values for a symbol over the whole real line: near 0 and at log-spaced magnitudes."""
        near = self._uniform(DEFAULT_INTERVAL, n)
        lo, hi = REAL_MAGNITUDES
        e = self.rng.uniform(lo, hi, size=n)
        sign = np.where(self.rng.random(n) < 0.5, -1.0, 1.0)
        k = 3 - np.floor(e)  # four significant digits: round to 10^-k, dividing by an exact 10^k
        far = sign * np.where(k > 0, np.round(10.0 ** (e + k)) / 10.0 ** np.maximum(k, 0),
                              np.round(10.0 ** (e + k)) * 10.0 ** np.maximum(-k, 0))
        # alternate, so that a first batch of any size has both kinds
        return np.where(np.arange(n) % 2 == 0, near, far)

    def _uniform(self, iv: Interval, n: int) -> np.ndarray:
        x = self.rng.uniform(iv.lo, iv.hi, size=n)
        step = grid_step(iv)
        if 1e-12 <= step <= 1e12:  # readable values; very small or large scales are left alone
            decimals = max(0, -math.floor(math.log10(step)))
            x = np.clip(np.round(np.round(x / step) * step, decimals), iv.lo, iv.hi)
        zero = x == 0
        if zero.any():  # exact 0 is where x^2/x-style answers are undefined: step off it
            off = step if iv.lo <= step <= iv.hi else (-step if iv.lo <= -step <= iv.hi else iv.lo + 0.5371 * (iv.hi - iv.lo))
            x[zero] = off if off != 0 else iv.hi
        return x
