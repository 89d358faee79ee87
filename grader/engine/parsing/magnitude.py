"""How large a constant sub-expression can be, bounded soundly before sympy sees it.

sympy asks the sign of constant sums by evaluating them numerically, so building
``1/(e^{e^{e^{100}}} - 10)`` (or its square root, logarithm, ...) never returns. Every symbol-free
subtree gets an interval that encloses its value (``value_bounds``: interval arithmetic at 53 bits,
the exponent of ``exp`` and ``x**y`` checked before the power is computed), and one whose size
passes ``10**max_magnitude`` is refused. The enclosures are tight (``exp(exp(3/4))`` is known to
be about 8.3), so a bound never compounds into a false "too large" through nested exponentials.
An enclosure that stays unbounded (``e^{1/(\\pi - \\pi)}``) is retried at 1024 bits, then refused.
"""

from __future__ import annotations

import math
from typing import Any

from grader.engine.errors import LimitExceeded
from grader.engine.limits import DEFAULT_LIMITS
from grader.engine.value_bounds import Bounds, Iv, TooLarge, Unresolved

from .nodes import Node

_CONDITIONS = frozenset({"pw", "rel", "and", "or", "not"})
_CONDITION_CALLS = frozenset({"Piecewise", "And", "Or", "Not", "Eq", "Ne"})
_TRIG = frozenset({"tan", "cot", "sec", "csc"})


def check_magnitudes(root: Node, digits: int = DEFAULT_LIMITS.max_magnitude) -> None:
    """Raise LimitExceeded if a constant part of ``root`` is astronomically large (or cannot
    be bounded where an exponent needs it)."""
    try:
        _Walk(Bounds(digits, strict=True)).value(root)
    except Unresolved:
        try:
            _Walk(Bounds(digits, prec=1024, strict=True)).value(root)
        except Unresolved as exc:
            raise LimitExceeded("cannot bound the size of this number (a division by zero or a pole?)",
                                getattr(exc, "col", root.col)) from None


class _Leaf:
    """A numeric literal whose enclosure is built only if its parent is constant too: most
    literals (the 2 of ``x^2``, ``2x``) sit under a subtree with symbols, which needs no value.
    Only literals that cannot pass the limit are deferred, so no check is skipped."""

    __slots__ = ("p", "q")

    def __init__(self, p: int, q: int) -> None:
        self.p, self.q = p, q


_LEAF_BITS = 3000   # |p/q| <= |p| < 2^3000, far below 10^max_magnitude for any sane limit


class _Walk:
    """Enclosures of every constant subtree (None for a subtree with symbols)."""

    def __init__(self, bounds: Bounds) -> None:
        self.b = bounds
        self.memo: dict[int, Iv | _Leaf | None] = {}

    def value(self, node: Node) -> "Iv | _Leaf | None":
        key = id(node)
        if key not in self.memo:
            try:
                self.memo[key] = self._value(node)
            except TooLarge:
                raise LimitExceeded(f"number too large (more than 10^{self.b.digits})",
                                    node.col) from None
            except Unresolved as exc:
                if not hasattr(exc, "col"):
                    exc.col = node.col  # type: ignore[attr-defined]
                raise
        return self.memo[key]

    def _value(self, node: Node) -> "Iv | _Leaf | None":
        kind, args, b = node.kind, node.args, self.b
        if kind == "num":
            p, q = args
            if abs(p).bit_length() <= _LEAF_BITS and q >= 1 and _LEAF_BITS < b.digits * 3.32:
                return _Leaf(p, q)
            return b.number(*args)
        if kind == "const":
            return b.constant(args[0]) if args[0] in ("E", "pi") else None
        if kind in ("sym", "deriv"):
            return None
        children = [a for a in args if isinstance(a, Node)]
        if kind == "pw":
            children = [x for pair in args for x in pair]
        values: list[Any] = [self.value(c) for c in children]
        if kind in _CONDITIONS or kind == "ufunc" or any(v is None for v in values):
            return None
        values = [b.number(v.p, v.q) if isinstance(v, _Leaf) else v for v in values]
        if kind == "box":
            return values[0]
        if kind == "neg":
            return b.neg(values[0])
        if kind == "inv":
            return b.inv(values[0])
        if kind == "add":
            return b.add(values)
        if kind == "mul":
            return b.mul(values)
        if kind == "pow":
            return b.power(values[0], values[1], _integer(b, values[1]))
        if kind == "fact":
            return b.gamma(values[0] + 1)
        return self._call(args[0], values)

    def _call(self, name: str, xs: list[Iv]) -> Iv | None:
        b = self.b
        x = xs[0] if xs else None
        if name in _CONDITION_CALLS or x is None:
            return None
        if name == "factorial":
            return b.gamma(x + 1)
        if name in ("exp", "sinh", "cosh", "tanh", "atan", "asin", "acos", "sqrt", "log") and len(xs) == 1:
            return getattr(b, name)(x)
        if name == "logistic":  # built as 1/(1 + exp(-u)): the exponential is what sympy holds
            b.exp(b.neg(x))
            return b.span(0, 1)
        if name == "log":
            return b.mul([b.log(x), b.inv(b.log(xs[1]))])
        if name == "root":
            return b.power(x, b.inv(xs[1]))
        if name in ("sin", "cos"):
            return b.sin_cos(x, name)
        if name in _TRIG:
            return b.trig(x, name)
        if name == "sech":
            return b.span(0, 1)
        if name in ("csch", "coth"):  # |csch x| <= 1/|x|, |coth x| <= 1 + 1/|x|
            return b.growth(b.inv(x))
        if name == "Abs":
            return b.absolute(x)
        if name == "sign":
            return b.sign(x)
        if name == "Heaviside":
            return b.span(0, 1)
        if name in ("Max", "Min"):
            return b.extreme(xs, name == "Max")
        return b.growth(b.hull(xs))  # a function this module does not know: about its argument


def _integer(b: Bounds, x: Iv) -> int | None:
    """The integer an enclosure pins down exactly, else None."""
    lo, hi = b.ends(x)
    if lo == hi and math.isfinite(lo) and lo.is_integer():
        return int(lo)
    return None
