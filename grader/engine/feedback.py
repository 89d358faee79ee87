"""Computed feedback on an incorrect answer: what kind of wrong it is, and where.

Works on the sampled values of both sides (``NumericOutcome``): the ratio answer/expected is tested
for a sign error, a constant factor, and a missing or extra factor among candidate expressions
(``feedback_factors``); the difference for an additive constant; ``try_simplify`` of the ratio gets
a small budget for anything else. Whatever is read off doubles is verified in 200-bit arithmetic
before it is said; a factor is named only when it is a constant or a power of one symbol, written
in the context's names (``p_i`` rather than ``1/(1+exp(-w*x_i))``); sympy's internals (``zoo``,
``nan``, ``I``) never reach a sentence. The witness point is printed short and re-verified at the
printed values (``witness_print``).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np
import sympy

from grader.engine import feedback_factors as factors
from grader.engine.numeric_values import median

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.context import GradingContext
    from grader.engine.numeric_values import NumericOutcome
    from grader.engine.piecewise_compare import Region
    from grader.engine.witness_symbols import StudentWitness

_REL = 1e-8


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


def student_witness(outcome: "NumericOutcome", key: sympy.Expr, written: sympy.Expr | None,
                    ctx: "GradingContext") -> "StudentWitness | None":
    """The (printed) witness in the symbols the answer is written in, re-verified there; None when
    it uses no defined symbol or no rounding of their values still differs (``witness_symbols``)."""
    if written is None or outcome.witness is None or outcome.witness_values is None:
        return None
    from grader.engine.witness_symbols import in_student_symbols

    a, k = outcome.witness_values[:2]
    visible = bool(abs(a - k) > ctx.tolerance * max(abs(a), abs(k)))
    return in_student_symbols(written, key, outcome.witness, ctx, tolerance=ctx.tolerance if visible else 0.0)


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


def witness_sentence(point: Mapping[str, float], answer: float, expected: float, diff: float | None = None,
                     hidden: Mapping[str, float] | None = None) -> str:
    """"at x_i=1.2, w=-0.7 your answer is 0.31, expected 0.29"; ``hidden``, the sampled symbols
    an answer in its own symbols does not name, in parentheses: "at p_i=0.35, y_i=1 (w=0.59) ..."."""
    where = f"at {describe_point(point)} " if point else ""
    if hidden:
        where += f"({describe_point(hidden)}) "
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
    c = median(vals)
    if np.all(np.abs(vals - c) <= _REL * max(1.0, abs(c))):
        return c
    return None


def explain(outcome: "NumericOutcome", key: sympy.Expr, answer: sympy.Expr, *, ctx: "GradingContext",
            regions: Sequence["Region"], answer_as_written: sympy.Expr | None = None,
            deadline: float | None = None, own: "StudentWitness | None" = None) -> str:
    """Feedback for an answer that differs from the key (``outcome.status == "different"``);
    ``own``, the witness in the answer's own symbols (``student_witness``), is said instead of
    the sampled point when given."""
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
        if own is not None:
            hints.append(witness_sentence(own.point, own.answer, own.expected, own.difference, own.hidden))
        else:
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
    pts = {n: v[use] for n, v in outcome.points.items()}
    c = _constant(ratio) if use.sum() >= min(2, len(k)) else None
    if c is not None and abs(c - 1) > _REL:
        num = simple_number(c)
        # read off doubles: said only once it holds in 200-bit arithmetic (2 + 1e-9 w is not 2)
        if num is not None and factors.holds(answer, key, pts, factor=sympy.Rational(Fraction(num))):
            if num == "-1":
                return ["sign error: your answer is the negative of the expected answer"]
            return [f"off by a factor of {num} (your answer is {num} times the expected answer)"]
    d = _constant(a - k)
    if d is not None and abs(d) > 1e-9 * max(1.0, float(np.max(np.abs(k)))) and not key.is_number:
        num = simple_number(d)
        if (factors.holds(answer, key, outcome.points, offset=sympy.Rational(Fraction(num))) if num is not None
                else factors.constant_difference(answer, key, outcome.points)):
            num = num or fmt(d)
            return [f"off by an additive constant: your answer is the expected answer {'+' if d > 0 else '-'} "
                    f"{num.lstrip('-')}"]
    if key.is_number or answer.is_number or use.sum() < 2:
        return []
    if np.allclose(ratio[use], 1.0, rtol=1e-9, atol=0):
        return []  # the difference is below double precision: only the witness can show it
    hint = factors.factor_hint(ratio[use], pts, ctx, factors.candidates(ctx, (key, answer)), key, answer, _constant)
    if hint is None:
        hint = factors.simplified_ratio(key, answer, ctx, deadline)
    return [hint] if hint else []
