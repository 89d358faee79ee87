"""How far from 1 a constant sub-expression can be, in orders of magnitude, before sympy sees it.

sympy asks the sign of constant sums by evaluating them numerically, so building
``1/(e^{e^{e^{100}}} - 10)`` (or its square root, logarithm, ...) never returns. We bound
``|log10 |value||`` for every symbol-free subtree and refuse those beyond ``MAX_MAGNITUDE``.
"""

from __future__ import annotations

import math

from grader.engine.errors import LimitExceeded

from .nodes import Node

MAX_MAGNITUDE = 10_000.0  # e^{10^4} is fine for mpmath; e^{e^{100}} is not
_LOG10_E = math.log10(math.e)
_BOUNDED = frozenset({"sin", "cos", "tan", "sec", "csc", "cot", "tanh", "asin", "acos", "atan",
                      "sign", "Heaviside", "coth", "sech", "csch"})


def _power(base: float, exponent: float) -> float:
    """Magnitude of b**e from the magnitudes of b and e (|e| <= 10**exponent)."""
    if base == 0.0:
        return 0.0
    return math.inf if exponent > 300 else base * 10.0 ** exponent


def check_magnitudes(root: Node) -> None:
    """Raise LimitExceeded if a constant part of ``root`` is astronomically large or small."""
    memo: dict[int, float | None] = {}

    def mag(node: Node) -> float | None:
        key = id(node)
        if key not in memo:
            memo[key] = result = _mag(node)
            if result is not None and result > MAX_MAGNITUDE:
                raise LimitExceeded("number too large (more than 10^10000)", node.col)
        return memo[key]

    def _mag(node: Node) -> float | None:
        kind, args = node.kind, node.args
        if kind == "num":
            p, q = args
            return abs(math.log10(p) - math.log10(q)) if p else 0.0
        if kind == "const":
            return {"E": _LOG10_E, "pi": math.log10(math.pi)}.get(args[0], 0.0)
        if kind in ("sym", "ufunc", "deriv"):
            for a in args[1:] if kind == "ufunc" else ():
                mag(a)
            return None
        children = [a for a in args if isinstance(a, Node)]
        if kind == "pw":
            children = [x for pair in args for x in pair]
        elif kind == "rel":
            children = args[1:]
        mags = [mag(c) for c in children]
        if any(m is None for m in mags) or kind in ("pw", "rel", "and", "or", "not"):
            return None
        if kind in ("box", "neg", "inv"):
            return mags[0]
        if kind == "add":
            return max(mags) + math.log10(len(mags)) + 1.0
        if kind == "mul":
            return sum(mags)
        if kind == "pow":
            return _power(mags[0], mags[1])
        if kind == "fact":
            return _power(mags[0], mags[0]) + 1.0  # n! < n**n; n itself is capped at build
        name = args[0]
        if name == "factorial":
            return _power(mags[0], mags[0]) + 1.0
        if name in ("exp", "sinh", "cosh", "logistic"):
            return _LOG10_E * _power(1.0, mags[0])
        if name == "log":
            return math.log10(2.303 * max(mags) + 1.0) + 1.0
        if name in ("sqrt", "root"):
            return mags[0] / 2.0 if name == "sqrt" else mags[0]
        if name in _BOUNDED:
            return 1.0
        return max(mags, default=0.0)

    mag(root)
