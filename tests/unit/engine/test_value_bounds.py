"""Interval enclosures (grader.engine.value_bounds): sound, tight, and never computing a huge power."""

from __future__ import annotations

import math
import time

import pytest

from grader.engine.value_bounds import Bounds, TooLarge, Unresolved


def _contains(b: Bounds, x: object, value: float) -> bool:
    lo, hi = b.ends(x)
    return lo <= value <= hi


def test_nested_exponentials_of_small_constants_are_enclosed_tightly():
    b = Bounds(10_000)
    x = b.exp(b.exp(b.number(3, 4)))
    lo, hi = b.ends(x)
    assert lo <= math.exp(math.exp(0.75)) <= hi
    assert hi - lo < 1e-12


def test_an_exponent_past_the_limit_is_refused_before_the_power_is_computed():
    b = Bounds(10_000)
    start = time.perf_counter()
    with pytest.raises(TooLarge):
        b.exp(b.exp(b.exp(b.number(100))))  # e^(e^(2.7e43)): the last step alone never returns
    assert time.perf_counter() - start < 1.0
    assert b.ends(b.exp(b.number(23_000)))[1] > 1e300  # e^23000 < 10^10000 is fine
    with pytest.raises(TooLarge):
        b.exp(b.number(23_100))


def test_tiny_values_are_not_too_large_but_their_reciprocals_are():
    b = Bounds(10_000)
    tiny = b.exp(b.neg(b.exp(b.number(12))))  # e^-162755
    assert b.ends(tiny)[0] == 0.0
    with pytest.raises(TooLarge):
        b.inv(tiny)


def test_a_division_by_an_interval_holding_zero_is_unbounded_not_too_large():
    b = Bounds(10_000)
    x = b.inv(b.span(-1, 1))
    assert b.ends(x) == (-math.inf, math.inf)
    assert not b.singular
    b.exp(x)  # an unbounded exponent: a pole, noted
    assert b.singular


def test_strict_mode_asks_for_more_precision_at_an_unbounded_exponent():
    b = Bounds(10_000, strict=True)
    with pytest.raises(Unresolved):
        b.exp(b.inv(b.add([b.constant("pi"), b.neg(b.constant("pi"))])))


def test_more_precision_resolves_a_near_cancellation():
    p, q = 2718281828459045235360287471352, 10**30  # E to 30 digits: E - p/q is about 6.6e-31
    low = Bounds(10_000, strict=True)
    with pytest.raises(Unresolved):  # 53 bits cannot tell the gap from 0
        low.exp(low.inv(low.add([low.constant("E"), low.neg(low.number(p, q))])))
    high = Bounds(10_000, prec=1024, strict=True)
    with pytest.raises(TooLarge):  # e^(1.5e30)
        high.exp(high.inv(high.add([high.constant("E"), high.neg(high.number(p, q))])))


def test_the_limit_of_digits_is_the_one_given():
    assert _contains(Bounds(100), Bounds(100).number(10**99), 1e99)
    with pytest.raises(TooLarge):
        Bounds(100).number(10**101)
    b = Bounds(100)
    with pytest.raises(TooLarge):
        b.exp(b.number(231))  # e^231 > 10^100


@pytest.mark.parametrize("name, arg, value", [
    ("tanh", 50.0, 1.0), ("tanh", -0.5, math.tanh(-0.5)), ("atan", 2.0, math.atan(2.0)),
    ("asin", 0.5, math.asin(0.5)), ("acos", -0.5, math.acos(-0.5)), ("log", 7.0, math.log(7.0)),
    ("sqrt", 2.0, math.sqrt(2.0)), ("sinh", 3.0, math.sinh(3.0)), ("cosh", -3.0, math.cosh(-3.0)),
])
def test_functions_enclose_their_values(name, arg, value):
    b = Bounds(10_000)
    assert _contains(b, getattr(b, name)(b.span(arg, arg)), value)


def test_integer_powers_keep_their_sign_and_real_powers_check_their_size_first():
    b = Bounds(10_000)
    assert _contains(b, b.power(b.number(-2), b.number(3), 3), -8.0)
    with pytest.raises(TooLarge):
        b.power(b.number(3), b.number(30_000), 30_000)  # 3^30000 > 10^10000
    with pytest.raises(TooLarge):
        b.power(b.number(2), b.exp(b.number(11)))  # 2^(e^11) = 10^17999
    assert _contains(b, b.power(b.number(2), b.number(1, 2)), math.sqrt(2.0))


def test_a_gamma_argument_is_bounded_by_its_logarithm_before_gamma_is_computed():
    b = Bounds(10_000)
    assert _contains(b, b.gamma(b.number(7, 2)), math.gamma(3.5))
    b.gamma(b.number(3100))  # Gamma(3100) is about 10^9480
    with pytest.raises(TooLarge):
        b.gamma(b.number(3300))
