"""The student's Wengert list as a graph: reading rows, evaluating them (cells: ``ad_table``).

AD tables are graded over the student's own graph, cell by cell, with error carried forward.

Answer shape (documented in ``assignments/README.md``):

* forward part: a list of rows ``{"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15}`` (or
  ``{"rows": [...]}``). Input rows name an input (``{"name": "v_{-2}", "expr": "x", "value": 0.3}``);
  when left out, ``v_{1-n}..v_0`` stand for the inputs in order. A last row ``y = v_4`` marks
  the output (otherwise the last row is the output).
* adjoint part: ``{"v_{-2}": -7, ...}`` (or ``{"adjoints": {...}, "rows": [...]}``); without
  rows, the graph is the one answered in the ``graph_from`` question.

Each row is evaluated (value and local partials) by a tape built from the student's row, and the
reverse sweep runs over the student's graph. A cell is *correct* when it matches the exact value
of the student's graph, and *carried forward* when it matches the value their own earlier
entries give: it gets the credit, and the feedback says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from cachetools.func import lru_cache
from typing import Any, Mapping

import sympy

from grader.assignments.keys import KeyFieldError, grading_context, names_for, parse_field, symbol
from grader.assignments.model import AdTableQuestion, Row
from grader.engine.errors import EngineError, ParseError
from grader.engine.parsing import NameContext, parse
from grader.engine.tape import Tape

MAX_ROWS = 200           # a Wengert list longer than this is not an answer
TABLE_TOLERANCE = 1e-2   # relative: table entries are rounded by hand (0.33 for 1/3)
_BAR = re.compile(r"\\(?:bar|overline)\s*\{([^{}]*)\}")


class TableError(Exception):
    """An AD-table answer whose structure cannot be read (the answer is invalid)."""


@dataclass(frozen=True)
class GraphRow:
    """A row of a student's Wengert list; ``expr`` is over earlier row names (None for inputs)."""

    name: str
    text: str
    expr: sympy.Expr | None
    input: str | None = None
    given: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Graph:
    """The student's rows in order and the name of the output row."""

    rows: tuple[GraphRow, ...]
    output: str

    def row(self, name: str) -> GraphRow:
        return next(r for r in self.rows if r.name == name)


def conventional_name(k: int, n: int) -> str:
    """Name of input ``k`` of ``n`` in the usual numbering v_{1-n}..v_0 (as the parser spells it)."""
    j = k + 1 - n
    return f"v_{{{j}}}" if j < 0 else f"v_{j}"


def canonical_name(raw: Any, where: str) -> str:
    """The parser's name of a row or adjoint label (``\\bar{v}_{-2}`` -> ``v_{-2}``)."""
    if not isinstance(raw, str) or not raw.strip():
        raise TableError(f"{where}: a name is required")
    text = _BAR.sub(r"\1", raw.strip())
    try:
        expr = parse(text, names=NameContext(symbols=frozenset({text}))).expr
    except ParseError as exc:
        raise TableError(f"{where}: cannot read the name {raw!r}: {exc}") from None
    if not isinstance(expr, sympy.Symbol):
        raise TableError(f"{where}: {raw!r} is not a variable name")
    return expr.name


def read_value(raw: Any) -> tuple[float | None, str]:
    """(value, note): a number, or text naming a number; None when blank or unreadable."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, bool):
        return None, f"{raw!r} is not a number"
    if isinstance(raw, (int, float)):
        return float(raw), ""
    try:
        expr = parse(str(raw)).expr
    except ParseError as exc:
        return None, f"cannot read {raw!r}: {exc}"
    if expr.free_symbols:
        return None, f"{raw!r} is not a number"
    try:
        return float(expr.evalf(30)), ""
    except (TypeError, ValueError, OverflowError):
        return None, f"{raw!r} is not a real number"


def read_graph(raw_rows: Any, q: AdTableQuestion) -> Graph:
    """The student's graph from their rows (``TableError`` when it cannot be read)."""
    if isinstance(raw_rows, Mapping) and "rows" in raw_rows:
        raw_rows = raw_rows["rows"]
    if not isinstance(raw_rows, list) or not raw_rows:
        raise TableError('expected a list of rows like {"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15}')
    if len(raw_rows) > MAX_ROWS:
        raise TableError(f"at most {MAX_ROWS} rows")
    n = len(q.inputs)
    conventional = {conventional_name(k, n): x for k, x in enumerate(q.inputs)}
    rows: list[GraphRow] = []
    known: dict[str, GraphRow] = {}
    input_row: dict[str, str] = {}
    output: str | None = None

    def add_input(x: str, name: str, text: str, given: float | None = None, note: str = "") -> None:
        row = GraphRow(name, text, None, x, given, note)
        rows.append(row)
        known[name] = row
        input_row[x] = name

    for i, raw in enumerate(raw_rows):
        where = f"row {i + 1}"
        if not isinstance(raw, Mapping):
            raise TableError(f"{where}: expected an object with name, expr and value")
        name = canonical_name(raw.get("name"), where)
        where = f"row {name}"
        if name in known or name in q.inputs:
            raise TableError(f"{where}: {name} is defined twice")
        text = raw.get("expr")
        if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not str(text).strip():
            raise TableError(f"{where}: no expression")
        symbols = frozenset({*q.inputs, *known, *conventional, name})
        try:
            expr = parse(str(text), names=NameContext(symbols=symbols)).expr
        except ParseError as exc:
            raise TableError(f"{where}: {exc}") from None
        given, note = read_value(raw.get("value"))
        if isinstance(expr, sympy.Symbol) and expr.name in q.inputs and expr.name not in input_row:
            add_input(expr.name, name, str(text), given, note)
            continue
        if isinstance(expr, sympy.Symbol) and expr.name in known and not name.startswith("v_"):
            output = expr.name            # "y = v_4": marks the output
            continue
        mapping = {}
        for s in sorted(expr.free_symbols, key=lambda s: s.name):
            if s.name in known:
                continue
            x = s.name if s.name in q.inputs else conventional.get(s.name)
            if x is None:
                raise TableError(f"{where}: uses {s.name}, which is not defined above it")
            if x not in input_row:
                add_input(x, s.name if s.name not in q.inputs else conventional_name(q.inputs.index(x), n), x)
            mapping[s] = symbol(input_row[x])
        row = GraphRow(name, str(text), expr.xreplace(mapping), None, given, note)
        rows.append(row)
        known[name] = row
    ops = [r for r in rows if r.input is None]
    if not ops:
        raise TableError("the table has no operation rows")
    inputs = sorted((r for r in rows if r.input is not None), key=lambda r: q.inputs.index(r.input or ""))
    return Graph((*inputs, *ops), output or ops[-1].name)


