"""Computed feedback on an incorrect answer: what kind of wrong it is, and where.

Works on the sampled values of both sides (``NumericOutcome``): the ratio answer/expected is tested
for a sign error, a constant factor, and a missing or extra factor among candidate expressions
(each symbol of the context, its reciprocal, ``1 - p`` for defined ``p``); the difference for an
additive constant; ``try_simplify`` of the ratio gets a small budget for anything else. Factors are
written in the context's names (``p_i`` rather than ``1/(1+exp(-w*x_i))``).
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import numpy as np
import sympy

from grader.engine.prover_rational import nodes
from grader.engine.tape import Tape

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.context import GradingContext
    from grader.engine.equivalence_numeric import NumericOutcome
    from grader.engine.piecewise_compare import Region

_REL = 1e-8
_RATIO_BUDGET_S = 0.02  # a hint, not a verdict: a small share of the answer's time
_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.asin, sympy.acos, sympy.atan)


def fmt(value: float) -> str:
    """A number for a sentence: 4 significant digits, integers without a decimal point."""
    if value != value:
        return "undefined"
    if value in (float("inf"), float("-inf")):
        return "too large to compute" if value > 0 else "too large (negative) to compute"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def coordinate(value: float) -> str:
    """A coordinate exactly as it is (``1.73``, ``1``): a printed point must be the point checked
    (``witness_print`` rounds it first and re-verifies there)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def describe_point(point: Mapping[str, float]) -> str:
    """``x_i=1.234, w=-0.7, y_i=1``."""
    return ", ".join(f"{name}={coordinate(v)}" for name, v in point.items())


def reproducible_witness(outcome: "NumericOutcome", key: sympy.Expr, answer: sympy.Expr,
                         ctx: "GradingContext") -> "NumericOutcome":
    """``outcome`` with its witness rounded to short decimals where the answers still differ, and
    the values computed at exactly those decimals (unchanged when no rounding reproduces)."""
    if outcome.witness is None or outcome.witness_values is None:
        return outcome
    from grader.engine.witness_print import reproducible

    a, k = outcome.witness_values[:2]
    # a difference beyond the tolerance must stay beyond it; a tiny exact one need only stay
    visible = bool(abs(a - k) > ctx.tolerance * max(abs(a), abs(k)))
    shown = reproducible(key, answer, outcome.witness, ctx.domain, undefined=outcome.status == "undefined",
                         tolerance=ctx.tolerance if visible else 0.0)
    if shown is None:
        return outcome
    return replace(outcome, witness=shown.point,
                   witness_values=(shown.answer, shown.expected, shown.difference))


def simple_number(value: float, max_den: int = 12) -> str | None:
    """``2``, ``1/2``, ``-3/4`` when ``value`` is (very nearly) such a fraction, else None."""
    if not np.isfinite(value) or value == 0:
        return None
    frac = Fraction(value).limit_denominator(max_den)
    if abs(float(frac) - value) > _REL * max(1.0, abs(value)) or abs(frac.numerator) > 1000:
        return None
    return str(frac)


def readable(expr: sympy.Basic) -> bool:
    """Can ``expr`` be shown to a student? Not when it holds sympy's internals (``zoo``, ``nan``,
    ``oo``, ``I``, ``AccumBounds``), floats from rounding noise, or dummies."""
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity, sympy.I, sympy.AccumBounds):
        return False
    return not any(isinstance(a, (sympy.Float, sympy.Dummy)) for a in expr.atoms())


def witness_sentence(point: Mapping[str, float], answer: float, expected: float, diff: float | None = None) -> str:
    """"at x_i=1.2, w=-0.7 your answer is 0.31, expected 0.29"."""
    where = f"at {describe_point(point)} " if point else ""
    text = f"{where}your answer is {fmt(answer)}, expected {fmt(expected)}"
    if fmt(answer) == fmt(expected):
        gap = diff if diff is not None else answer - expected
        text += f" (they differ by {gap:.3g})"
    return text


def undefined_sentence(point: Mapping[str, float], expected: float) -> str:
    """The answer is undefined where the key is defined."""
    where = f" at {describe_point(point)}" if point else ""
    return f"your answer is undefined{where}, where the expected answer is {fmt(expected)}"


def _constant(values: np.ndarray) -> float | None:
    """The common value of ``values`` when they are all (relatively) equal, else None."""
    vals = values[np.isfinite(values)]
    if len(vals) < 2 and not (len(vals) == 1 and len(values) == 1):
        return None
    c = float(np.median(vals))
    if np.all(np.abs(vals - c) <= _REL * max(1.0, abs(c))):
        return c
    return None


def _candidates(ctx: "GradingContext", exprs: Iterable[sympy.Expr]) -> list[sympy.Expr]:
    names: dict[str, sympy.Symbol] = {}
    for e in exprs:
        for s in e.free_symbols:
            names.setdefault(s.name, s)
    for n in list(ctx.symbol_definitions) + list(ctx.domain):
        names.setdefault(n, sympy.Symbol(n, real=True))
    out: list[sympy.Expr] = []
    for n in sorted(names):
        s = names[n]
        out.append(s)
        if n in ctx.symbol_definitions:
            out.append(1 - s)
    return out


@lru_cache(maxsize=1024)
def _candidate_tape(ctx: "GradingContext", cand: sympy.Expr, names: tuple[str, ...]) -> Tape | None:
    """The tape of a candidate factor with the definitions substituted, once per question:
    candidates depend on the context and the key, not on the answer."""
    value = ctx.substitute(cand)
    if not {s.name for s in value.free_symbols} <= set(names):
        return None
    return Tape.from_expr(value, [sympy.Symbol(n, real=True) for n in names])


