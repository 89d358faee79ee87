"""Grading and linting the two parts of an AD-table question (the graph itself: ``ad_graph``).

Forward part: one cell for "the graph computes the function" plus one per operation row's
value. Adjoint part: one cell per row's adjoint. The points are shared equally among the cells.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from grader.assignments.ad_graph import (
    Graph,
    TableError,
    close,
    composed,
    fmt,
    function_expr,
    local,
    point_of,
    read_adjoints,
    read_graph,
    rows_json,
    tolerance,
    true_values,
)
from grader.assignments.ad_reference import true_adjoints
from grader.assignments.keys import grading_context
from grader.assignments.model import AdTableQuestion
from grader.assignments.results import Cell, QuestionGrade, QuestionVerdict
from grader.engine.check import compare
from grader.engine.feedback import describe_point, readable
from grader.engine.feedback_factors import math_text
from grader.engine.results import Verdict
from grader.engine.trace import Trace, build_trace

METHOD = "ad-table: reverse mode over your graph"


def graph_cell(graph: Graph, q: AdTableQuestion, share: float, seed: int) -> Cell:
    """Does the student's graph compute the question's function?"""
    f = function_expr(q)
    result = compare(f, composed(graph), context=grading_context(q.context), inexact=False, seed=seed)
    if result.verdict is Verdict.CORRECT:
        return Cell("graph", True, share, share)
    undefined = [r for r in graph.rows if r.expr is not None and not readable(r.expr)]
    if undefined or not readable(composed(graph)):
        which = f"row {undefined[0].name} (`{undefined[0].text}`)" if undefined else "it"
        return Cell("graph", False, 0.0, share, f"Your graph does not compute {math_text(f)}: {which} is undefined "
                                                f"(a division by zero, or not a real number).")
    where = ""
    if result.witness:
        where = f" (at {describe_point(result.witness)})"
    return Cell("graph", False, 0.0, share,
                f"Your graph computes {math_text(composed(graph))}, not {math_text(f)}{where}.")


def grade_cell(name: str, given: float | None, exact: float, carried: float, tol: float,
               share: float, what: str, note: str = "", *, reveal: bool = False) -> Cell:
    """Credit for one value: exact on the student's graph, or carried forward from their entries.
    The right value is named only with ``reveal`` (the lint, for instructors): a student's
    feedback must not give the key away while attempts remain."""
    if given is None:
        return Cell(name, False, 0.0, share, f"{what} of {name}: {note}." if note else f"{what} of {name} is missing.")
    if not math.isfinite(exact):
        return Cell(name, False, 0.0, share, f"{what} of {name} is undefined on your graph, so {fmt(given)} "
                                             f"cannot be right.")
    if close(given, exact, tol):
        return Cell(name, True, share, share)
    if close(given, carried, tol):
        return Cell(name, True, share, share,
                    f"{what} of {name} = {fmt(given)} is right given your earlier entries"
                    + (f" (it should be {fmt(exact)})" if reveal else " but not on the right values")
                    + ": credit carried forward.", carried=True)
    expected = f" (expected {fmt(exact)})" if reveal else ""
    return Cell(name, False, 0.0, share, f"{what} of {name} = {fmt(given)} is not right{expected}.")


def forward_cells(graph: Graph, q: AdTableQuestion, share: float, *, reveal: bool = False) -> list[Cell]:
    """One cell per operation row's value."""
    exact = true_values(graph, q)
    student = {r.name: (r.given if r.given is not None else exact[r.name]) for r in graph.rows}
    cells = []
    for r in graph.rows:
        if r.input is None:
            carried = local(r, student)[0]
            cells.append(grade_cell(r.name, r.given, exact[r.name], carried, tolerance(q), share, "The value", r.note,
                                    reveal=reveal))
    return cells


def adjoint_cells(graph: Graph, given: Mapping[str, float | None], q: AdTableQuestion, share: float,
                  notes: Mapping[str, str] | None = None, *, reveal: bool = False) -> list[Cell]:
    """One cell per row's adjoint: reverse sweep over the student's graph, exact and carried."""
    exact_vals = true_values(graph, q)
    student_vals = {r.name: (r.given if r.given is not None else exact_vals[r.name]) for r in graph.rows}
    ops = [r for r in graph.rows if r.input is None]
    exact: dict[str, float] = {r.name: 0.0 for r in graph.rows}
    carried: dict[str, float] = {r.name: 0.0 for r in graph.rows}
    exact[graph.output] = carried[graph.output] = 1.0
    for r in reversed(ops):
        _, d_exact = local(r, exact_vals)
        _, d_student = local(r, student_vals)
        mine = given.get(r.name)
        upstream = mine if mine is not None else exact[r.name]
        for a in d_exact:
            exact[a] += exact[r.name] * d_exact[a]
            carried[a] += upstream * d_student[a]
    notes = notes or {}
    return [grade_cell(r.name, given.get(r.name), exact[r.name], carried[r.name], tolerance(q), share,
                       "The adjoint", notes.get(r.name, ""), reveal=reveal) for r in graph.rows]


