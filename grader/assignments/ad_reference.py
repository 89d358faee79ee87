"""The true adjoints behind the rows of a student's graph that does not compute the question's function.

Adjoints over a wrong graph are graded on that graph (error carried forward): a cell that follows
from the student's graph gets its credit, but it is right only for their graph, not for the
question. A row's *true* adjoint is dy/d(row) for the question's function y = f(inputs):

* an input row: the partial derivative of f;
* an operation row whose value, written in the inputs, is a subexpression of f: the derivative of
  f with that subexpression taken as a variable (the adjoint of that node of f's own graph);
* the output row: 1, the seed of every reverse sweep;
* any other row has no counterpart in f: None (it can only be checked on the student's graph).
"""

from __future__ import annotations

import math
from typing import Mapping

import sympy

from grader.assignments.ad_graph import Graph
from grader.assignments.keys import symbol
from grader.engine.errors import EngineError
from grader.engine.tape import Tape

_PREC = 113


def row_functions(graph: Graph) -> dict[str, sympy.Expr]:
    """Every row's value as an expression in the inputs (``v_2`` -> ``w*x + b``)."""
    env: dict[sympy.Symbol, sympy.Expr] = {}
    out: dict[str, sympy.Expr] = {}
    for r in graph.rows:
        value = symbol(r.input) if r.input is not None else r.expr.xreplace(env)  # type: ignore[union-attr]
        env[symbol(r.name)] = value
        out[r.name] = value
    return out


def _derivative_at(f: sympy.Expr, t: sympy.Symbol, point: Mapping[str, float], value: float) -> float | None:
    """d f / d t at ``point`` (with t = ``value``), by the tape in high precision; None if undefined."""
    names = sorted({s.name for s in f.free_symbols} - {t.name})
    try:
        tape = Tape.from_expr(f, [t, *(symbol(n) for n in names)])
        grad = tape.gradient({t.name: value, **{n: point[n] for n in names}}, backend="mpmath", prec=_PREC)
        d = float(grad[t.name])
    except (EngineError, KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return d if math.isfinite(d) else None


def true_adjoints(graph: Graph, f: sympy.Expr, point: Mapping[str, float],
                  values: Mapping[str, float]) -> dict[str, float | None]:
    """The true adjoint of each row of ``graph`` (None where the row has no counterpart in f).

    ``values`` are the rows' exact values at ``point`` (``ad_graph.true_values``).
    """
    out: dict[str, float | None] = {}
    t = sympy.Symbol("__row__", real=True)   # no input can be named so
    for name, g in row_functions(graph).items():
        replaced = f.xreplace({g: t})
        if replaced.has(t):
            out[name] = _derivative_at(replaced, t, point, values[name])
        else:   # an input f does not use has adjoint 0; another row matches no part of f
            out[name] = 0.0 if g.is_Symbol else None
    if out.get(graph.output) is None:
        out[graph.output] = 1.0
    return out
