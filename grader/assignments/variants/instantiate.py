"""One variant of a parameterised assignment: ``{{name}}`` filled in, then built as any file is.

The raw document is substituted (prompts get plain numbers; expression fields get negative
numbers and chosen expressions in parentheses, so ``x - {{b}}`` with b = -0.3 reads
``x - (-0.3)``; a field that is only ``{{x0}}`` becomes the number itself), validated and built
by the loader's own functions, so the grading code runs unchanged on the concrete assignment.
Instantiations are cached per (file, variant).
"""

from __future__ import annotations

import re
from dataclasses import replace
from cachetools.func import lru_cache
from typing import Any, Mapping

from grader.assignments.errors import AssignmentError
from grader.assignments.model import AssignmentSpec
from grader.assignments.variants.parameters import Value
from grader.assignments.variants.spec import Variant, VariantSpec

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)(?:\.([A-Za-z][A-Za-z0-9_]*))?\s*\}\}")
TEXT_FIELDS = frozenset({"prompt", "feedback", "title", "description", "rubric", "sample_answer"})
_SIMPLE = re.compile(r"^[A-Za-z0-9_.]+$")


class _Unknown(Exception):
    pass


def number_text(v: float | int) -> str:
    """A number as a person writes it: 0.3, 4, 1e-05 (12 significant digits at most)."""
    if isinstance(v, int) or float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.12g}"


def _value(values: Mapping[str, Value], name: str, field: str | None) -> Value:
    if name not in values:
        known = ", ".join(sorted(values)) or "none"
        raise _Unknown(f"unknown parameter {{{{{name}}}}} (known: {known})")
    v = values[name]
    if field is None:
        if isinstance(v, tuple):
            raise _Unknown(f"{{{{{name}}}}} is a choice of objects: name a field, {{{{{name}.{v[0][0]}}}}}")
        return v
    if not isinstance(v, tuple) or field not in dict(v):
        raise _Unknown(f"{{{{{name}.{field}}}}}: {name} has no field {field!r}")
    return dict(v)[field]


def render(text: str, values: Mapping[str, Value], *, prose: bool) -> Any:
    """``text`` with its placeholders filled in (``_Unknown`` for a name not in ``values``)."""
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole and not prose:
        v = _value(values, whole[1], whole[2])
        if isinstance(v, (int, float)):
            return v

    def one(m: re.Match[str]) -> str:
        v = _value(values, m[1], m[2])
        if isinstance(v, (int, float)):
            s = number_text(v)
            return s if prose or v >= 0 else f"({s})"
        s = str(v)
        return s if prose or _SIMPLE.match(s) else f"({s})"

    return PLACEHOLDER.sub(one, text)


def substitute(node: Any, values: Mapping[str, Value], path: list[Any], problems: list[tuple[list[Any], str]],
               *, prose: bool = False) -> Any:
    """A copy of ``node`` with every string rendered; problems collected with their paths."""
    if isinstance(node, str):
        try:
            return render(node, values, prose=prose)
        except _Unknown as exc:
            problems.append((path, str(exc)))
            return node
    if isinstance(node, list):
        return [substitute(x, values, [*path, i], problems, prose=prose) for i, x in enumerate(node)]
    if isinstance(node, Mapping):
        return {k: substitute(v, values, [*path, k], problems, prose=prose or k in TEXT_FIELDS)
                for k, v in node.items() if k != "parameters"}
    return node


def concrete_data(spec: VariantSpec, variant: Variant, source: str) -> dict[str, Any]:
    """The raw document of one variant; ``AssignmentError`` naming file, question and field for a
    placeholder that names no parameter in scope."""
    from grader.assignments.loader import _located

    data = spec.data
    problems: list[tuple[list[Any], str]] = []
    shared = variant.values_for(None)
    out = substitute({k: v for k, v in data.items() if k != "questions"}, shared, [], problems)
    out["questions"] = [
        substitute(q, variant.values_for(str(q.get("id"))) if isinstance(q, Mapping) else shared,
                   ["questions", i], problems)
        for i, q in enumerate(data.get("questions") or [])
    ]
    if problems:
        raise AssignmentError([_located(source, data, path, msg) for path, msg in problems])
    return out


def build_variant(spec: VariantSpec, variant: Variant, source: str) -> AssignmentSpec:
    """The concrete assignment of ``variant`` (validated; its AD-table keys traced)."""
    from grader.assignments.loader import build, validate
    from grader.assignments.variants.table_keys import traced_keys

    data = concrete_data(spec, variant, source)
    problems = validate(data, source)
    if problems:
        label = variant.label()
        raise AssignmentError([replace(p, message=f"{p.message} (variant {label})") for p in problems])
    built = build(data, source)
    questions = tuple(traced_keys(q) for q in built.questions)
    return AssignmentSpec(id=built.id, title=built.title, questions=questions, course=built.course,
                          description=built.description, due=built.due, late=built.late, source=source,
                          variants=spec, variant=variant)


@lru_cache(maxsize=1024)
def _cached(spec: VariantSpec, variant: Variant, source: str) -> AssignmentSpec:
    return build_variant(spec, variant, source)


def instantiate(assignment: AssignmentSpec, variant: Variant | None) -> AssignmentSpec:
    """``assignment`` at ``variant`` (itself when it has no parameters or ``variant`` is None)."""
    if assignment.variants is None or variant is None or variant == assignment.variant:
        return assignment
    return _cached(assignment.variants, variant, assignment.source)
