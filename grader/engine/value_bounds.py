"""Sound enclosures of values by interval arithmetic (mpmath's interval context), cheap at any size.

Used before anything is evaluated: on constant sub-expressions at parse time (sympy evaluates those
to learn their sign, and an mpmath ``exp`` of a huge number never returns) and on a whole
expression over the question's domain (an answer whose values explode there is refused before the
tape runs). ``Bounds`` works on intervals ``[lo, hi]`` that enclose every value. A finite end beyond
``10**digits`` raises ``TooLarge``; ``exp`` and ``x**y`` check the *exponent* first, so a size is
never computed before it is known to be bounded. An infinite end means *unbounded*: a division by
an interval holding 0, a pole of tan. That is a singularity, not a measure of size; it is noted
in ``singular`` when it reaches an exponent, and in ``strict`` mode it raises ``Unresolved`` there
(the caller may retry at a higher precision).
"""

from __future__ import annotations

import math
from functools import cmp_to_key
from typing import Any, Iterable

from mpmath import libmp
from mpmath.ctx_iv import MPIntervalContext

Iv = Any   # an mpmath interval (ivmpf); mpmath has no type annotations
Raw = tuple[int, int, int, int]  # an mpmath raw float: sign, mantissa, exponent, bit count

_LOG2_10 = math.log2(10.0)
_TRIG_REACH = 2.0 ** 20    # beyond this a trig argument is just "any angle" (exact reduction is slow)
_TANH_FLAT = 40.0          # tanh(40) is 1 to 34 digits
_EXP_FLOOR = 1e6           # e^-x for x past this is bounded by e^-1e6 (cheap; any smaller is as good)


def _context(prec: int) -> MPIntervalContext:
    ctx = MPIntervalContext()
    ctx.prec = prec
    return ctx


# one context per precision, configured here and never changed afterwards (no shared mutable state)
CONTEXTS: dict[int, MPIntervalContext] = {53: _context(53), 1024: _context(1024)}
_UNBOUNDED: dict[int, Any] = {}


class TooLarge(Exception):
    """A value of the expression exceeds ``10**digits`` (a finite bound that large)."""


class Unresolved(Exception):
    """Strict mode: an unbounded value reached an exponent (more precision may bound it)."""


def _float(raw: Raw) -> float:
    return float(libmp.to_float(raw))  # +-inf past the double range, which the callers only compare


def _infinite(raw: Raw) -> bool:
    """A true infinity (or nan) end, not a finite number past the double range."""
    return raw in (libmp.finf, libmp.fninf, libmp.fnan)


_ORDER = cmp_to_key(libmp.mpf_cmp)


def _log2_abs(raw: Raw) -> float:
    """A lower bound of log2 |x| for a finite nonzero raw mpf; -inf for 0, inf for an infinity."""
    if raw == libmp.fzero:
        return -math.inf
    if raw in (libmp.finf, libmp.fninf):
        return math.inf
    return float(raw[2] + raw[3] - 1)


