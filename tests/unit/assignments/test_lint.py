"""``grader lint``: planted key errors are reported with question, field and witness."""

from __future__ import annotations

import re

import pytest

from grader.assignments.lint import lint_assignment, lint_paths

from .conftest import FIXTURES, make


def lint(name: str) -> list[str]:
    files, problems = lint_paths([FIXTURES / name])
    assert files == [FIXTURES / name]
    return [str(p) for p in problems]


def test_the_seeds_slip_in_a_key_is_reported_with_a_witness_point() -> None:
    (msg,) = lint("planted-1e-slip.yaml")
    assert msg.startswith(f"{FIXTURES / 'planted-1e-slip.yaml'}: question 1e: check_against: the key differs "
                          "from d((y_i - p_i)^2)/dw by reverse-mode AD at w=")
    m = re.search(r"at w=(\S+), x_i=(\S+), y_i=(\S+): key = (\S+), AD = (\S+)$", msg)
    assert m, msg
    assert float(m.group(3)) == 1.0            # the slip only shows when y_i = 1
    assert abs(float(m.group(4)) - float(m.group(5))) > 1e-3


def test_a_computed_key_outside_the_allowed_symbols_is_reported() -> None:
    assert lint("planted-allowed.yaml")[0].endswith("question 1c: allowed: the key uses a_i, outside allowed [p_i]")


def test_a_key_that_does_not_parse_is_reported_with_its_column() -> None:
    assert lint("planted-parse.yaml") == [
        f"{FIXTURES / 'planted-parse.yaml'}: question 1e: key: unbalanced parenthesis at column 3"]


def test_a_wrong_table_key_is_reported_against_the_trace() -> None:
    out = lint("planted-table.yaml")
    assert any("question 3-forward: key.rows: The value of v_3 = 5 is not right (expected 4)" in m for m in out)
    assert any("question 3-forward: key.rows: v_3 = 5 but the trace gives 4" in m for m in out)
    assert any("question 3-adjoint: key.adjoints: adjoint of v_{-1} (w) = -4.5 but the trace gives -4.8" in m
               for m in out)


def test_a_correct_hand_written_key_passes() -> None:
    a = make("""\
        - id: 1e
          type: expression
          points: 1
          prompt: p
          key: "2 p_i^3 e^{-a_i} x_i - 2 p_i^2 e^{-a_i} y_i x_i"
          check_against: {function: "(y_i - p_i)^2", wrt: w}
    """, """\
        definitions: {a_i: "w*x_i", p_i: "1/(1 + exp(-a_i))"}
        domain: {w: [-2, 2], x_i: [-2, 2], y_i: {values: [0, 1]}}
    """)
    assert lint_assignment(a) == []


def test_template_and_piecewise_keys_are_checked() -> None:
    a = make("""\
        - id: 2c
          type: piecewise
          points: 1
          prompt: p
          cases:
            - {value: "w + eta*x_i - 2*eta*w", when: "a_i < 1"}
            - {value: "w - eta*w", when: "a_i > 1"}
          check_against: {function: "Max(0, 1 - a_i) + w^2", wrt: w, template: "w - eta*D"}
    """, """\
        definitions: {a_i: "w*x_i"}
        domain: {w: [-2, 2], x_i: [-2, 2], eta: [0.01, 1]}
    """)
    (p,) = lint_assignment(a)
    assert str(p).startswith("t.yaml: question 2c: check_against: the key differs from d(Max(0, 1 - a_i) + w^2)/dw "
                             "in w - eta*D by reverse-mode AD at ")


def test_a_wrong_limit_value_is_reported() -> None:
    a = make("""\
        - id: l
          type: limit
          points: 1
          prompt: p
          value: 1
          limit_of: {expression: "sin(x)/x", variable: x, to: 0}
        - id: ok
          type: limit
          points: 1
          prompt: p
          value: 1
          limit_of: {expression: "(1 - exp(-x))/x", variable: x, to: 0}
    """)
    assert [str(p) for p in lint_assignment(a)] == []
    bad = make("- {id: l, type: limit, points: 1, prompt: p, value: 2, limit_of: {expression: 'sin(x)/x', variable: x, to: 0}}\n")
    (p,) = lint_assignment(bad)
    assert "question l: value: the value 2 is not" in str(p)


def test_lint_of_a_directory_and_a_missing_file() -> None:
    files, problems = lint_paths([FIXTURES])
    assert {f.name for f in files} >= {"planted-1e-slip.yaml", "planted-table.yaml"}
    assert len({p.file for p in problems}) == 5  # the four planted key errors and the planted bad variant
    files, problems = lint_paths([FIXTURES / "nope.yaml"])
    assert [str(p) for p in problems] == [f"{FIXTURES / 'nope.yaml'}: no such file"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_slip_is_found_whatever_the_seed(seed: int) -> None:
    _, problems = lint_paths([FIXTURES / "planted-1e-slip.yaml"], seed=seed)
    assert len(problems) == 1 and problems[0].question == "1e"


def test_a_key_the_engine_cannot_grade_is_reported() -> None:
    a = make("- {id: q, type: expression, points: 1, prompt: p, key: 'log(x)', domain: {x: [-2, -1]}}\n")
    (p,) = lint_assignment(a)
    assert str(p).startswith("t.yaml: question q: key: the key graded as an answer is needs_review")