def judged_on_the_function(cells: list[Cell], given: Mapping[str, float | None],
                           true: Mapping[str, float | None], tol: float) -> list[Cell]:
    """Cells over a graph that computes another function, judged against the function's own
    adjoints (``ad_reference``): a cell right only for the student's graph keeps its credit but is
    carried forward, not right; a value right for the function is right whatever the graph says."""
    out = []
    for c in cells:
        mine, want = given.get(c.name), true.get(c.name)
        if mine is None:
            out.append(c)
        elif want is not None and close(mine, want, tol):
            out.append(Cell(c.name, True, c.max_points, c.max_points))
        elif c.correct:
            there = ("but not for the function" if want is not None
                     else "and it matches no part of the function, so it can be checked only there")
            out.append(Cell(c.name, True, c.points, c.max_points,
                            f"The adjoint of {c.name} = {fmt(mine)} is right for your graph, {there}: "
                            f"credit carried forward.", carried=True))
        else:
            out.append(c)
    return out


def from_cells(q: AdTableQuestion, cells: list[Cell], intro: str = "", *, sound: bool = True) -> QuestionGrade:
    """A question grade from its cells: correct only when every cell is, with no credit carried
    forward and (``sound``) over a graph that computes the question's function."""
    points = sum(c.points for c in cells)
    wrong = [c for c in cells if not c.correct]
    carried = [c for c in cells if c.carried]
    notes = [c.note for c in cells if c.note]
    # Carried-forward cells get their credit, but the table is not "correct" with them.
    verdict = QuestionVerdict.CORRECT if sound and not wrong and not carried else QuestionVerdict.INCORRECT
    exact = len(cells) - len(wrong) - len(carried)
    head = f"{exact} of {len(cells)} cells right" + (f", {len(carried)} credited by error carried forward."
                                                      if carried else ".")
    if verdict is QuestionVerdict.CORRECT:
        head = "All cells right."
    feedback = " ".join(x for x in [intro, head, *notes] if x)
    return QuestionGrade(q.id, verdict, round(points, 6), q.points, feedback, f"{METHOD}, {len(cells)} cells",
                         tuple(cells))


def invalid(q: AdTableQuestion, message: str) -> QuestionGrade:
    return QuestionGrade(q.id, QuestionVerdict.INVALID, 0.0, q.points, message, "parse")


def grade_forward(q: AdTableQuestion, answer: Any, seed: int) -> QuestionGrade:
    """The forward part: the graph computes f, and every row's value. Unreadable cells are all
    reported, and the readable ones still graded (``ad_lenient``)."""
    from grader.assignments.ad_lenient import read_graph_leniently

    read = read_graph_leniently(answer, q)
    graph = read.graph
    gradable = graph is not None and any(r.input is None and r.name not in read.ungraded and r.given is not None
                                         for r in graph.rows)
    if graph is None or (read.problems and not gradable):  # nothing left to grade: no attempt
        return invalid(q, "cannot read your table: " + "; ".join(read.problems))
    try:
        n = 1 + sum(1 for r in graph.rows if r.input is None)
        share = q.points / n
        if read.problems:
            first = Cell("graph", False, 0.0, share, "Your graph cannot be checked: " + "; ".join(read.problems) + ".")
        else:
            first = graph_cell(graph, q, share, seed)
        cells = [c if c.name not in read.ungraded else
                 Cell(c.name, False, 0.0, share, f"The value of {c.name} is not graded: its expression cannot be read.")
                 for c in forward_cells(graph, q, share)]
        return from_cells(q, [first, *cells])
    except TableError as exc:
        return invalid(q, f"cannot read your table: {exc}")