def _factor_hint(ratio: np.ndarray, points: Mapping[str, np.ndarray], ctx: "GradingContext",
                 cands: Sequence[sympy.Expr]) -> str | None:
    """Match answer/expected against each candidate and each product of two (``p_i*(1 - p_i)``:
    the whole dp/da factor of a chain rule), up to a simple constant."""
    names = tuple(points)
    values: list[tuple[sympy.Expr, np.ndarray]] = []
    for cand in cands:
        tape = _candidate_tape(ctx, cand, names)
        if tape is None:
            continue
        f = np.broadcast_to(np.asarray(tape.output(points), dtype=float), ratio.shape)
        if np.all(np.isfinite(f)):
            values.append((cand, f))
    tries = list(values) + [(c1 * c2, f1 * f2) for i, (c1, f1) in enumerate(values) for c2, f2 in values[i:]]
    for cand, f in tries:
        with np.errstate(all="ignore"):
            for kind, q in (("an extra", ratio / f), ("a missing", ratio * f)):
                c = _constant(q) if np.all(np.isfinite(q)) else None
                num = simple_number(c) if c is not None else None
                if num is None:
                    continue
                factor = cand if num == "1" else (sympy.Rational(Fraction(num)) * cand if kind == "an extra"
                                                 else cand / sympy.Rational(Fraction(num)))
                return f"your answer has {kind} factor of {sympy.sstr(factor)}"
    return None


def _simplified_ratio(key: sympy.Expr, answer: sympy.Expr, ctx: "GradingContext", deadline: float | None) -> str | None:
    budget = _RATIO_BUDGET_S if deadline is None else min(_RATIO_BUDGET_S, deadline - time.monotonic())
    if budget <= 0.005:
        return None
    from grader.engine.prover import try_simplify

    ratio = answer / key
    if ratio.has(*_TRIG) or nodes(ratio, cap=41) > 40:
        return None  # sympy's trigsimp can run for seconds past any budget: not for a hint
    try:
        r = try_simplify(ratio, budget_s=budget)
    except Exception:  # noqa: BLE001 - feedback is best effort, never a failure
        return None
    if r is None or r.is_number:
        return None
    r = ctx.abbreviate(r)  # p_i/(p_i - y_i) rather than the same in w and x_i
    if not readable(r):
        return None
    if nodes(r, cap=16) > 15 or any(abs(q.p) > 1000 or q.q > 1000 for q in r.atoms(sympy.Rational)):
        return None
    return f"your answer is ({sympy.sstr(r)}) times the expected answer"


def explain(outcome: "NumericOutcome", key: sympy.Expr, answer: sympy.Expr, *, ctx: "GradingContext",
            regions: Sequence["Region"], answer_as_written: sympy.Expr | None = None,
            deadline: float | None = None) -> str:
    """Feedback for an answer that differs from the key (``outcome.status == "different"``)."""
    hints: list[str] = []
    wrong = [r.text for r, ok in zip(regions, outcome.region_ok) if not ok] if len(regions) > 1 else []
    if wrong and len(wrong) < len(regions):
        hints.append("wrong when " + "; and when ".join(wrong))
    if not hints:
        hints.extend(_shape_hints(outcome, key, answer, ctx, deadline))
    if not hints and wrong:
        hints.append("wrong in every region (" + "; ".join(wrong) + ")")
    extra = sorted({s.name for s in (answer_as_written or answer).free_symbols}
                   - {s.name for s in key.free_symbols} - set(ctx.definitions) - set(ctx.domain))
    if extra:
        hints.append(f"your answer uses {', '.join(extra)}, which the expected answer does not")
    if outcome.witness is not None and outcome.witness_values is not None:
        a, e = outcome.witness_values[:2]
        diff = outcome.witness_values[2] if len(outcome.witness_values) > 2 else None
        hints.append(witness_sentence(outcome.witness, a, e, diff))
    text = "; ".join(hints) if hints else "not equal to the expected answer"
    return text[0].upper() + text[1:]


def _shape_hints(outcome: "NumericOutcome", key: sympy.Expr, answer: sympy.Expr,
                 ctx: "GradingContext", deadline: float | None) -> list[str]:
    k, a = outcome.key, outcome.answer
    if len(k) == 0:
        return []
    use = np.abs(k) > 1e-9 * float(np.max(np.abs(k)))  # relative: values may all be tiny
    with np.errstate(all="ignore"):
        ratio = np.where(use, a / np.where(use, k, 1.0), np.nan)
    c = _constant(ratio) if use.sum() >= min(2, len(k)) else None
    if c is not None and abs(c - 1) > _REL:
        if abs(c + 1) <= _REL:
            return ["sign error: your answer is the negative of the expected answer"]
        num = simple_number(c)
        if num is not None:
            return [f"off by a factor of {num} (your answer is {num} times the expected answer)"]
    d = _constant(a - k)
    if d is not None and abs(d) > 1e-9 * max(1.0, float(np.max(np.abs(k)))) and not key.is_number:
        num = simple_number(d) or fmt(d)
        return [f"off by an additive constant: your answer is the expected answer {'+' if d > 0 else '-'} "
                f"{num.lstrip('-')}"]
    if key.is_number or answer.is_number or use.sum() < 2:
        return []
    if np.allclose(ratio[use], 1.0, rtol=1e-9, atol=0):
        return []  # the difference is below double precision: only the witness can show it
    pts = {n: v[use] for n, v in outcome.points.items()}
    hint = _factor_hint(ratio[use], pts, ctx, _candidates(ctx, (key, answer)))
    if hint is None:
        hint = _simplified_ratio(key, answer, ctx, deadline)
    return [hint] if hint else []
