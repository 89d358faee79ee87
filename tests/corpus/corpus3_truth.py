"""Ground truth for corpus 3, independent of the engine: hand-written mpmath functions at 300 digits.

Each case carries two Python functions (the key and the answer, written by hand from the mathematics,
never parsed from the answer text). ``judge`` evaluates both on a dense, deterministic set of points
of the case's domain and decides ``correct`` / ``incorrect`` with a witness. The rules:

- a point where the key is undefined is skipped; where the key is defined and the answer is not, the
  answer is wrong there (``undefined at ...``);
- a failure counts only if it persists at a neighbouring point (a difference or a hole confined to a
  single point, such as a boundary written with <= instead of <, has measure zero; a case that would
  be decided by such a point alone stops the generator, to be decided by hand);
- exact input (no decimal in either text, neither side a plain number): equal means equal to the
  300-digit noise; tolerant input: |a - k| <= tol * max(|a|, |k|) (+ 1e-12 where |k| < 1e-14), the
  rule of docs/architecture.md; a case that lands within a factor 10 of that edge stops the generator
  unless it declares itself a tolerance case;
- with no domain, a symbol ranges over the reals: log-spaced scales 1e-3..1e3 of both signs and a
  grid on [-10, 10]; a difference only beyond |x| = 1e3 stops the generator.
"""

from __future__ import annotations

import inspect
import itertools
import random
import zlib
from typing import Any, Callable

from mpmath import mp, mpc, mpf

mp.dps = 300


class Undefined(Exception):
    """The real-valued expression has no value at this point."""


# ----------------------------------------------------------------- real-valued building blocks

def exp(x): return mp.exp(x)
def sin(x): return mp.sin(x)
def cos(x): return mp.cos(x)
def tanh(x): return mp.tanh(x)
def sinh(x): return mp.sinh(x)
def cosh(x): return mp.cosh(x)
def atan(x): return mp.atan(x)
def logistic(u): return 1 / (1 + mp.exp(-u))
def sign(x): return mpf(mp.sign(x))
def cbrt(x): return mp.sign(x) * mp.cbrt(abs(x))   # the real cube root
def Max(*a): return max(a)
def Min(*a): return min(a)
def ind(cond: bool): return mpf(1) if cond else mpf(0)


def ln(x):
    if x <= 0:
        raise Undefined
    return mp.log(x)


def log2(x): return ln(x) / mp.log(2)


def sqrt(x):
    if x < 0:
        raise Undefined
    return mp.sqrt(x)


def asin(x):
    if abs(x) > 1:
        raise Undefined
    return mp.asin(x)


def acos(x):
    if abs(x) > 1:
        raise Undefined
    return mp.acos(x)


def tan(x):
    if mp.cos(x) == 0:
        raise Undefined
    return mp.tan(x)


def pw(*pairs):
    """Piecewise: the value of the first pair whose condition holds (conditions are plain bools)."""
    for value, cond in pairs:
        if cond:
            return value() if callable(value) else value
    raise Undefined


def rat(p: int, q: int = 1):
    return mpf(p) / q


E, PI = mp.e, mp.pi

# ----------------------------------------------------------------- points


def _grid(lo: float, hi: float, n: int) -> list:
    lo, hi = mpf(lo), mpf(hi)
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


LOG_SCALES = [mpf(10) ** (mpf(k) / 4) for k in range(-12, 13)]            # 1e-3 .. 1e3
FAR = [mpf(10) ** k for k in (4, 5, 6)]


def _axis(spec: Any, n: int, breaks: list, far: bool = False) -> list:
    """Sample values of one symbol: its discrete values, a grid of its interval plus both sides of
    every breakpoint, or (no domain) log-spaced scales of both signs and a grid on [-10, 10]."""
    if isinstance(spec, dict):
        return [mpf(v) for v in spec["values"]]
    if spec is None:
        base = [mpf(0)] + LOG_SCALES + [-s for s in LOG_SCALES] + _grid(-10, 10, 41)
        if far:
            base = FAR + [-s for s in FAR]
        lo, hi = None, None
    else:
        lo, hi = mpf(spec[0]), mpf(spec[1])
        base = _grid(lo, hi, n)
    width = (hi - lo) if spec is not None else mpf(1)
    for b in breaks:
        for d in (0, 1e-7, 1e-3, 1e-1):
            for p in (mpf(b) - d * width, mpf(b) + d * width):
                if spec is None or lo <= p <= hi:
                    base.append(p)
    return sorted(set(base))


def _per_axis(n_continuous: int) -> int:
    return {0: 2, 1: 81, 2: 25, 3: 11}.get(n_continuous, 5)


def points(names: list, domain: dict, breaks: dict, case_id: str, far: bool = False,
           budget: int = 30000) -> list[dict]:
    """Every combination of the axes (or, above ``budget``, every discrete combination with a
    deterministic sample of the continuous axes)."""
    cont = [n for n in names if not isinstance(domain.get(n), dict)]
    for size in (_per_axis(len(cont)), 9, 5, 3):   # coarser continuous grids before sampling
        axes = [_axis(domain.get(n), size, breaks.get(n, []), far) for n in names]
        total = 1
        for a in axes:
            total *= len(a)
        if total <= budget:
            return [dict(zip(names, combo)) for combo in itertools.product(*axes)]
    rng = random.Random(zlib.crc32(case_id.encode()))
    disc = [i for i, n in enumerate(names) if isinstance(domain.get(n), dict)]
    out = []
    for combo in itertools.product(*[axes[i] for i in disc]):
        pt = {names[i]: combo[j] for j, i in enumerate(disc)}
        for i, n in enumerate(names):
            if i not in disc:
                pt[n] = rng.choice(axes[i])
        out.append(pt)
    return out


