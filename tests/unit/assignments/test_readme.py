"""The worked example in assignments/README.md loads and lints clean."""

from __future__ import annotations

import re

from grader.assignments.lint import lint_assignment
from grader.assignments.loader import load_text

from .conftest import ASSIGNMENTS


def test_the_readme_worked_example_is_a_clean_assignment() -> None:
    readme = (ASSIGNMENTS / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("id: logistic-demo")]
    a = load_text(example, source="README.md")
    assert [q.type_name for q in a.questions] == ["expression", "expression", "free_text"]
    assert lint_assignment(a) == []


def test_the_readme_variants_example_is_a_clean_parameterised_assignment() -> None:
    readme = (ASSIGNMENTS / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("id: variants-demo")]
    a = load_text(example, source="README.md")
    assert a.variants is not None and [qid for qid, _ in a.variants.questions] == ["1"]
    assert lint_assignment(a, variants=1000) == []
    # the student the README describes
    from grader.assignments.variants.instantiate import instantiate
    from grader.assignments.variants.override import complete

    v = complete(a.variants, {"parameters": {"x0": 0.8, "w0": 2, "b0": -0.1},
                              "questions": {"1": {"act": "softplus"}}}, a.variant)
    q1, q2 = instantiate(a, v).questions
    assert q1.prompt == "With the softplus activation $p = \\log(1 + e^{a})$, what is $\\frac{dp}{da}$?"
    assert "at $x = 0.8, w = 2, b = -0.1$" in q2.prompt
    assert [float(r.value) for r in q2.key_rows][-2] == 1 / 1.5
