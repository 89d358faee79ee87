"""``grader lint`` and ``grader grade`` on the command line: output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main

from .conftest import ASSIGNMENTS, FIXTURES

A4 = str(ASSIGNMENTS / "assignment-4.yaml")
SEED = str(FIXTURES / "seed-submission.json")


def test_lint_clean_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(ASSIGNMENTS)]) == 0
    assert "clean" in capsys.readouterr().err


def test_lint_with_a_planted_error_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", A4, str(FIXTURES / "planted-1e-slip.yaml")]) == 1
    out = capsys.readouterr()
    assert "question 1e: check_against: the key differs" in out.out
    assert "2 file(s) checked: 1 problem(s)" in out.err


def test_grade_prints_every_question_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", A4, SEED]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Assignment 4, Written Part (assignment-4)"
    assert "1e         incorrect" in out and "Your step 3" in " ".join(out.split())  # feedback is wrapped
    assert out.splitlines()[-1] == "Total: 16 / 22 (some answers wait for an instructor)"


def test_grade_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", A4, SEED, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 16 and data["max_total"] == 22
    assert data["questions"]["1c"]["verdict"] == "invalid"
    assert data["questions"]["3-forward"] == {
        "verdict": "correct", "points": 2.5, "max_points": 2.5, "feedback": "All cells right.",
        "method": "ad-table: reverse mode over your graph, 5 cells"}


@pytest.mark.parametrize("content,message", [
    ("{not json", "not valid JSON"),
    ('{"answer": {}}', 'expected {"answers"'),
    ('{"answers": {"9z": "x"}}', "unknown question id(s) for assignment-4: 9z"),
])
def test_a_bad_submission_exits_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  content: str, message: str) -> None:
    sub = tmp_path / "s.json"
    sub.write_text(content)
    assert main(["grade", A4, str(sub)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_bad_assignment_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(FIXTURES / "planted-parse.yaml"), SEED]) == 2
    assert "question 1e: key: unbalanced parenthesis at column 3" in capsys.readouterr().err
    assert main(["grade", str(tmp_path / "missing.yaml"), SEED]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_lint_names_a_planted_bad_variant_and_takes_a_number_of_variants(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(FIXTURES / "planted-variant.yaml"), "--variants", "8"]) == 1
    out = capsys.readouterr().out
    assert "question 3: point: variant x0=0.5, w0=2, b0=-1: the function is undefined" in out


def test_grade_at_a_variant_given_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "s.json"
    sub.write_text(json.dumps({"answers": {"1b": "1 - tanh(a_i)^2"}}), encoding="utf-8")
    a4v = str(ASSIGNMENTS / "assignment-4-variants.yaml")
    assert main(["grade", a4v, str(sub), "--json", "--variant", '{"questions": {"1b": {"act": "tanh"}}}']) == 0
    grade = json.loads(capsys.readouterr().out)
    assert grade["questions"]["1b"]["verdict"] == "correct"
    assert main(["grade", a4v, str(sub), "--variant", '{"questions": {"1b": {"act": "relu"}}}']) == 2
    assert "--variant: variant.questions.1b.act: 'relu' is not one of the choices" in capsys.readouterr().err
