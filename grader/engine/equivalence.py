"""Is an answer equal to the key? Numeric comparison on the domain, then a symbolic proof.

``compare`` takes already parsed sympy expressions (the key and the answer as written), substitutes
the context's definitions, compares numerically with our tape (``equivalence_numeric``), region by
region for a piecewise key, and, when they agree, asks the prover within the symbolic budget.

Verdicts:
  correct    numeric agreement; method ``symbolic`` when proven, else ``numeric:N points``.
  incorrect  a witness point where they differ (confirmed in 200-bit arithmetic, or in more bits
             when the prover has shown a difference too small for 200), or the answer is undefined
             on part of the domain where the key is defined; feedback says which kind. A verified
             counterexample always wins over agreement elsewhere.
  invalid    with ``method="undetermined"`` and ``extra["undetermined"] = True`` when the comparison
             could not be made because of the key or the context (the key undefined almost
             everywhere on the domain, a definition that cannot be evaluated). Neither "correct"
             nor "incorrect" would be true; "invalid" is the verdict that costs the student no
             attempt, and the flag lets assignment grading route it to an instructor
             (needs_review). An answer that cannot be evaluated for its own reasons is "invalid"
             with method ``parse``.

Domain: the context's, per symbol; a symbol without one ranges over all the reals (sampled near 0
and at log-spaced magnitudes up to 10^3, see ``sampling``); points where the key is undefined are
left out. Points where doubles saturate or overflow are decided in high precision
(``numeric_recheck``), and a proven difference counts once a point shows it (``disproof``).

Both sides are judged as written: where sympy's construction simplified a partial operation away
(``e^{ln x}`` built as ``x``), the parser's guards (``grader.engine.definedness``) make the
numeric comparison treat the answer as undefined where the written form is (``x < 0``). An answer
undefined on part of the domain where the key is defined is incorrect; a removable singularity of
a continuous symbol (``x^2/x`` at 0, a set of measure zero) is not, one of a discrete symbol is.
"""

from __future__ import annotations

import math
import threading
import time
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy
from cachetools import LRUCache

from grader.engine.context import Discrete, GradingContext
from grader.engine.definedness import Definedness, Guard, condition, guarded
from grader.engine.errors import ContextError, EngineError, ParseError
from grader.engine.limits import DEFAULT_LIMITS, Limits
from grader.engine.results import CheckResult, RegionResult, Verdict
from grader.engine.tape_sympy import free_symbols

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.equivalence_numeric import NumericComparison
    from grader.engine.numeric_values import NumericOutcome


def undetermined(message: str) -> CheckResult:
    """The comparison could not be made (the key's or the context's fault)."""
    return CheckResult(Verdict.INVALID, feedback=message, method="undetermined",
                       extra={"undetermined": True})


def invalid_answer(message: str, column: int | None = None) -> CheckResult:
    """The answer cannot be read or evaluated; the feedback says where when the column is known."""
    feedback = message if column is None else f"{message} at column {column}"
    return CheckResult(Verdict.INVALID, feedback=feedback, method="parse", column=column)