def grade_adjoint(q: AdTableQuestion, answer: Any, answers: Mapping[str, Any], seed: int) -> QuestionGrade:
    """The adjoint part, over the student's graph (their rows here, or in ``graph_from``)."""
    try:
        adjoints, rows, notes = read_adjoints(answer)
    except TableError as exc:
        return invalid(q, f"cannot read your adjoints: {exc}")
    intro, on_reference = "", False
    if rows is None and q.graph_from is not None:
        rows = answers.get(q.graph_from)
    try:
        if rows is None:
            raise TableError("no graph given")
        graph = read_graph(rows, q)
    except TableError as exc:
        if not q.key_rows:
            return invalid(q, f"the adjoints need your graph, which cannot be read: {exc}")
        graph, on_reference = read_graph(rows_json(q.key_rows), q), True
        from grader.assignments.ad_lenient import read_graph_leniently

        why = "; ".join(read_graph_leniently(rows, q).problems) if rows is not None else ""
        intro = f"Your graph cannot be read ({why or exc}); adjoints checked on the reference graph."
    by_input = {r.input: r.name for r in graph.rows if r.input is not None and r.input != r.name}
    for x, row_name in by_input.items():   # \bar{x} for the input x's row
        if x in adjoints and row_name not in adjoints:
            adjoints[row_name] = adjoints.pop(x)
            if x in notes:
                notes[row_name] = notes.pop(x)
    unknown = sorted(set(adjoints) - {r.name for r in graph.rows})
    if unknown:
        intro += f" Not in your graph (ignored): {', '.join(unknown)}."
    try:
        share = q.points / len(graph.rows)
        cells = adjoint_cells(graph, adjoints, q, share, notes)
        checked = None if on_reference else graph_cell(graph, q, share, seed)
        sound = checked is None or checked.correct
        if checked is not None and not checked.correct:
            true = true_adjoints(graph, function_expr(q), point_of(q), true_values(graph, q))
            cells = judged_on_the_function(cells, adjoints, true, tolerance(q))
            intro = (f"{checked.note} Adjoints right only for your graph get credit carried forward but are "
                     f"not counted right. {intro}")
        return from_cells(q, cells, intro.strip(), sound=sound)
    except TableError as exc:
        return invalid(q, str(exc))


def key_answer(q: AdTableQuestion) -> Any:
    """The key table as an answer (for self-grading the catalog)."""
    if q.part == "forward":
        return rows_json(q.key_rows)
    return {"adjoints": dict(q.key_adjoints), "rows": rows_json(q.key_rows)}


def lint_table(q: AdTableQuestion, seed: int = 0) -> list[tuple[str, str]]:
    """(field, message) problems: the key table must grade fully right over its own graph and
    agree with ``grader trace`` of the function (row by row when it is the trace's graph)."""
    problems: list[tuple[str, str]] = []
    point = dict(q.point)
    trace = build_trace(function_expr(q), [(x, point[x]) for x in q.inputs])
    values = {r.name: float(r.value) for r in trace.forward}
    out = values[trace.output]
    if not math.isfinite(out):
        return [("point", f"the function is undefined at {point}")]
    if not q.key_rows:
        return problems
    graph = read_graph(rows_json(q.key_rows), q)
    tol = tolerance(q)
    cells = [graph_cell(graph, q, 1.0, seed), *forward_cells(graph, q, 1.0, reveal=True)]
    problems += [("key.rows", c.note) for c in cells if not c.correct or c.carried]
    same = _same_graph(graph, trace)
    given_out = graph.row(graph.output).given
    if given_out is not None and not close(given_out, out, tol):
        problems.append(("key.rows", f"output {graph.output} = {fmt(given_out)} but the trace gives {fmt(out)}"))
    if same:
        for r in graph.rows:
            if r.given is not None and r.name != graph.output and not close(r.given, values[r.name], tol):
                problems.append(("key.rows", f"{r.name} = {fmt(r.given)} but the trace gives {fmt(values[r.name])}"))
    if q.key_adjoints:
        adj, _, _ = read_adjoints(dict(q.key_adjoints))
        problems += [("key.adjoints", c.note) for c in adjoint_cells(graph, adj, q, 1.0, reveal=True)
                     if not c.correct or c.carried]
        trace_adj = {r.name: float(trace.adjoints[r.name]) for r in trace.forward if r.name in trace.adjoints}
        by_input = {r.symbol: r.name for r in trace.forward if r.symbol is not None}
        for r in graph.rows:
            name = by_input.get(r.input, r.name) if r.input is not None else (r.name if same else None)
            mine = adj.get(r.name)
            if name is None or mine is None or name not in trace_adj or close(mine, trace_adj[name], tol):
                continue
            label = f"{r.name} ({r.input})" if r.input else r.name
            problems.append(("key.adjoints", f"adjoint of {label} = {fmt(mine)} but the trace gives "
                                             f"{fmt(trace_adj[name])}"))
    return problems


def _same_graph(graph: Graph, trace: Trace) -> bool:
    """Is the key's graph the trace's (same row names, each over the same arguments)?"""
    rows = {r.name: r for r in trace.forward if r.op != "const"}
    if len(rows) != len(graph.rows):
        return False
    for r in graph.rows:
        t = rows.get(r.name)
        if t is None or (r.input is not None) != (t.op == "input"):
            return False
        if r.expr is not None and {s.name for s in r.expr.free_symbols} != set(t.args):
            return False
    return True
