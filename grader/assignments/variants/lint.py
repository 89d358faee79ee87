"""``grader lint`` for parameterised files: every question's keys checked at many variants.

Each question is checked at the variants that give it different values (the names it uses):
all of them when the draws are finite and there are at most ``limit``, else ``limit`` seeded
draws; with the same checks as the file's own keys (AD agreement, traces, self-grading). The
first bad variant of a question is reported with its parameters.
"""

from __future__ import annotations

from typing import Any, Mapping

from grader.assignments.errors import AssignmentError, Problem
from grader.assignments.model import AssignmentSpec
from grader.assignments.variants.instantiate import PLACEHOLDER, _cached
from grader.assignments.variants.spec import VariantSpec, question_variants

DEFAULT_VARIANTS = 50   # variants checked per question when there are more (--variants N)


def used_names(spec: VariantSpec, question_id: str) -> set[str]:
    """Parameters a question's concrete text depends on: its own placeholders, those of the
    assignment-level fields it inherits (definitions, domain), and its own parameters."""
    data = spec.data
    raw = next((q for q in data.get("questions") or () if isinstance(q, Mapping) and str(q.get("id")) == question_id),
               {})
    inherited = {k: v for k, v in data.items() if k not in ("questions", "parameters")}
    names = {m[1] for m in PLACEHOLDER.finditer(_strings(raw) + _strings(inherited))}
    return names | set(spec.scope(question_id).names)


def _strings(node: Any) -> str:
    if isinstance(node, str):
        return node + "\n"
    if isinstance(node, list):
        return "".join(map(_strings, node))
    if isinstance(node, Mapping):
        return "".join(_strings(v) for k, v in node.items() if k != "parameters")
    return ""


def lint_variants(assignment: AssignmentSpec, checks: Any, *, seed: int = 0,
                  limit: int = DEFAULT_VARIANTS) -> list[Problem]:
    """Problems found at variants other than the reference; ``checks(assignment, question)``
    returns (field, message) pairs (``lint``'s own per-question checks)."""
    spec: VariantSpec | None = assignment.variants
    if spec is None:
        return []
    problems: list[Problem] = []
    for q in assignment.questions:
        used = used_names(spec, q.id)
        if not used:
            continue
        variants, _complete = question_variants(spec, q.id, used, limit=limit, seed=seed)
        for v in variants:
            label = ", ".join(f"{k}={x}" for k, x in v.values_for(q.id).items() if k in used)
            label = v.label(q.id) if not label else label
            try:
                concrete = _cached(spec, v, assignment.source)
                found = checks(concrete, concrete.question(q.id))
            except AssignmentError as exc:
                found = [(p.field, p.message) for p in exc.problems if p.question in (None, q.id)]
            if found:
                problems.extend(Problem(assignment.source, q.id, field, f"variant {label}: {msg}")
                                for field, msg in found)
                break
    return problems
