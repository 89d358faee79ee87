"""``lint``: every key of an assignment checked by machine before any student sees it.

* every key, definition and anticipated error parses (the loader does this);
* a derivative key (``derivative_of``, or a written key with ``check_against``) agrees with
  reverse-mode AD of its function (our tape's gradient) at random points of the domain; a
  disagreement is reported with a witness point, confirmed in high precision;
* a key uses only the ``allowed`` symbols; a limit's value is the limit it claims;
* an AD table key grades fully right over its own graph and agrees with the trace;
* every key graded as a student answer is correct.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import mpmath
import numpy as np
import sympy

from grader.assignments import ad_table
from grader.assignments.errors import AssignmentError, Problem
from grader.assignments.keys import (
    TEMPLATE_SYMBOL,
    KeyFieldError,
    grading_context,
    key_of,
    names_for,
    parse_field,
    symbol,
)
from grader.assignments.loader import assignment_files, load_assignment
from grader.assignments.model import (
    AdTableQuestion,
    AssignmentSpec,
    Derivative,
    LimitQuestion,
    Question,
)
from grader.engine.sampling import Sampler
from grader.engine.tape import Tape

POINTS = 64          # points drawn per derivative check
MIN_VALID = 8        # points where both sides must be defined
RTOL, ATOL = 1e-6, 1e-9

Linter = Callable[[AssignmentSpec, Question, int], list[tuple[str, str]]]


def lint_paths(paths: Iterable[str | Path], *, seed: int = 0,
               variants: int | None = None) -> tuple[list[Path], list[Problem]]:
    """(files checked, problems) for files and directories of assignment files; ``variants``:
    how many variants of each parameterised question to check (None: the default)."""
    files = assignment_files(list(paths))
    problems: list[Problem] = []
    for f in files:
        if not f.exists():
            problems.append(Problem(str(f), None, None, "no such file"))
            continue
        try:
            problems.extend(lint_assignment(load_assignment(f), seed=seed, variants=variants))
        except AssignmentError as exc:
            problems.extend(exc.problems)
    return files, problems


def lint_assignment(assignment: AssignmentSpec, *, seed: int = 0, variants: int | None = None) -> list[Problem]:
    """Problems with the keys of a loaded assignment (empty when clean); a parameterised one is
    checked at its reference variant, then question by question at ``variants`` more."""
    from grader.assignments.variants.lint import DEFAULT_VARIANTS, lint_variants

    problems: list[Problem] = []
    for q in assignment.questions:
        problems.extend(Problem(assignment.source, q.id, field, msg)
                        for field, msg in _question_problems(assignment, q, seed))
    if assignment.variants is not None:
        bad = {p.question for p in problems}
        more = lint_variants(assignment, lambda a, q: _question_problems(a, q, seed), seed=seed,
                             limit=DEFAULT_VARIANTS if variants is None else variants)
        problems.extend(p for p in more if p.question not in bad)
    return problems


def _question_problems(assignment: AssignmentSpec, q: Question, seed: int) -> list[tuple[str, str]]:
    try:
        return check_key(assignment, q, seed) or _self_grade(assignment, q, seed)
    except KeyFieldError as exc:
        return [(exc.field, exc.message)]


def check_key(assignment: AssignmentSpec, q: Question, seed: int) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with one question's key."""
    if isinstance(q, AdTableQuestion):
        return ad_table.lint_table(q, seed)
    key = key_of(q)
    if key is None:
        return []
    out = []
    if q.context.allowed is not None:
        extra = sorted({s.name for s in key.expr.free_symbols} - set(q.context.allowed))
        if extra:
            out.append(("allowed", f"the key uses {', '.join(extra)}, outside allowed "
                                   f"[{', '.join(q.context.allowed)}]"))
    if key.reference is not None:
        field = "derivative_of" if getattr(q, "derivative_of", None) is not None else "check_against"
        msg = agrees_with_ad(key.expr, key.reference, q, seed)
        if msg:
            out.append((field, msg))
    if isinstance(q, LimitQuestion) and q.limit_of is not None:
        msg = _limit_mismatch(q, key.expr)
        if msg:
            out.append(("value", msg))
    return out


