"""Parameter specs of an assignment file and their draws.

A ``parameters`` section (assignment or question level) maps names to one of

* ``choose: [0.2, 0.3, 0.5]`` (numbers, text, or objects read as ``{{name.field}}``);
* ``uniform: [lo, hi]`` with ``digits: d`` (a grid of step 10^-d) or ``step: s``, or neither
  (continuous);
* ``integer: [lo, hi]`` (both ends included);
* ``expr: "w0*x0 + b0"`` over earlier parameters (read by our parser, evaluated by sympy);

plus ``where``: a condition (or a list of them, all must hold) over the parameters; a draw that
fails it is redrawn, at most ``max_redraws`` times. Draws take a ``numpy`` Generator: no global
random state. Expressions and conditions never go through ``eval`` or ``sympify``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import numpy as np

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?$")
KINDS = ("choose", "uniform", "integer", "expr")
MAX_REDRAWS = 200        # draws tried before a `where` is declared impossible for one student
MAX_GRID = 1_000_000     # values one parameter may have
MAX_ENUMERATE = 100_000  # draws lint enumerates before it samples instead

Value = Any  # float | int | str | dict[str, str]


class ParameterError(Exception):
    """A parameter section that cannot be used: (field, message), the field dotted from ``parameters``."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Parameter:
    """One parameter: its kind and what it is drawn from (``values`` for finite kinds)."""

    name: str
    kind: str
    values: tuple[Value, ...] = ()       # choose, integer and gridded uniform
    low: float = 0.0                     # continuous uniform
    high: float = 0.0
    expr: str = ""

    @property
    def finite(self) -> bool:
        return self.kind != "expr" and (self.kind != "uniform" or bool(self.values))


