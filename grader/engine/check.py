"""``check_answer``: the one entry point that ``grader check``, grading, the service and the worker call.

Parse the key (memoised per question) and the answer with our parser, look the parsed answer up in
the verdict cache, check the ``allowed`` symbols on the answer as written, then ``compare``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy
from cachetools import LRUCache

from grader.engine.result_cache import DEFAULT_CACHE, VerdictCache
from grader.engine.context import GradingContext
from grader.engine.equivalence import compare, invalid_answer, undetermined
from grader.engine.errors import ContextError, EngineError, ParseError
from grader.engine.limits import DEFAULT_LIMITS, Limits
from grader.engine.results import CheckResult, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.parsing import Parsed

_KEYS: "LRUCache[tuple[Any, ...], _Key]" = LRUCache(maxsize=512)
_KEYS_LOCK = threading.Lock()
_CONTEXTS: "LRUCache[str, GradingContext]" = LRUCache(maxsize=256)


@dataclass(frozen=True)
class _Key:
    """A parsed key: its expression, whether it was inexact, and a fingerprint for caches."""

    expr: sympy.Expr
    inexact: bool
    fingerprint: str
    guards: tuple = ()   # where the key is undefined as written (grader.engine.definedness)


def _number_key(value: int | float) -> _Key:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ContextError("the expected answer must be a finite number")
        f = Fraction(repr(value))
        return _Key(sympy.Rational(f.numerator, f.denominator), True, f"number:{value!r}")
    return _Key(sympy.Integer(value), False, f"number:{value}")


def prepare_key(expected: "str | Parsed | int | float", ctx: GradingContext) -> _Key:
    """Parse (and memoise) the expected answer; raises ContextError when it cannot be read."""
    if isinstance(expected, bool):
        raise ContextError("the expected answer must be an expression or a number")
    if isinstance(expected, (int, float)):
        return _number_key(expected)
    if not isinstance(expected, str):
        guards = tuple(getattr(expected, "guards", ()))
        return _Key(expected.expr, bool(expected.inexact), "parsed:" + sympy.srepr(expected.expr)
                    + (f"|{guards!r}" if guards else ""), guards)
    memo = (expected, ctx.fingerprint())
    with _KEYS_LOCK:
        hit = _KEYS.get(memo)
        if hit is not None:
            return hit
    from grader.engine.parsing import parse

    try:
        try:
            parsed = parse(expected, syntax="text", names=ctx.names)
        except ParseError:
            parsed = parse(expected, syntax="auto", names=ctx.names)
    except ParseError as exc:
        raise ContextError(f"the expected answer cannot be read: {exc}") from None
    key = _Key(parsed.expr, bool(parsed.inexact), "text:" + expected, parsed.guards)
    with _KEYS_LOCK:
        _KEYS[memo] = key
    return key


def context_from_json(obj: Any) -> GradingContext:
    """``GradingContext.from_json``, memoised by the object's canonical JSON: a context is
    immutable, and the answers to one question repeat it line after line (its names, fingerprint
    and compiled definitions then come with it). Invalid contexts raise every time."""
    if not _text_keys(obj):  # JSON would write None as "null": such a context must not share a valid one's entry
        return GradingContext.from_json(obj)
    try:
        memo = json.dumps(obj, sort_keys=True)
    except (TypeError, ValueError):
        return GradingContext.from_json(obj)
    with _KEYS_LOCK:
        hit = _CONTEXTS.get(memo)
    if hit is not None:
        return hit
    ctx = GradingContext.from_json(obj)
    with _KEYS_LOCK:
        _CONTEXTS[memo] = ctx
    return ctx


def allowed_violation(expr: sympy.Expr, allowed: frozenset[str] | None) -> CheckResult | None:
    """INCORRECT (method ``allowed``) when ``expr`` uses a symbol outside ``allowed``."""
    if allowed is None:
        return None
    extra = sorted({s.name for s in expr.free_symbols} - allowed)
    if not extra:
        return None
    only = ", ".join(sorted(allowed)) if allowed else "numbers"
    return CheckResult(Verdict.INCORRECT, method="allowed",
                       feedback=f"Your answer uses {', '.join(extra)}; express it using only {only}.",
                       extra={"not_allowed": extra})


def check_answer(expected: "str | Parsed | int | float", answer: str, *, context: GradingContext | None = None,
                 syntax: str = "auto", limits: Limits = DEFAULT_LIMITS, seed: int = 0,
                 cache: VerdictCache | None = DEFAULT_CACHE) -> CheckResult:
    """Check one answer against the expected answer (text, a ``Parsed``, or a plain number).

    >>> check_answer("2*x", "x + x").verdict.value
    'correct'
    """
    deadline = time.monotonic() + limits.answer_time_s
    ctx = context or GradingContext()
    try:
        key = prepare_key(expected, ctx)
        names = ctx.names
    except ContextError as exc:
        return undetermined(str(exc))
    if not isinstance(answer, str):
        return invalid_answer("the answer must be text")
    from grader.engine.parsing import parse

    try:
        parsed = parse(answer, syntax=syntax, names=names, limits=limits)
    except ParseError as exc:
        return invalid_answer(exc.message, exc.column)
    except (RecursionError, MemoryError, OverflowError):
        return invalid_answer("your answer is too large or too deeply nested")
    cache_key = None
    if cache is not None:
        # the expression itself is the key: sympy hashes it once and compares it structurally,
        # which costs a fraction of printing it with srepr
        cache_key = ((key.fingerprint, ctx.fingerprint(), syntax, seed, limits),
                     parsed.expr, bool(parsed.inexact), parsed.guards)
        hit = cache.get(cache_key)
        if hit is not None:
            return hit
    result = allowed_violation(parsed.expr, ctx.allowed)
    if result is None:
        try:
            result = compare(key.expr, parsed.expr, context=ctx, inexact=key.inexact or bool(parsed.inexact),
                             seed=seed, deadline=deadline, limits=limits,
                             key_guards=key.guards, answer_guards=parsed.guards)
        except ContextError as exc:
            result = undetermined(f"could not compare: {exc}")
        except (EngineError, RecursionError, OverflowError, MemoryError) as exc:
            result = invalid_answer(f"your answer cannot be evaluated: {exc or type(exc).__name__}")
    if cache is not None and cache_key is not None:
        cache.put(cache_key, result)
    return result


def check_json(line: dict[str, Any], *, limits: Limits = DEFAULT_LIMITS, seed: int = 0,
               cache: VerdictCache | None = DEFAULT_CACHE) -> CheckResult:
    """One ``grader check`` input object -> result (raises ContextError/ValueError on bad fields)."""
    expected = line.get("expected")
    if expected is None or isinstance(expected, bool) or not isinstance(expected, (str, int, float)):
        raise ValueError('"expected" must be an expression (text) or a number')
    answer = line.get("answer")
    if not isinstance(answer, str):
        raise ValueError('"answer" must be a string')
    syntax = line.get("syntax", "auto")
    if syntax is None:
        syntax = "auto"
    if syntax not in ("auto", "text", "latex"):
        raise ValueError('"syntax" must be "auto", "text" or "latex"')
    ctx = context_from_json(line.get("context"))
    return check_answer(expected, answer, context=ctx, syntax=syntax, limits=limits, seed=seed, cache=cache)


def _text_keys(obj: Any) -> bool:
    """Every mapping inside ``obj`` has only text keys."""
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _text_keys(v) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return all(_text_keys(v) for v in obj)
    return True