class Bounds:
    """Interval arithmetic with a size limit of ``10**digits`` (see the module docstring)."""

    def __init__(self, digits: int, *, prec: int = 53, strict: bool = False) -> None:
        self.iv = CONTEXTS[prec]
        self.digits = digits
        self.ln_limit = digits * math.log(10.0)
        self.strict = strict
        self.singular = False
        self.unbounded: Iv = _UNBOUNDED.get(prec)
        if self.unbounded is None:  # built once per precision: intervals are immutable
            self.unbounded = _UNBOUNDED.setdefault(prec, self.iv.mpf([-self.iv.inf, self.iv.inf]))

    # -- construction --------------------------------------------------------------------------

    def number(self, p: int, q: int = 1) -> Iv:
        return self.checked(self.iv.mpf(p) / q if q != 1 else self.iv.mpf(p))

    def span(self, lo: float, hi: float) -> Iv:
        return self.iv.mpf([lo, hi])

    def constant(self, name: str) -> Iv:
        return {"E": self.iv.e, "pi": self.iv.pi}[name]

    def hull(self, xs: Iterable[Iv]) -> Iv:
        lows, highs = zip(*(x._mpi_ for x in xs))
        if libmp.fnan in lows + highs:
            return self.unbounded
        return self.iv.make_mpf((min(lows, key=_ORDER), max(highs, key=_ORDER)))

    # -- checks --------------------------------------------------------------------------------

    def checked(self, x: Iv) -> Iv:
        """``x``, or TooLarge when a finite end (or every value of an unbounded one) exceeds the
        limit; an interval with a nan end becomes unbounded."""
        lo, hi = x._mpi_
        if libmp.fnan in (lo, hi):
            return self.unbounded
        big = self.digits * _LOG2_10
        ends = [_log2_abs(lo), _log2_abs(hi)]
        finite = [e for e in ends if e != math.inf]
        if finite and max(finite) > big:
            raise TooLarge
        if len(finite) < 2:  # unbounded: too large only if it cannot come near 0 either
            low = self.magnitude_low(x)
            if low is not None and big < low < math.inf:
                raise TooLarge
        return x

    def magnitude_low(self, x: Iv) -> float | None:
        """A lower bound of log2 |v| over the interval, None when it may hold 0."""
        lo, hi = x._mpi_
        if _float(lo) <= 0.0 <= _float(hi):
            return None
        return min(_log2_abs(lo), _log2_abs(hi))

    def ends(self, x: Iv) -> tuple[float, float]:
        lo, hi = x._mpi_
        return _float(lo), _float(hi)

    def _exponent(self, x: Iv) -> None:
        """``x`` is about to become an exponent: unbounded above is a singularity (or Unresolved)."""
        hi = x._mpi_[1]
        if _infinite(hi):
            if self.strict:
                raise Unresolved
            self.singular = True
        elif _float(hi) > self.ln_limit:
            raise TooLarge

    # -- operations ----------------------------------------------------------------------------

    def add(self, xs: list[Iv]) -> Iv:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return self.checked(out)

    def mul(self, xs: list[Iv]) -> Iv:
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return self.checked(out)

    def neg(self, x: Iv) -> Iv:
        return -x

    def inv(self, x: Iv) -> Iv:
        return self.checked(1 / x)

    def exp(self, x: Iv) -> Iv:
        x = self.checked(x)
        self._exponent(x)
        if _infinite(x._mpi_[1]):
            return self.iv.mpf([0, self.iv.inf])
        lo, hi = self.ends(x)
        if lo < -self.ln_limit:  # tiny values: [0, e^hi], never computing e^lo
            top = self.iv.exp(self.iv.mpf(max(hi, -_EXP_FLOOR)))
            return self.iv.make_mpf((libmp.fzero, top._mpi_[1]))
        return self.checked(self.iv.exp(x))

    def sinh(self, x: Iv) -> Iv:
        return self.checked((self.exp(x) - self.exp(-x)) / 2)

    def cosh(self, x: Iv) -> Iv:
        return self.checked((self.exp(x) + self.exp(-x)) / 2)

    def tanh(self, x: Iv) -> Iv:
        lo, hi = self.ends(x)
        if math.isnan(lo) or math.isnan(hi):
            return self.span(-1, 1)
        flat = self.iv.mpf([min(max(lo, -_TANH_FLAT), _TANH_FLAT), max(min(hi, _TANH_FLAT), -_TANH_FLAT)])
        t = 1 - 2 / (self.iv.exp(2 * flat) + 1)
        a, b = t._mpi_
        if lo < -_TANH_FLAT:
            a = libmp.from_int(-1)
        if hi > _TANH_FLAT:
            b = libmp.from_int(1)
        return self.iv.make_mpf((a, b))

    def log(self, x: Iv) -> Iv:
        """log |x| (widened by pi where x may be negative: the modulus of a complex log)."""
        lo, hi = self.ends(x)
        out = self.iv.log(abs(x))
        return out + self.span(-math.pi, math.pi) if lo < 0 else out

    def sqrt(self, x: Iv) -> Iv:
        return self.iv.sqrt(abs(x))

    def power(self, base: Iv, exponent: Iv, integer: int | None = None) -> Iv:
        """``base ** exponent``; ``integer`` when the exponent is that integer (the sign is kept)."""
        size = self.checked(exponent * self.iv.log(abs(base)))  # ln |result|
        if integer is not None:
            top = size._mpi_[1]
            if not _infinite(top) and _float(top) > self.ln_limit:
                raise TooLarge
            return self.checked(base ** integer)
        modulus = self.exp(size)
        blo, _ = self.ends(base)
        if blo >= 0:
            return modulus
        top = modulus._mpi_[1]
        return self.iv.make_mpf((libmp.mpf_neg(top), top))

    def sin_cos(self, x: Iv, name: str) -> Iv:
        lo, hi = self.ends(x)
        if not (abs(lo) < _TRIG_REACH and abs(hi) < _TRIG_REACH):
            return self.span(-1, 1)
        return getattr(self.iv, name)(x)

    def trig(self, x: Iv, name: str) -> Iv:
        """tan, cot, sec, csc: unbounded near their poles (mpmath's enclosure says so)."""
        lo, hi = self.ends(x)
        if not (abs(lo) < _TRIG_REACH and abs(hi) < _TRIG_REACH):
            return self.unbounded
        return self.checked(getattr(self.iv, name)(x))

    def atan(self, x: Iv) -> Iv:
        from mpmath.libmp.libmpi import mpi_atan

        return self.iv.make_mpf(mpi_atan(x._mpi_, self.iv.prec))

    def asin(self, x: Iv) -> Iv:
        """asin on [-1, 1] lies between x and x*pi/2 (same sign); outside it is complex."""
        lo, hi = self.ends(x)
        if lo < -1 or hi > 1:
            m = math.pi / 2 + 2 * max(abs(lo), abs(hi))
            return self.span(-m, m)
        half_pi = self.iv.pi / 2
        low = x.a * half_pi if lo < 0 else x.a
        high = x.b * half_pi if hi > 0 else x.b
        return self.iv.make_mpf((low._mpi_[0], high._mpi_[1]))

    def acos(self, x: Iv) -> Iv:
        return self.iv.pi / 2 - self.asin(x)

    def gamma(self, x: Iv) -> Iv:
        """Gamma(x); arguments past 3000 are bounded by Stirling before anything is computed."""
        lo, hi = self.ends(x)
        if _infinite(x._mpi_[1]):
            self._exponent(self.unbounded)
            return self.unbounded
        if hi > 3000 and math.lgamma(hi) > self.ln_limit:  # Gamma increases past 2
            raise TooLarge
        return self.checked(self.iv.gamma(x))

    def absolute(self, x: Iv) -> Iv:
        return abs(x)

    def sign(self, x: Iv) -> Iv:
        lo, hi = self.ends(x)
        return self.span(-1 if lo < 0 else 0, 1 if hi > 0 else 0)

    def extreme(self, xs: list[Iv], largest: bool) -> Iv:
        los, his = zip(*(x._mpi_ for x in xs))
        if libmp.fnan in los + his:
            return self.unbounded
        pick = max if largest else min
        return self.iv.make_mpf((pick(los, key=_ORDER), pick(his, key=_ORDER)))

    def growth(self, x: Iv) -> Iv:
        """An enclosure for a function at most as large as its argument plus one (roots, asinh)."""
        top = (abs(x) + 1)._mpi_[1]
        return self.iv.make_mpf((libmp.mpf_neg(top), top))
