"""Reading a forward AD table that has unreadable cells: every problem reported at once, and the
readable cells still graded.

``ad_graph.read_graph`` stops at the first problem, so one unbalanced brace made the whole part
invalid and the student learnt of one problem per attempt. Here each problem row is set aside
(reported), a row whose expression cannot be read keeps its value as a given number so the rows
below it can still be checked against it, and the table is read again until it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from grader.assignments.ad_graph import Graph, TableError, canonical_name, read_graph, read_value
from grader.assignments.model import AdTableQuestion

_ROW = re.compile(r"^row (?P<where>\S+?): ")
_NAME_PROBLEMS = ("a name is required", "cannot read the name", "is not a variable name", "defined twice",
                  "expected an object")


@dataclass(frozen=True)
class LenientGraph:
    """The graph read from the readable rows; ``problems`` every problem found, in row order;
    ``ungraded`` the rows whose own value cannot be graded (their expression is unreadable)."""

    graph: Graph | None
    problems: tuple[str, ...]
    ungraded: frozenset[str]


def _name(raw: Any) -> str | None:
    try:
        return canonical_name(raw.get("name"), "") if isinstance(raw, Mapping) else None
    except TableError:
        return None


def _culprit(message: str, rows: list[Any]) -> int | None:
    """The index of the row a ``TableError`` message names (``row 3: ...`` or ``row v_1: ...``)."""
    m = _ROW.match(message)
    if m is None:
        return None
    where = m.group("where")
    named = [i for i, r in enumerate(rows) if _name(r) == where]
    if named:
        return named[-1] if "defined twice" in message else named[0]
    if where.isdigit() and 1 <= int(where) <= len(rows):
        return int(where) - 1
    return None


def read_graph_leniently(raw_rows: Any, q: AdTableQuestion) -> LenientGraph:
    """Read ``raw_rows`` setting problem rows aside; ``graph`` is None when nothing readable is left."""
    if isinstance(raw_rows, Mapping) and "rows" in raw_rows:
        raw_rows = raw_rows["rows"]
    if not isinstance(raw_rows, list):
        try:
            return LenientGraph(read_graph(raw_rows, q), (), frozenset())
        except TableError as exc:
            return LenientGraph(None, (str(exc),), frozenset())
    rows: list[Any] = list(raw_rows)
    problems: list[str] = []
    ungraded: set[str] = set()
    while rows:  # each pass sets one row aside, so this ends
        try:
            return LenientGraph(read_graph(rows, q), tuple(problems), frozenset(ungraded))
        except TableError as exc:
            message = str(exc)
            index = _culprit(message, rows)
            problems.append(message)
            if index is None:  # about the whole table (no operation rows, too many rows)
                break
            raw = rows[index]
            value, _note = read_value(raw.get("value")) if isinstance(raw, Mapping) else (None, "")
            name = _name(raw)
            if any(p in message for p in _NAME_PROBLEMS) or value is None or name is None:
                del rows[index]  # set aside: rows using it are reported in turn
            else:
                rows[index] = {"name": raw["name"], "expr": repr(value), "value": value}
                ungraded.add(name)
    return LenientGraph(None, tuple(problems), frozenset(ungraded))
