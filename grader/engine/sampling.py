"""Random points on a question's domain, from a seeded numpy Generator (no global random state).

Continuous symbols are drawn uniformly from their interval (default ``[-2.5, 2.5]``, where exp and
the logistic still move) and rounded to about four significant digits of the interval's width, so
a witness point reads well (``x_i=1.234``) and evaluates the same when typed back; exact 0 is
avoided. Discrete symbols cycle through every combination of their values when there are few, so
each combination gets its share of points; when every symbol is discrete and the combinations are
few, ``exhaustive`` enumerates them all.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from grader.engine.context import Discrete, Domain, Interval

DEFAULT_INTERVAL = Interval(-2.5, 2.5)
_MAX_CYCLED = 1024      # discrete combinations cycled through evenly (more: drawn at random)
_MAX_EXHAUSTIVE = 256   # all-discrete problems enumerated exactly up to this many points


def grid_step(interval: Interval) -> float:
    """The rounding step of sampled values: about 1/1000 of the interval's width."""
    width = interval.hi - interval.lo
    return 10.0 ** (math.floor(math.log10(width)) - 3)


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
        values = [self.domain[n].values for n in self._discrete]  # type: ignore[union-attr]
        count = math.prod(len(v) for v in values) if values else 1
        self._combos: np.ndarray | None = None
        if count <= max(_MAX_CYCLED, _MAX_EXHAUSTIVE if not self._continuous else 0):
            self._combos = np.array(list(itertools.product(*values)), dtype=float).reshape(count, len(values))
        self._offset = 0

    @property
    def cycle(self) -> int:
        """How many discrete combinations one full cycle has (0 when they are drawn at random)."""
        if self._discrete and self._combos is not None and len(self._combos) <= _MAX_CYCLED:
            return len(self._combos)
        return 0

    def interval(self, name: str) -> Interval:
        """The interval a continuous symbol is drawn from."""
        dom = self.domain.get(name)
        return dom if isinstance(dom, Interval) else DEFAULT_INTERVAL

    def exhaustive(self) -> dict[str, np.ndarray] | None:
        """Every point of an all-discrete domain with few combinations, else None."""
        if self._continuous or self._combos is None:
            return None
        return {n: self._combos[:, i].copy() for i, n in enumerate(self._discrete)}

    def draw(self, n: int) -> dict[str, np.ndarray]:
        """``n`` points as ``{name: array of n floats}``."""
        out: dict[str, np.ndarray] = {}
        for name in self._continuous:
            out[name] = self._uniform(self.interval(name), n)
        if self._discrete:
            if self._combos is not None and len(self._combos) <= _MAX_CYCLED:
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
