"""Grouping wrong answers of a question with parameters: per variant where the variant
matters, across variants where it does not.

Each answer is labelled with its student's values for the question (only the parameters the
question uses, so students whose variants differ elsewhere share a label). Two answers at
different variants are the same mistake when they stand in the same relation to their own
variant's key: the same ratio (a sign error is -1, a missing factor 1/x_i) or the same
difference (an added constant), compared by the engine like any two answers. Questions without
a computable key (AD tables) are grouped per variant only: the same table is right at one point
and wrong at another.
"""

from __future__ import annotations

from cachetools.func import lru_cache
from typing import Any, Callable

from grader.db import Session
from grader.db.models import Assignment, AssignmentVersion
from grader.services.dashboard_groups import Across

EXPRESSION_TYPES = ("expression", "number", "limit")


class VariantLabels:
    """Labels of (student, question) and the cross-variant comparison of each question."""

    def __init__(self, session: Session, assignment: Assignment, version: AssignmentVersion,
                 definition: Any) -> None:
        self.session, self.assignment, self.version, self.definition = session, assignment, version, definition
        self._variants: dict[int, Any] = {}
        self._used: dict[str, set[str]] = {}
        self._at: dict[tuple[str, str], Any] = {}   # (question, label) -> a variant with those values

    def _variant(self, user_id: int) -> Any:
        if user_id not in self._variants:
            from grader.services.variants import student_variant

            self._variants[user_id] = student_variant(self.session, self.assignment, self.version, user_id)
        return self._variants[user_id]

    def _uses(self, question_id: str) -> set[str]:
        if question_id not in self._used:
            from grader.assignments.variants.lint import used_names

            self._used[question_id] = used_names(self.definition.variants, question_id)
        return self._used[question_id]

    def label(self, row: Any) -> str:
        """The student's values of the parameters this question uses ("" when it uses none)."""
        if self.definition.variants is None or not self._uses(row.question_id):
            return ""
        variant = self._variant(row.user_id)
        if variant is None:
            return ""
        used = self._uses(row.question_id)
        label = ", ".join(f"{k}={v}" for k, v in _label_items(variant, row.question_id) if k in used)
        self._at.setdefault((row.question_id, label), variant)
        return label

    def across(self, question_id: str) -> Across | None:
        """The relation-to-key comparison for the question (None where there is no key)."""
        if self.definition.variants is None or not self._uses(question_id):
            return None
        if self.definition.question(question_id).type_name not in EXPRESSION_TYPES:
            return None
        def question_at(label: str) -> Any:
            from grader.assignments.variants.instantiate import instantiate

            return instantiate(self.definition, self._at[(question_id, label)]).question(question_id)

        return relation_equivalence(question_at)


def _label_items(variant: Any, question_id: str) -> list[tuple[str, str]]:
    from grader.assignments.variants.spec import _short

    return [(k, _short(v)) for k, v in variant.values_for(question_id).items()]


def relation_equivalence(question_at: Callable[[str], Any]) -> Across:
    """(label, text) pairs are the same mistake when answer/key or answer - key agree."""
    from grader.assignments.keys import grading_context, key_of, names_for
    from grader.engine.equivalence import compare
    from grader.engine.parsing import parse
    from grader.engine.results import Verdict

    @lru_cache(maxsize=4096)
    def relations(label: str, text: str) -> tuple[Any, Any, Any] | None:
        q = question_at(label)
        key = key_of(q)
        if key is None:
            return None
        ctx = grading_context(q.context)
        answer = parse(text, names=names_for(q.context)).expr
        return ctx.substitute(answer) / ctx.substitute(key.expr), ctx.substitute(answer) - ctx.substitute(key.expr), ctx

    def across(a: tuple[str, str], b: tuple[str, str]) -> bool:
        ra, rb = relations(*a), relations(*b)
        if ra is None or rb is None:
            return False
        for i in (0, 1):
            if compare(ra[i], rb[i], context=ra[2], inexact=True, seed=0).verdict is Verdict.CORRECT:
                return True
        return False

    return across
