"""Every example in the syntax help is read by the grader's own parser (help that the grader then
refused would send students the wrong way), and every question type has help."""

from __future__ import annotations

import pytest

from grader.engine.parsing import parse
from grader.web.answer_help import HELP, help_for

EXAMPLES = [(kind, ex.text) for kind, h in HELP.items() for ex in h.examples]


@pytest.mark.parametrize(("kind", "text"), EXAMPLES)
def test_each_example_parses(kind: str, text: str) -> None:
    assert parse(text).expr is not None


def test_piecewise_help_shows_cases_and_an_update_rule() -> None:
    texts = [ex.text for ex in help_for({"type": "piecewise"}).examples]
    assert any(r"\begin{cases}" in t for t in texts) and any(r"\leftarrow" in t for t in texts)
    assert any(t.startswith("Piecewise(") for t in texts)


@pytest.mark.parametrize("qtype", ["expression", "piecewise", "number", "limit", "ad_table", "free_text"])
def test_every_type_has_help(qtype: str) -> None:
    assert help_for({"type": qtype}).title