def compare(expected_expr: sympy.Expr, answer_expr: sympy.Expr, *, context: GradingContext | None = None,
            inexact: bool = False, seed: int = 0, deadline: float | None = None,
            limits: Limits = DEFAULT_LIMITS, key_guards: tuple[Guard, ...] = (),
            answer_guards: tuple[Guard, ...] = ()) -> CheckResult:
    """Compare two parsed expressions on the context's domain (see the module docstring).

    >>> x = sympy.Symbol("x", real=True)
    >>> compare(x**2 / x, x).verdict.value
    'correct'
    """
    ctx = context or GradingContext()
    if not isinstance(expected_expr, sympy.Expr):
        return undetermined("could not compare: the expected answer is not a value")
    if not isinstance(answer_expr, sympy.Expr):
        return invalid_answer("your answer is a condition, not a value")
    if deadline is None:
        deadline = time.monotonic() + limits.answer_time_s
    discrete = frozenset(n for n, d in ctx.domain.items() if isinstance(d, Discrete))
    defined = frozenset(ctx.symbol_definitions)
    try:
        key, key_def, key_t = _written(expected_expr, key_guards, ctx, discrete, defined)
    except (ContextError, ParseError) as exc:
        return undetermined(f"could not compare: {exc}")
    try:
        answer = ctx.substitute(answer_expr)
        answer_def = condition(answer_guards, ctx.substitute, discrete, defined)
        answer_t = guarded(answer, answer_def.cond)
    except ParseError as exc:
        return invalid_answer(exc.message, exc.column)
    from grader.engine.infinite import compare_infinite

    exact = compare_infinite(key, answer)  # a tape holding inf cannot tell oo from -oo
    if exact is not None:
        return exact
    from grader.engine.growth_check import explosion

    too_large = explosion(key, answer, ctx.domain, limits.max_magnitude)  # before any evaluation
    if too_large is not None:
        return invalid_answer(too_large)
    from grader.engine.piecewise_compare import regions as key_regions

    regions = key_regions(expected_expr, ctx.substitute)
    tolerant = bool(inexact or _is_number(key) or _is_number(answer))
    edges = (*key_def.edges, *answer_def.edges)
    nc = _numeric(key_t, answer_t, ctx, ctx.domain, regions, tolerant, seed, deadline, inexact, (key, answer), edges)
    if isinstance(nc, CheckResult):
        return nc
    outcome = nc.run(defer=not inexact)
    proof, case = _prove(key, answer, ctx, limits, deadline) if outcome.status == "equal" and not inexact \
        else (None, {})
    if proof is not True:  # the high-precision re-checks a proof would have made moot
        outcome = nc.finish(outcome)
    region_results = tuple(RegionResult(r.text, ok, w) for r, ok, w in
                           zip(regions, outcome.region_ok, outcome.region_witness))
    method = f"numeric:{outcome.n_points} points"
    if outcome.status == "undetermined":
        return undetermined(outcome.message)
    if outcome.status in ("undefined", "different"):
        return _incorrect(outcome, key, answer, answer_expr, ctx, regions, region_results, method, deadline)
    # exact input is proven when possible, plain numbers included (2e vs 2*E); a number typed
    # with decimals is judged by the tolerance alone
    if not inexact:
        if proof is True:
            return CheckResult(Verdict.CORRECT, feedback="Correct.", method="symbolic", regions=region_results)
        if proof is False and not tolerant:
            # a difference the sampled points could not resolve (below 200-bit noise, or on a
            # discrete case): it counts once a point shows it in enough bits
            from grader.engine.disproof import verify_difference

            shown = verify_difference(key_t, answer_t, outcome, case, deadline)
            if shown is not None:
                return _incorrect(shown, key, answer, answer_expr, ctx, regions, region_results, method, deadline)
    return CheckResult(Verdict.CORRECT, feedback="Correct.", method=method, regions=region_results,
                       extra={"points": outcome.n_points})


_WRITTEN: "LRUCache[tuple[Any, ...], tuple[sympy.Expr, Definedness, sympy.Expr]]" = LRUCache(maxsize=512)
_WRITTEN_LOCK = threading.Lock()


def _written(expr: sympy.Expr, guards: tuple[Guard, ...], ctx: GradingContext, discrete: frozenset[str],
             defined: frozenset[str]) -> tuple[sympy.Expr, Definedness, sympy.Expr]:
    """(substituted, where defined as written, guarded) for the key: the same for every answer
    to a question, so made once per (key, guards, context)."""
    memo = (expr, tuple(guards), ctx.fingerprint())
    with _WRITTEN_LOCK:
        hit = _WRITTEN.get(memo)
    if hit is not None:
        return hit
    sub = ctx.substitute(expr)
    where = condition(guards, ctx.substitute, discrete, defined)
    out = (sub, where, guarded(sub, where.cond))
    with _WRITTEN_LOCK:
        _WRITTEN[memo] = out
    return out


def _is_number(expr: Any) -> bool:
    return isinstance(expr, sympy.Basic) and not free_symbols(expr) and not expr.has(sympy.Piecewise)


