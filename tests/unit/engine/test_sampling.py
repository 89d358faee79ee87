"""Sampler: seeded, on the domain, rounded, never exactly 0, discrete combinations covered."""

from __future__ import annotations

import numpy as np
import pytest

from grader.engine.context import Discrete, Interval
from grader.engine.sampling import DEFAULT_INTERVAL, REAL_MAGNITUDES, Sampler, grid_step


def sampler(domain, names=None, seed=0):
    return Sampler(names or sorted(domain), domain, np.random.default_rng(seed))


def test_points_lie_in_their_intervals_and_avoid_zero():
    s = sampler({"x": Interval(-3, 3), "w": Interval(-0.01, 0.01)})
    pts = s.draw(5000)
    assert pts["x"].min() >= -3 and pts["x"].max() <= 3
    assert np.abs(pts["w"]).max() <= 0.01
    assert not np.any(pts["x"] == 0) and not np.any(pts["w"] == 0)


def test_undeclared_symbols_range_over_the_reals_near_zero_and_at_log_spaced_scales():
    pts = sampler({}, names=["z"]).draw(2000)["z"]
    near = pts[::2]   # every other value: near 0, where the logistic still moves
    assert near.min() >= DEFAULT_INTERVAL.lo and near.max() <= DEFAULT_INTERVAL.hi
    assert near.min() < -2 and near.max() > 2
    far = np.abs(pts[1::2])
    lo, hi = REAL_MAGNITUDES
    assert far.min() >= 10 ** lo * 0.999 and far.max() <= 10 ** hi
    for decade in range(int(lo), int(hi)):  # every decade of magnitude, both signs
        inside = (far >= 10.0 ** decade) & (far < 10.0 ** (decade + 1))
        assert inside.sum() > 100
    assert (pts[1::2] > 100).any() and (pts[1::2] < -100).any()
    assert all(len(repr(float(v))) <= 8 for v in pts[1::2])   # four significant digits


def test_values_are_rounded_for_readable_witnesses():
    pts = sampler({"x": Interval(-3, 3)}).draw(100)["x"]
    step = grid_step(Interval(-3, 3))
    assert np.allclose(np.round(pts / step) * step, pts)
    assert all(len(repr(float(v))) <= 7 for v in pts)


def test_same_seed_same_points_different_seed_different_points():
    dom = {"x": Interval(-3, 3), "y": Discrete((0, 1))}
    a, b, c = (sampler(dom, seed=s).draw(50) for s in (1, 1, 2))
    assert all(np.array_equal(a[k], b[k]) for k in dom)
    assert not np.array_equal(a["x"], c["x"])


def test_discrete_combinations_are_cycled_evenly():
    dom = {"x": Interval(-1, 1), "y": Discrete((-1, 1)), "z": Discrete((0, 1, 2))}
    pts = sampler(dom).draw(60)
    combos = {(y, z) for y, z in zip(pts["y"], pts["z"])}
    assert len(combos) == 6
    counts = [int(np.sum((pts["y"] == y) & (pts["z"] == z))) for y, z in combos]
    assert min(counts) == max(counts) == 10


def test_all_discrete_domains_are_enumerated():
    dom = {"y": Discrete((0, 1)), "z": Discrete((-1, 1, 5))}
    pts = sampler(dom).exhaustive()
    assert pts is not None and len(pts["y"]) == 6
    assert {(a, b) for a, b in zip(pts["y"], pts["z"])} == {(a, b) for a in (0, 1) for b in (-1, 1, 5)}
    assert sampler({"x": Interval(0, 1), "y": Discrete((0, 1))}).exhaustive() is None


@pytest.mark.parametrize("lo,hi", [(30, 40), (1e-6, 2e-6), (-1000, 1000)])
def test_unusual_intervals(lo, hi):
    pts = sampler({"x": Interval(lo, hi)}).draw(500)["x"]
    assert pts.min() >= lo and pts.max() <= hi and len(np.unique(pts)) > 100