def agrees_with_ad(key: sympy.Expr, d: Derivative, q: Question, seed: int) -> str | None:
    """None when ``key`` equals d F/d wrt (by reverse-mode AD) at random points; else a message."""
    spec = q.context
    ctx = grading_context(spec, frozenset({d.wrt}))
    f = ctx.substitute(parse_field(d.function, names_for(spec, [d.wrt]), "function"))
    k = ctx.substitute(key)
    template = None
    if d.template:
        template = ctx.substitute(parse_field(d.template, names_for(spec, [d.wrt, TEMPLATE_SYMBOL]), "template"))
    syms = sorted(f.free_symbols | k.free_symbols | (template.free_symbols if template is not None else set())
                  | {symbol(d.wrt)}, key=lambda s: s.name)
    syms = [s for s in syms if s.name != TEMPLATE_SYMBOL]
    names = [s.name for s in syms]
    pts = Sampler(names, dict(grading_context(spec).domain), np.random.default_rng(seed)).draw(POINTS)
    f_tape, k_tape = Tape.from_expr(f, syms), Tape.from_expr(k, syms)
    t_tape = None if template is None else Tape.from_expr(template, [*syms, symbol(TEMPLATE_SYMBOL)])

    def reference(values: dict, backend: str = "numpy") -> object:
        grad = f_tape.gradient(values, backend=backend, prec=200)[d.wrt]
        if t_tape is None:
            return grad
        return t_tape.output({**values, TEMPLATE_SYMBOL: grad}, backend=backend, prec=200)

    with np.errstate(all="ignore"):
        ref = np.broadcast_to(np.asarray(reference(pts), dtype=float), (POINTS,))
        got = np.broadcast_to(np.asarray(k_tape.output(pts), dtype=float), (POINTS,))
    valid = np.isfinite(ref) & np.isfinite(got)
    if valid.sum() < MIN_VALID:
        return (f"could not find {MIN_VALID} points of the domain where both the key and the derivative "
                f"are defined (found {int(valid.sum())}); check the domain")
    for i in np.flatnonzero(valid & ~np.isclose(got, ref, rtol=RTOL, atol=ATOL)):
        point = {n: float(pts[n][i]) for n in names}
        r_hi = reference(point, "mpmath")
        k_hi = k_tape.output(point, backend="mpmath", prec=200)
        if abs(k_hi - r_hi) > RTOL * abs(r_hi) + ATOL:
            at = ", ".join(f"{n}={v:.6g}" for n, v in point.items())
            what = f"d({d.function})/d{d.wrt}" + (f" in {d.template}" if d.template else "")
            return (f"the key differs from {what} by reverse-mode AD at {at}: "
                    f"key = {mpmath.nstr(k_hi, 8)}, AD = {mpmath.nstr(r_hi, 8)}")
    return None


def _limit_mismatch(q: LimitQuestion, value: sympy.Expr) -> str | None:
    lo = q.limit_of
    assert lo is not None
    names = names_for(q.context, [lo.variable])
    expr = grading_context(q.context, frozenset({lo.variable})).substitute(
        parse_field(lo.expression, names, "limit_of.expression"))
    to = parse_field(lo.to, names, "limit_of.to")
    actual = sympy.limit(expr, symbol(lo.variable), to)
    if actual != value and sympy.simplify(actual - value) != 0:  # oo - oo is nan, not 0
        return f"the value {value} is not lim_{{{lo.variable} -> {to}}} {lo.expression} = {actual}"
    return None


def _self_grade(assignment: AssignmentSpec, q: Question, seed: int) -> list[tuple[str, str]]:
    """The key, given as an answer, must grade correct (e.g. it parses as students write)."""
    from grader.assignments.grading import Env, grade_question, key_as_answer
    from grader.assignments.results import QuestionVerdict

    answer = key_as_answer(q)
    if answer is None:
        return []
    answers = {q.id: answer}
    if isinstance(q, AdTableQuestion) and q.graph_from:
        answers[q.graph_from] = key_as_answer(assignment.question(q.graph_from))
    g = grade_question(q, answer, Env(assignment, answers, seed))
    if g.verdict is QuestionVerdict.CORRECT or (g.verdict is QuestionVerdict.NEEDS_REVIEW
                                                and q.type_name == "free_text"):
        return []
    return [("key", f"the key graded as an answer is {g.verdict.value}: {g.feedback}")]


__all__ = ["agrees_with_ad", "check_key", "lint_assignment", "lint_paths"]
