"""AD-table keys of a variant: values and adjoints traced at the variant's own point.

In a parameterised file the key's graph is written once (``rows`` with their ``expr``) and the
numbers that change with the point are left out; each variant's are computed here, over the
key's own graph, by the same reverse sweep that grades the students' tables.
"""

from __future__ import annotations

from dataclasses import replace

from grader.assignments.ad_graph import TableError, local, read_graph, rows_json, true_values
from grader.assignments.model import AdTableQuestion, Question, Row


def _text(x: float) -> str:
    """Short when that is exact (0.15, 4, -7), else every digit (0.6666666666666666)."""
    short = f"{x:.12g}"
    return short if float(short) == x else repr(x)


def traced_keys(q: Question) -> Question:
    """``q`` with the missing values (and, for an adjoint part, adjoints) of its key filled in."""
    if not isinstance(q, AdTableQuestion) or not q.key_rows:
        return q
    need_values = any(r.value is None for r in q.key_rows)
    need_adjoints = q.part == "adjoint" and not q.key_adjoints
    if not need_values and not need_adjoints:
        return q
    try:
        graph = read_graph(rows_json(q.key_rows), q)
        values = true_values(graph, q)
        rows = tuple(r if r.value is not None else Row(r.name, r.expr, _text(values.get(_name(r.name), values[graph.output])))
                     for r in q.key_rows)
        adjoints = q.key_adjoints
        if need_adjoints:
            adjoints = tuple((name, _text(v)) for name, v in _sweep(graph, values).items())
    except (TableError, ArithmeticError, ValueError, KeyError):
        return q   # left as written: lint reports the key it cannot trace
    return replace(q, key_rows=rows, key_adjoints=adjoints)


def _name(raw: str) -> str:
    """The graph's (canonical) name of a key row as written (a last row ``y = v_4`` that only
    names the output is not a row of the graph: it takes the output's value)."""
    from grader.assignments.ad_graph import canonical_name

    return canonical_name(raw, raw)


def _sweep(graph, values: dict[str, float]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """d output / d row for every row, by reverse mode over the graph (the output's is 1)."""
    adj = {r.name: 0.0 for r in graph.rows}
    adj[graph.output] = 1.0
    for r in reversed([r for r in graph.rows if r.input is None]):
        _, partials = local(r, values)
        for a, d in partials.items():
            adj[a] += adj[r.name] * d
    return {r.name: adj[r.name] for r in reversed(graph.rows)}