# ----------------------------------------------------------------- evaluation and judgement

def params(f: Callable) -> list[str]:
    """The symbols ``f`` reads: its named parameters (``**rest`` takes every other domain symbol)."""
    return [n for n, p in inspect.signature(f).parameters.items() if p.kind is not p.VAR_KEYWORD]


def is_constant(f: Callable) -> bool:
    """True when ``f`` reads no symbol at all (a plain number)."""
    return not params(f) and not _takes_rest(f)


def _takes_rest(f: Callable) -> bool:
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(f).parameters.values())


def value(f: Callable, pt: dict):
    """f at pt as an mpf, or raise Undefined (complex, infinite, division by zero)."""
    try:
        v = f(**(pt if _takes_rest(f) else {n: pt[n] for n in params(f)}))
    except (ZeroDivisionError, ValueError, OverflowError):
        raise Undefined from None
    if isinstance(v, mpc):
        if v.imag != 0:
            raise Undefined
        v = v.real
    v = mpf(v)
    if not mp.isfinite(v):
        raise Undefined
    return v


def fmt(v) -> str:
    return mp.nstr(v, 8, min_fixed=-4, max_fixed=8)


def where(pt: dict) -> str:
    # enough digits that the point typed back is the point checked (1e-7 offsets from breakpoints)
    return ", ".join(f"{n} = {mp.nstr(v, 15, min_fixed=-4, max_fixed=15)}" for n, v in pt.items()) or "(no symbols)"


class Edge(Exception):
    """The truth cannot be decided automatically (tolerance edge, measure-zero failure, ...)."""


def _failure(key: Callable, ans: Callable, pt: dict, tolerant: bool, tol: float, edge_ok: bool):
    """None if the answer agrees at pt (or the key is undefined there), else (size, text): the size
    ranks witnesses (a hole first, then the difference relative to max(1, |key|)); size None marks a
    point too close to the tolerance or to the 300-digit noise to count either way."""
    try:
        k = value(key, pt)
    except Undefined:
        return None
    try:
        a = value(ans, pt)
    except Undefined:
        return mp.inf, f"the answer is undefined at {where(pt)} where the key is {fmt(k)}"
    diff = abs(a - k)
    if tolerant:
        allowed = tol * max(abs(a), abs(k)) + (mpf("1e-12") if abs(k) < mpf("1e-14") else 0)
        ratio = diff / allowed if allowed else (mpf(0) if diff == 0 else mp.inf)
        if not edge_ok and mpf("0.1") <= ratio <= 10:
            return None, f"within a factor 10 of the tolerance at {where(pt)}: ratio {fmt(ratio)}"
        if ratio <= 1:
            return None
    else:
        if diff <= mpf(10) ** -250 * max(1, abs(a), abs(k)):
            return None
        if diff <= mpf(10) ** -200 * max(abs(a), abs(k)):
            return None, f"difference {fmt(diff)} at {where(pt)} is near the 300-digit noise"
    return diff / max(1, abs(k)), (f"at {where(pt)} the answer is {fmt(a)} and the key {fmt(k)} "
                                   f"(difference {mp.nstr(a - k, 3)})")


def _neighbours(pt: dict, domain: dict) -> list[dict]:
    out = []
    for n, v in pt.items():
        spec = domain.get(n)
        if isinstance(spec, dict):
            continue
        step = (mpf(spec[1]) - mpf(spec[0])) * mpf("1e-9") if spec else max(abs(v), 1) * mpf("1e-9")
        for s in (step, -step):
            q = dict(pt, **{n: v + s})
            if spec is None or mpf(spec[0]) <= q[n] <= mpf(spec[1]):
                out.append(q)
    return out


def judge(key: Callable, ans: Callable, domain: dict, breaks: dict, case_id: str, *, tolerant: bool,
          tol: float = 1e-6, edge_ok: bool = False) -> tuple[str, str]:
    """(verdict, reasoning) from dense 300-digit evaluation."""
    names = set(params(key)) | set(params(ans))
    if _takes_rest(key) or _takes_rest(ans):
        names |= set(domain)
    names = sorted(names)
    pts = points(names, domain, breaks, case_id)
    defined = 0
    failures, unclear = [], []
    for i, pt in enumerate(pts):
        try:
            value(key, pt)
            defined += 1
        except Undefined:
            continue
        fail = _failure(key, ans, pt, tolerant, tol, edge_ok)
        if fail is not None and fail[0] is None:
            unclear.append(fail[1])
        elif fail is not None:
            failures.append((-fail[0], i, fail[1]))
    if defined < 1:
        raise Edge("the key is undefined at every point")
    # the largest failure that also holds at a neighbouring point is the witness
    for _, i, text in sorted(failures)[:50]:
        nbrs = _neighbours(pts[i], domain)
        if not nbrs or any((f := _failure(key, ans, q, tolerant, tol, edge_ok)) and f[0] is not None for q in nbrs):
            return "incorrect", f"{text}; {len(pts)} points checked at 300 digits"
    if failures:
        raise Edge(f"only a measure-zero failure: {failures[0][2]}")
    if unclear:
        raise Edge(unclear[0])
    free = [n for n in names if domain.get(n) is None]
    if free:
        for pt in points(names, domain, breaks, case_id, far=True):
            if _failure(key, ans, pt, tolerant, tol, edge_ok):  # a real or an unclear failure
                raise Edge(f"differs only beyond |x| = 1e3, at {where(pt)}")
    scope = "every value" if not names else f"{len(pts)} points ({defined} where the key is defined)"
    return "correct", f"equal at {scope}, 300-digit mpmath"
