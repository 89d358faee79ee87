"""The witness point in the student's own symbols: a wrong answer written in p_i is told what p_i
(and every other defined symbol it uses) is at the point where it differs from the key, not only
w and x_i, which it never mentions.

>>> import sympy
>>> from grader.engine.context import GradingContext
>>> ctx = GradingContext.from_json({"definitions": {"a_i": "w*x_i"}, "domain": {"w": [-1, 1], "x_i": [-1, 1]}})
>>> a = sympy.Symbol("a_i", real=True)
>>> defined_values(2 * a, {"w": 0.5, "x_i": 0.4}, ctx)
'There a_i = 0.2 (a symbol of your answer).'
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import sympy


def defined_values(answer: sympy.Expr, witness: Mapping[str, float], ctx: Any) -> str:
    """A sentence naming the value at ``witness`` of each defined symbol ``answer`` uses ("" when
    it uses none, or a value is not a finite real number)."""
    names = sorted(s.name for s in answer.free_symbols
                   if s.name in ctx.symbol_definitions and s.name not in witness)
    if not names:
        return ""
    point = {sympy.Symbol(k, real=True): sympy.Float(v, 30) for k, v in witness.items()}
    parts = []
    for name in names:
        try:
            value = complex(ctx.substitute(sympy.Symbol(name, real=True)).xreplace(point).evalf(20))
        except (TypeError, ValueError):
            return ""
        if value.imag or not math.isfinite(value.real):
            return ""
        parts.append(f"{name} = {value.real:.3g}")
    noun = "a symbol" if len(parts) == 1 else "symbols"
    return f"There {', '.join(parts)} ({noun} of your answer)."
