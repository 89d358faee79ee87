"""The worked example in assignments/README.md loads and lints clean."""

from __future__ import annotations

import re

from grader.assignments.lint import lint_assignment
from grader.assignments.loader import load_text

from .conftest import ASSIGNMENTS


def test_the_readme_worked_example_is_a_clean_assignment() -> None:
    readme = (ASSIGNMENTS / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("id:")]
    a = load_text(example, source="README.md")
    assert [q.type_name for q in a.questions] == ["expression", "expression", "free_text"]
    assert lint_assignment(a) == []
