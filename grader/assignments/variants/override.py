"""An instructor's override of a student's values, checked against the file's parameters.

The instructor names the drawn values (``{"parameters": {"x0": 0.3}, "questions": {"1b": {"act":
"tanh"}}}``; a choice of objects by its ``name`` field, or as the whole object); ``expr``
parameters are computed, every ``where`` must hold, and a value left out keeps the student's
own draw.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from grader.assignments.variants.parameters import Parameter, ParameterError, ParameterSet, Value, holds
from grader.assignments.variants.spec import Variant, VariantSpec, frozen


def complete(spec: VariantSpec, given: Mapping[str, Any], base: Variant) -> Variant:
    """The variant of ``base`` with the ``given`` values put in (``ParameterError`` when one
    does not fit its parameter, names none, or breaks a ``where``)."""
    if not isinstance(given, Mapping) or set(given) - {"parameters", "questions"}:
        raise ParameterError("variant", 'expected {"parameters": {...}, "questions": {"<id>": {...}}}')
    shared_given = given.get("parameters") or {}
    q_given = given.get("questions") or {}
    if not isinstance(shared_given, Mapping) or not isinstance(q_given, Mapping):
        raise ParameterError("variant", "parameters and questions are objects")
    unknown_q = sorted(set(q_given) - {q for q, _ in spec.questions})
    if unknown_q:
        raise ParameterError("variant.questions", f"no parameters in question(s) {', '.join(unknown_q)}")
    shared = _scope(spec.shared, shared_given, dict(base.shared), {}, "variant.parameters")
    questions = []
    for qid, params in spec.questions:
        own = _scope(params, q_given.get(qid) or {}, dict(dict(base.questions).get(qid, ())), shared,
                     f"variant.questions.{qid}")
        questions.append((qid, tuple(own.items())))
    return Variant(tuple(shared.items()), tuple(questions))


def _scope(params: ParameterSet, given: Mapping[str, Any], drawn: Mapping[str, Value],
           outer: Mapping[str, Value], field: str) -> dict[str, Value]:
    if not isinstance(given, Mapping):
        raise ParameterError(field, "an object of parameter values")
    unknown = sorted(set(given) - set(params.names))
    if unknown:
        raise ParameterError(f"{field}.{unknown[0]}", f"no such parameter (known: {', '.join(params.names)})")
    values: dict[str, Value] = dict(outer)
    for p in params.parameters:
        if p.kind == "expr":
            from grader.assignments.variants.evaluate import evaluate

            try:
                values[p.name] = evaluate(p.expr, values)
            except ValueError as exc:
                raise ParameterError(f"{field}.{p.name}", str(exc)) from None
        elif p.name in given:
            values[p.name] = _fit(p, given[p.name], f"{field}.{p.name}")
        else:
            values[p.name] = drawn[p.name]
    if not holds(params, values):
        raise ParameterError(field, f"the values break the condition: {'; '.join(params.where)}")
    return {p.name: values[p.name] for p in params.parameters}


def _fit(p: Parameter, v: Any, field: str) -> Value:
    if p.kind == "choose":
        for c in p.values:
            if c == frozen(v) or (isinstance(c, tuple) and dict(c).get("name") == v) or (
                    _number(v) and _number(c) and float(v) == float(c)):
                return c
        raise ParameterError(field, f"{v!r} is not one of the choices")
    if not _number(v):
        raise ParameterError(field, f"{v!r} is not a number")
    if p.kind == "integer":
        if not float(v).is_integer() or int(v) not in p.values:
            raise ParameterError(field, f"{v!r} is not an integer in [{p.values[0]}, {p.values[-1]}]")
        return int(v)
    if not p.low <= float(v) <= p.high:
        raise ParameterError(field, f"{v!r} is outside [{p.low:g}, {p.high:g}]")
    return float(v)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
