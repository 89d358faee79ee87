"""The tape's operation registry and its two numeric backends (numpy floats/arrays, mpmath).

Each op is ``OpSpec(forward, partials)``: ``forward(ns, xs, const)`` computes the row value from
its argument values; ``partials(ns, xs, out, const)`` returns d row / d arg for every argument
(``None`` for an argument that gets no adjoint, e.g. a Piecewise condition). Both functions are
written once against a small namespace object ``ns`` that holds the backend's math functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from grader.engine import mp_guards

Values = Sequence[Any]


class NumpyNS:
    """Math namespace for floats and 1-D arrays (errors are silenced by the caller: nan/inf)."""

    name = "numpy"
    nan = math.nan
    exp, log, sqrt = staticmethod(np.exp), staticmethod(np.log), staticmethod(np.sqrt)
    sin, cos, tan = staticmethod(np.sin), staticmethod(np.cos), staticmethod(np.tan)
    asin, acos, atan = staticmethod(np.arcsin), staticmethod(np.arccos), staticmethod(np.arctan)
    sinh, cosh, tanh = staticmethod(np.sinh), staticmethod(np.cosh), staticmethod(np.tanh)
    asinh, acosh, atanh = staticmethod(np.arcsinh), staticmethod(np.arccosh), staticmethod(np.arctanh)
    abs, sign = staticmethod(np.abs), staticmethod(np.sign)

    @staticmethod
    def power(b: Any, e: Any) -> Any:
        return np.power(np.asarray(b, dtype=float), e)

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        return np.true_divide(a, b)

    @staticmethod
    def heaviside(x: Any, h0: Any) -> Any:
        return np.heaviside(x, h0)

    @staticmethod
    def select(conds: Sequence[Any], vals: Sequence[Any]) -> Any:
        """First branch whose condition holds, nan where none holds."""
        arrs = np.broadcast_arrays(*[np.asarray(c, dtype=bool) for c in conds],
                                   *[np.asarray(v, dtype=float) for v in vals])
        n = len(conds)
        out = np.select(arrs[:n], arrs[n:], default=np.nan)
        return out[()] if out.ndim == 0 else out

    @staticmethod
    def chosen(conds: Sequence[Any], k: int) -> Any:
        """1.0 where branch k is the first whose condition holds, else 0.0."""
        taken = np.asarray(conds[k], dtype=bool)
        for c in conds[:k]:
            taken = taken & ~np.asarray(c, dtype=bool)
        return taken.astype(float)[()] if taken.ndim == 0 else taken.astype(float)

    @staticmethod
    def argext(xs: Sequence[Any], largest: bool) -> Any:
        stack = np.stack(np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in xs]))
        idx = np.argmax(stack, axis=0) if largest else np.argmin(stack, axis=0)
        return idx[()] if idx.ndim == 0 else idx

    @staticmethod
    def extreme(xs: Sequence[Any], largest: bool) -> Any:
        red = np.maximum if largest else np.minimum
        out = xs[0]
        for x in xs[1:]:
            out = red(out, x)
        return out

    @staticmethod
    def mask(flags: Any) -> Any:
        arr = np.asarray(flags, dtype=float)
        return arr[()] if arr.ndim == 0 else arr

    land, lor = staticmethod(np.logical_and), staticmethod(np.logical_or)
    lnot = staticmethod(np.logical_not)

    @staticmethod
    def ite(c: Any, a: Any, b: Any) -> Any:
        out = np.where(c, a, b)
        return out[()] if out.ndim == 0 else out


class MpmathNS:
    """Math namespace for mpmath.mpf scalars (complex or undefined results become nan upstream)."""

    name = "mpmath"
    nan = mpmath.nan
    # exp, powers, hyperbolic and trig functions whose cost is bounded at any argument
    exp, log, sqrt = staticmethod(mp_guards.exp), staticmethod(mpmath.log), staticmethod(mpmath.sqrt)
    sin, cos, tan = staticmethod(mp_guards.sin), staticmethod(mp_guards.cos), staticmethod(mp_guards.tan)
    asin, acos, atan = staticmethod(mpmath.asin), staticmethod(mpmath.acos), staticmethod(mpmath.atan)
    sinh, cosh, tanh = staticmethod(mp_guards.sinh), staticmethod(mp_guards.cosh), staticmethod(mp_guards.tanh)
    asinh, acosh, atanh = staticmethod(mpmath.asinh), staticmethod(mpmath.acosh), staticmethod(mpmath.atanh)
    abs, sign = staticmethod(mpmath.fabs), staticmethod(mpmath.sign)
    power = staticmethod(mp_guards.power)

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        if b == 0:
            return mpmath.nan if a == 0 or mpmath.isnan(a) else mpmath.inf * mpmath.sign(a)
        return a / b

    @staticmethod
    def heaviside(x: Any, h0: Any) -> Any:
        if mpmath.isnan(x):
            return mpmath.nan
        return mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else h0)

    @staticmethod
    def select(conds: Sequence[Any], vals: Sequence[Any]) -> Any:
        for c, v in zip(conds, vals):
            if c:
                return v
        return mpmath.nan

    @staticmethod
    def chosen(conds: Sequence[Any], k: int) -> Any:
        first = next((i for i, c in enumerate(conds) if c), None)
        return mpmath.mpf(1 if first == k else 0)

    @staticmethod
    def argext(xs: Sequence[Any], largest: bool) -> Any:
        best = 0
        for i, x in enumerate(xs):
            if mpmath.isnan(x):
                return i
            if (x > xs[best]) if largest else (x < xs[best]):
                best = i
        return best

    @staticmethod
    def extreme(xs: Sequence[Any], largest: bool) -> Any:
        if any(mpmath.isnan(x) for x in xs):
            return mpmath.nan
        return max(xs) if largest else min(xs)

    @staticmethod
    def mask(flags: Any) -> Any:
        return mpmath.mpf(1 if flags else 0)

    @staticmethod
    def land(a: Any, b: Any) -> bool:
        return bool(a) and bool(b)

    @staticmethod
    def lor(a: Any, b: Any) -> bool:
        return bool(a) or bool(b)

    @staticmethod
    def lnot(a: Any) -> bool:
        return not a

    @staticmethod
    def ite(c: Any, a: Any, b: Any) -> bool:
        return bool(a) if c else bool(b)


BACKENDS: dict[str, type] = {"numpy": NumpyNS, "mpmath": MpmathNS}

Forward = Callable[[Any, Values, Any], Any]
Partials = Callable[[Any, Values, Any, Any], list[Any]]


@dataclass(frozen=True)
class OpSpec:
    """One operation: its forward value and its local partial derivatives."""

    forward: Forward
    partials: Partials


def _prod(xs: Values) -> Any:
    out = xs[0]
    for x in xs[1:]:
        out = out * x
    return out


def _mul_partials(ns: Any, xs: Values, out: Any, const: Any) -> list[Any]:
    n = len(xs)
    if n == 1:
        return [1]
    prefix, suffix = [1] * n, [1] * n
    for i in range(1, n):
        prefix[i] = prefix[i - 1] * xs[i - 1]
    for i in range(n - 2, -1, -1):
        suffix[i] = suffix[i + 1] * xs[i + 1]
    return [prefix[i] * suffix[i] for i in range(n)]


def _unary(f: str, d: Callable[[Any, Any, Any], Any]) -> OpSpec:
    """An op of one argument: ``f`` names the namespace function, ``d(ns, x, out)`` its derivative."""
    return OpSpec(lambda ns, xs, c: getattr(ns, f)(xs[0]), lambda ns, xs, out, c: [d(ns, xs[0], out)])


def _pow_partials(ns: Any, xs: Values, out: Any, const: Any) -> list[Any]:
    b, e = xs
    return [e * ns.power(b, e - 1), out * ns.log(b)]


def _powi_partials(ns: Any, xs: Values, out: Any, n: int) -> list[Any]:
    if n == 0:
        return [0]
    return [n * ns.power(xs[0], n - 1) if n != 1 else 1]


def _ext(largest: bool) -> OpSpec:
    def partials(ns: Any, xs: Values, out: Any, c: Any) -> list[Any]:
        idx = ns.argext(xs, largest)
        return [ns.mask(idx == k) for k in range(len(xs))]

    return OpSpec(lambda ns, xs, c: ns.extreme(xs, largest), partials)


def _piecewise_forward(ns: Any, xs: Values, c: Any) -> Any:
    return ns.select(xs[1::2], xs[0::2])


def _piecewise_partials(ns: Any, xs: Values, out: Any, c: Any) -> list[Any]:
    conds = xs[1::2]
    result: list[Any] = []
    for k in range(len(conds)):
        result += [ns.chosen(conds, k), None]
    return result


def _logic(f: Callable[[Any, Any], Any]) -> OpSpec:
    def forward(ns: Any, xs: Values, c: Any) -> Any:
        out = xs[0]
        for x in xs[1:]:
            out = f(ns, out, x)
        return out

    return OpSpec(forward, lambda ns, xs, out, c: [None] * len(xs))


def _rel(f: Callable[[Any, Any], Any]) -> OpSpec:
    return OpSpec(lambda ns, xs, c: f(xs[0], xs[1]), lambda ns, xs, out, c: [None, None])


def _no_args(f: Callable[[Any, Any], Any]) -> OpSpec:
    return OpSpec(f, lambda ns, xs, out, c: [])


_ZERO = lambda ns, x, out: 0 * x  # noqa: E731  (keeps nan propagation and array shape)

OPS: dict[str, OpSpec] = {
    "input": _no_args(lambda ns, xs, c: c),
    "const": _no_args(lambda ns, xs, c: c),
    "true": _no_args(lambda ns, xs, c: True),
    "false": _no_args(lambda ns, xs, c: False),
    "add": OpSpec(lambda ns, xs, c: sum(xs[1:], xs[0]), lambda ns, xs, out, c: [1] * len(xs)),
    "mul": OpSpec(lambda ns, xs, c: _prod(xs), _mul_partials),
    "inv": OpSpec(lambda ns, xs, c: ns.div(1, xs[0]), lambda ns, xs, out, c: [-(out * out)]),
    "powi": OpSpec(lambda ns, xs, n: ns.power(xs[0], n), _powi_partials),
    "sqrt": _unary("sqrt", lambda ns, x, out: ns.div(1, 2 * out)),
    "pow": OpSpec(lambda ns, xs, c: ns.power(xs[0], xs[1]), _pow_partials),
    "exp": _unary("exp", lambda ns, x, out: out),
    "log": _unary("log", lambda ns, x, out: ns.div(1, x)),
    "sin": _unary("sin", lambda ns, x, out: ns.cos(x)),
    "cos": _unary("cos", lambda ns, x, out: -ns.sin(x)),
    "tan": _unary("tan", lambda ns, x, out: 1 + out * out),
    "asin": _unary("asin", lambda ns, x, out: ns.div(1, ns.sqrt(1 - x * x))),
    "acos": _unary("acos", lambda ns, x, out: -ns.div(1, ns.sqrt(1 - x * x))),
    "atan": _unary("atan", lambda ns, x, out: ns.div(1, 1 + x * x)),
    "sinh": _unary("sinh", lambda ns, x, out: ns.cosh(x)),
    "cosh": _unary("cosh", lambda ns, x, out: ns.sinh(x)),
    "tanh": _unary("tanh", lambda ns, x, out: 1 - out * out),
    "asinh": _unary("asinh", lambda ns, x, out: ns.div(1, ns.sqrt(x * x + 1))),
    "acosh": _unary("acosh", lambda ns, x, out: ns.div(1, ns.sqrt(x * x - 1))),
    "atanh": _unary("atanh", lambda ns, x, out: ns.div(1, 1 - x * x)),
    "abs": _unary("abs", lambda ns, x, out: ns.sign(x)),
    "sign": _unary("sign", _ZERO),
    "heaviside": OpSpec(lambda ns, xs, c: ns.heaviside(xs[0], xs[1]),
                        lambda ns, xs, out, c: [0 * xs[0], None]),
    "max": _ext(True),
    "min": _ext(False),
    "piecewise": OpSpec(_piecewise_forward, _piecewise_partials),
    "lt": _rel(lambda a, b: a < b),
    "le": _rel(lambda a, b: a <= b),
    "gt": _rel(lambda a, b: a > b),
    "ge": _rel(lambda a, b: a >= b),
    "eq": _rel(lambda a, b: a == b),
    "ne": _rel(lambda a, b: a != b),
    "and": _logic(lambda ns, a, b: ns.land(a, b)),
    "or": _logic(lambda ns, a, b: ns.lor(a, b)),
    "not": OpSpec(lambda ns, xs, c: ns.lnot(xs[0]), lambda ns, xs, out, c: [None]),
    "ite": OpSpec(lambda ns, xs, c: ns.ite(*xs), lambda ns, xs, out, c: [None] * 3),
}

# Ops whose value is a boolean (conditions); they never carry an adjoint.
BOOLEAN_OPS = frozenset({"true", "false", "lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "ite"})