@dataclass(frozen=True)
class ParameterSet:
    """The parameters of one scope (the assignment, or one question) and its conditions."""

    parameters: tuple[Parameter, ...] = ()
    where: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def fingerprint(self) -> str:
        """Identity of the spec: a change to it (and only to it) redraws every variant."""
        raw = json.dumps([[p.name, p.kind, list(p.values), p.low, p.high, p.expr] for p in self.parameters]
                         + [list(self.where)], sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def size(self) -> int | None:
        """How many draws there are (before ``where``); None when infinite."""
        n = 1
        for p in self.parameters:
            if p.kind == "expr":
                continue
            if not p.finite:
                return None
            n *= len(p.values)
        return n


def parse_parameters(raw: Any, *, known: tuple[str, ...] = ()) -> ParameterSet:
    """A ``ParameterSet`` from a ``parameters`` mapping; ``known`` names (the assignment's, for a
    question) may be used by expressions and conditions. Raises ``ParameterError``."""
    if raw is None:
        return ParameterSet()
    if not isinstance(raw, Mapping):
        raise ParameterError("parameters", "must be a mapping of names to {choose|uniform|integer|expr: ...}")
    params: list[Parameter] = []
    where: tuple[str, ...] = ()
    for name, spec in raw.items():
        if name == "where":
            where = _where(spec)
            continue
        field = f"parameters.{name}"
        if not isinstance(name, str) or not NAME.match(name):
            raise ParameterError(field, "a parameter name is letters and digits, with at most one _subscript")
        if name in known or name in (p.name for p in params):
            raise ParameterError(field, f"{name!r} is already a parameter")
        params.append(_parameter(name, spec, field))
    out = ParameterSet(tuple(params), where)
    numeric = set(known) | {p.name for p in params if _numeric(p)}
    for i, p in enumerate(params):
        if p.kind == "expr":
            earlier = set(known) | {q.name for q in params[:i] if _numeric(q)}
            _check_names(p.expr, earlier, f"parameters.{p.name}.expr", "earlier numeric parameters")
    for i, w in enumerate(where):
        _check_names(w, numeric, "parameters.where" + (f"[{i}]" if len(where) > 1 else ""), "numeric parameters")
    return out


def _where(spec: Any) -> tuple[str, ...]:
    items = [spec] if isinstance(spec, str) else spec
    if not isinstance(items, list) or not items or not all(isinstance(w, str) and w.strip() for w in items):
        raise ParameterError("parameters.where", "a condition, or a list of conditions that must all hold")
    return tuple(items)


def _parameter(name: str, spec: Any, field: str) -> Parameter:
    if not isinstance(spec, Mapping):
        raise ParameterError(field, "expected one of {choose: [...]}, {uniform: [lo, hi]}, "
                                    "{integer: [lo, hi]}, {expr: \"...\"}")
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        raise ParameterError(field, "give exactly one of choose, uniform, integer, expr")
    kind = kinds[0]
    allowed = {kind, *({"digits", "step"} if kind == "uniform" else ())}
    extra = sorted(set(spec) - allowed)
    if extra:
        raise ParameterError(f"{field}.{extra[0]}", f"unknown field (a {kind} parameter takes "
                                                    f"{', '.join(sorted(allowed))})")
    body = spec[kind]
    if kind == "choose":
        if not isinstance(body, list) or not body:
            raise ParameterError(f"{field}.choose", "a non-empty list")
        for v in body:
            ok = (_is_number(v) or isinstance(v, str)
                  or (isinstance(v, Mapping) and v and all(isinstance(k, str) and isinstance(x, (str, int, float))
                                                           and not isinstance(x, bool) for k, x in v.items())))
            if not ok:
                raise ParameterError(f"{field}.choose", f"{v!r}: items are numbers, text, or objects of text")
        return Parameter(name, kind, tuple(_freeze(v) for v in body))
    if kind == "expr":
        if not isinstance(body, (str, int, float)) or isinstance(body, bool):
            raise ParameterError(f"{field}.expr", "an expression over earlier parameters")
        return Parameter(name, kind, expr=str(body))
    if not (isinstance(body, list) and len(body) == 2 and all(_is_number(v) for v in body) and body[0] <= body[1]):
        raise ParameterError(f"{field}.{kind}", "[low, high] with low <= high")
    lo, hi = body
    if kind == "integer":
        if not all(float(v).is_integer() for v in body):
            raise ParameterError(f"{field}.integer", "both ends must be integers")
        if hi - lo + 1 > MAX_GRID:
            raise ParameterError(f"{field}.integer", f"more than {MAX_GRID} values")
        return Parameter(name, kind, tuple(range(int(lo), int(hi) + 1)))
    return _uniform(name, float(lo), float(hi), spec, field)


def _uniform(name: str, lo: float, hi: float, spec: Mapping[str, Any], field: str) -> Parameter:
    if "digits" in spec and "step" in spec:
        raise ParameterError(field, "give digits or step, not both")
    if "digits" in spec:
        d = spec["digits"]
        if not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 12:
            raise ParameterError(f"{field}.digits", "an integer from 0 to 12")
        step, start = 10.0 ** -d, math.ceil(round(lo * 10 ** d, 9)) / 10 ** d
    elif "step" in spec:
        step = spec["step"]
        if not _is_number(step) or step <= 0:
            raise ParameterError(f"{field}.step", "a positive number")
        step, start = float(step), lo
    else:
        return Parameter(name, "uniform", low=lo, high=hi)
    count = int(math.floor((hi - start) / step + 1e-9)) + 1
    if count < 1:
        raise ParameterError(f"{field}.uniform", f"no value of the grid lies in [{lo:g}, {hi:g}]")
    if count > MAX_GRID:
        raise ParameterError(field, f"more than {MAX_GRID} values on the grid")
    return Parameter(name, "uniform", tuple(_clean(start + i * step) for i in range(count)), low=lo, high=hi)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _numeric(p: Parameter) -> bool:
    return p.kind in ("uniform", "integer", "expr") or all(_is_number(v) for v in p.values)


def _freeze(v: Any) -> Value:
    return tuple(sorted((str(k), str(x)) for k, x in v.items())) if isinstance(v, Mapping) else v


def _clean(x: float) -> float:
    """Grid arithmetic without binary noise (0.1 + 2*0.1 is 0.3, not 0.30000000000000004)."""
    return float(f"{x:.12g}")


def _check_names(text: str, allowed: set[str], field: str, what: str) -> None:
    from grader.assignments.variants.evaluate import free_names

    try:
        used = free_names(text, allowed)
    except ValueError as exc:
        raise ParameterError(field, str(exc)) from None
    unknown = sorted(used - allowed)
    if unknown:
        raise ParameterError(field, f"uses {', '.join(unknown)}, which are not {what}"
                                    + (f" ({', '.join(sorted(allowed))})" if allowed else ""))


def seed_of(*parts: object) -> int:
    """A 64-bit seed from the parts (course seed, assignment, scope, student, spec): sha256, so the
    same parts give the same draw in every process and after every restart."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def draw(params: ParameterSet, rng: np.random.Generator, *, base: Mapping[str, Value] | None = None,
         max_redraws: int = MAX_REDRAWS) -> dict[str, Value]:
    """One draw of ``params`` (``base``: values already drawn in the enclosing scope), redrawn
    while a ``where`` condition fails. Raises ``ParameterError`` after ``max_redraws`` draws."""
    base = dict(base or {})
    for _ in range(max(1, max_redraws)):
        values = dict(base)
        for p in params.parameters:
            values[p.name] = _one(p, rng, values)
        if holds(params, values):
            return {p.name: values[p.name] for p in params.parameters}
    conditions = "; ".join(params.where)
    size = params.size()
    if size is not None and size <= MAX_ENUMERATE and next(enumerate_all(params, base), None) is None:
        raise ParameterError("parameters.where", f"the condition can never hold: none of the {size} possible "
                                                 f"draws meets {conditions}")
    raise ParameterError("parameters.where", f"no draw met the condition in {max_redraws} draws "
                                             f"(it holds too rarely; widen the ranges): {conditions}")


def _one(p: Parameter, rng: np.random.Generator, values: Mapping[str, Value]) -> Value:
    if p.kind == "expr":
        from grader.assignments.variants.evaluate import evaluate

        return evaluate(p.expr, values)
    if p.values:
        v = p.values[int(rng.integers(len(p.values)))]
        return int(v) if p.kind == "integer" else v
    return _clean(float(rng.uniform(p.low, p.high)))


def holds(params: ParameterSet, values: Mapping[str, Value]) -> bool:
    """Do all the ``where`` conditions hold for these values?"""
    from grader.assignments.variants.evaluate import satisfied

    return all(satisfied(w, values) for w in params.where)


def enumerate_all(params: ParameterSet, base: Mapping[str, Value] | None = None) -> Iterator[dict[str, Value]]:
    """Every draw of a finite set that satisfies ``where``, in a fixed order (caller checks ``size``)."""
    base = dict(base or {})
    drawn = [p for p in params.parameters if p.kind != "expr"]
    for combo in itertools.product(*(p.values for p in drawn)):
        values = {**base, **{p.name: v for p, v in zip(drawn, combo, strict=True)}}
        for p in params.parameters:
            if p.kind == "expr":
                values[p.name] = _one(p, np.random.default_rng(0), values)
        if holds(params, values):
            yield {p.name: values[p.name] for p in params.parameters}