@lru_cache(maxsize=1024)
def _row_tape(expr: sympy.Expr, args: tuple[str, ...]) -> Tape:
    return Tape.from_expr(expr, [symbol(a) for a in args])


def local(row: GraphRow, env: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """The row's value and its partials d row / d arg at ``env``, by the row's own tape."""
    assert row.expr is not None
    args = tuple(sorted(s.name for s in row.expr.free_symbols))
    try:
        vals, adj = _row_tape(row.expr, args).evaluate({a: env[a] for a in args}, backend="mpmath", prec=113)
    except EngineError as exc:
        raise TableError(f"row {row.name}: {exc}") from None
    return float(vals[-1]), {a: float(adj[i]) for i, a in enumerate(args)}


def point_of(q: AdTableQuestion) -> dict[str, float]:
    return dict(q.point)


def true_values(graph: Graph, q: AdTableQuestion) -> dict[str, float]:
    """Every row's exact value on the student's graph at the question's point."""
    point, env = point_of(q), {}
    for r in graph.rows:
        env[r.name] = point[r.input] if r.input is not None else local(r, env)[0]
    return env


def close(a: float, b: float, tol: float) -> bool:
    """Relative closeness (``tol``), with a tiny absolute floor for exact zeros."""
    return abs(a - b) <= tol * abs(b) + 1e-9


def fmt(x: float) -> str:
    s = f"{x:.6g}"
    return "0" if s == "-0" else s


def composed(graph: Graph) -> sympy.Expr:
    """The function the graph computes, in terms of the inputs."""
    env: dict[sympy.Symbol, sympy.Expr] = {}
    for r in graph.rows:
        env[symbol(r.name)] = symbol(r.input) if r.input is not None else r.expr.xreplace(env)
    return env[symbol(graph.output)]


def function_expr(q: AdTableQuestion) -> sympy.Expr:
    """The question's function, parsed over its inputs."""
    return parse_field(q.function, names_for(q.context, q.inputs), "function")


def compile_table(q: AdTableQuestion) -> None:
    """Parse the function and the key table (``KeyFieldError`` naming the field)."""
    function_expr(q)
    if q.key_rows:
        try:
            read_graph(rows_json(q.key_rows), q)
        except TableError as exc:
            raise KeyFieldError("key.rows", str(exc)) from None
    grading_context(q.context)


def rows_json(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    """Rows of the model as answer JSON."""
    return [{"name": r.name, "expr": r.expr, "value": r.value} for r in rows]


def tolerance(q: AdTableQuestion) -> float:
    return q.context.tolerance or TABLE_TOLERANCE


def read_adjoints(raw: Any) -> tuple[dict[str, float | None], Any, dict[str, str]]:
    """(adjoints by row name, rows or None, notes on unreadable values) from an adjoint answer."""
    rows = None
    if isinstance(raw, Mapping) and "adjoints" in raw:
        rows, raw = raw.get("rows"), raw["adjoints"]
    if not isinstance(raw, Mapping) or not raw:
        raise TableError('expected the adjoints as {"v_{-2}": -7, "v_{-1}": -4.8, ...}')
    if len(raw) > MAX_ROWS:
        raise TableError(f"at most {MAX_ROWS} adjoints")
    out: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    for k, v in raw.items():
        name = canonical_name(k, f"adjoint {k!r}")
        out[name], note = read_value(v)
        if note:
            notes[name] = note
    return out, rows, notes