def _numeric(key: sympy.Expr, answer: sympy.Expr, ctx: GradingContext, domain: Any, regions: list,
             tolerant: bool, seed: int, deadline: float, inexact: bool = False,
             bounds: tuple = (), edges: tuple = ()) -> "NumericComparison | CheckResult":
    from grader.engine.equivalence_numeric import NumericComparison
    from grader.engine.tape import Tape

    try:
        Tape.from_expr(key, sorted(free_symbols(key), key=lambda s: s.name))
    except EngineError as exc:
        return undetermined(f"could not compare: the expected answer cannot be evaluated ({exc})")
    try:
        nc = NumericComparison(key, answer, regions=regions, domain=domain, tolerance=ctx.tolerance,
                               tolerant=tolerant, rng=np.random.default_rng(seed), deadline=deadline,
                               inexact=inexact, boundary_exprs=bounds or None, edge_exprs=edges)
    except EngineError as exc:
        return invalid_answer(f"your answer cannot be evaluated: {exc}")
    return nc


def _incorrect(outcome: "NumericOutcome", key: sympy.Expr, answer: sympy.Expr, written: sympy.Expr,
               ctx: GradingContext, regions: list, region_results: tuple, method: str,
               deadline: float) -> CheckResult:
    from grader.engine import feedback

    outcome = feedback.reproducible_witness(outcome, key, answer, ctx)
    extra: dict[str, Any] = {"points": outcome.n_points}
    if outcome.status == "undefined":
        text = feedback.undefined_sentence(outcome.witness or {}, outcome.witness_values[1])
        text = text[0].upper() + text[1:]
    else:
        own = feedback.student_witness(outcome, key, written, ctx)
        text = feedback.explain(outcome, key, answer, ctx=ctx, regions=regions,
                                answer_as_written=written, deadline=deadline, own=own)
        if own is not None:   # the point as printed, in the answer's symbols (the pages say no more)
            extra["witness_symbols"] = {**own.point, **own.hidden}
    return CheckResult(Verdict.INCORRECT, feedback=text, method=method, witness=outcome.witness,
                       regions=region_results, extra=extra)


def _discrete_cases(exprs: tuple[sympy.Expr, ...], ctx: GradingContext) -> list[dict]:
    """Substitutions for every combination of the discrete symbols (at most 4), else [{}]."""
    used = set().union(*(free_symbols(e) for e in exprs))
    discrete = [(s, dom) for s in sorted(used, key=lambda s: s.name)
                if isinstance(dom := ctx.domain.get(s.name), Discrete)]
    if math.prod(len(dom.values) for _, dom in discrete) > 4:
        return [{}]  # counted before any combination is built (they can run to thousands)
    cases: list[dict] = [{}]
    for s, dom in discrete:
        cases = [{**c, s: _exact(v)} for c in cases for v in dom.values]
    return cases


def _exact(v: int | float) -> sympy.Rational:
    f = Fraction(repr(v)) if isinstance(v, float) else Fraction(v)
    return sympy.Rational(f.numerator, f.denominator)


def _prove(key: sympy.Expr, answer: sympy.Expr, ctx: GradingContext, limits: Limits,
           deadline: float) -> tuple[bool | None, dict]:
    """(prove_equal within the budget, the discrete case a disproof holds in); discrete symbols
    are substituted value by value."""
    if key == answer or sympy.Add(key, -answer) == 0:
        return True, {}  # the same canonical form: no need to load the prover (a start-up cost)
    if key.has(sympy.Piecewise) or answer.has(sympy.Piecewise):
        # region by region the numeric comparison is the judge; sympy's piecewise folding and
        # relational rewriting cost ten times the rest of the check and rarely prove anything
        return None, {}
    from grader.engine.prover import prove_equal

    cases = _discrete_cases((key, answer), ctx)
    stop = min(deadline, time.monotonic() + limits.symbolic_time_s)
    results = []
    for case in cases:
        budget = stop - time.monotonic()
        if budget <= 0.005:
            return None, {}
        try:
            results.append(prove_equal(key.xreplace(case), answer.xreplace(case), budget_s=budget))
        except Exception:  # noqa: BLE001 - the prover is a confirmation; failing it is "undecided"
            return None, {}
        if results[-1] is not True:
            return results[-1], {s.name: float(v) for s, v in case.items()}
    return True, {}
