"""Wrong answers of a question with parameters: grouped per variant, and across variants when
they stand in the same relation to each variant's own key."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.assignments.loader import load_assignment
from grader.assignments.variants.instantiate import instantiate
from grader.assignments.variants.spec import Variant
from grader.services.dashboard_groups import WrongAnswer, engine_equivalence, group_wrong_answers
from grader.services.variant_groups import relation_equivalence

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def at_activation():
    a = load_assignment(ROOT / "assignments" / "assignment-4-variants.yaml")
    choices = {dict(c)["name"]: c for c in a.variants.scope("1b").parameters[0].values}

    def question_at(label: str):
        return instantiate(a, Variant(a.variant.shared, (("1b", (("act", choices[label]),)),))).question("1b")

    return question_at


def test_the_same_text_at_two_variants_is_two_groups_without_a_cross_comparison() -> None:
    rows = [WrongAnswer("2x", variant="a=1"), WrongAnswer("2x", variant="a=2"), WrongAnswer("2x", variant="a=2")]
    groups = group_wrong_answers(rows)
    assert [(g.count, g.parameter_variants) for g in groups] == [(2, 1), (1, 1)]


def test_a_sign_error_at_different_activations_is_one_mistake(at_activation) -> None:
    across = relation_equivalence(at_activation)
    rows = [
        WrongAnswer("-(1 - tanh(a_i)^2)", "", 1, variant="tanh"),
        WrongAnswer("tanh(a_i)^2 - 1", "", 2, variant="tanh"),
        WrongAnswer("-exp(-a_i)/(1 + exp(-a_i))^2", "", 3, variant="logistic"),
        WrongAnswer("-exp(a_i)/(1 + exp(a_i))", "", 4, variant="softplus"),
        WrongAnswer("1 - tanh(a_i)^2 + 1", "", 5, variant="tanh"),         # the key plus 1 ...
        WrongAnswer("exp(a_i)/(1 + exp(a_i)) + 1", "", 6, variant="softplus"),  # ... at another variant
        WrongAnswer("1 - tanh(a_i)", "", 7, variant="tanh"),               # a mistake of its own
    ]
    groups = group_wrong_answers(rows, across=across, equivalent=engine_equivalence(at_activation("tanh")))
    summary = sorted((g.count, g.parameter_variants, g.students) for g in groups)
    assert summary == [(1, 1, 1), (2, 2, 2), (4, 3, 4)]


def test_the_same_text_is_not_the_same_mistake_at_another_variant(at_activation) -> None:
    across = relation_equivalence(at_activation)
    # right for tanh, and for the logistic a different function entirely: never one group
    rows = [WrongAnswer("1 + tanh(a_i)^2", variant="tanh"), WrongAnswer("1 + tanh(a_i)^2", variant="logistic")]
    assert len(group_wrong_answers(rows, across=across)) == 2
