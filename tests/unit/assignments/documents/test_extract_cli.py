"""``grader extract`` on the command line: a table or JSON that ``grader grade`` takes as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from tests.unit.assignments.conftest import ASSIGNMENTS, FIXTURES

A4 = str(ASSIGNMENTS / "assignment-4.yaml")
SEED_DOC = str(FIXTURES / "documents" / "seed-assignment-4-written.md")


def test_extract_prints_each_answer_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", A4, SEED_DOC]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("1a") and "line   20:5" in out[0] and r"\boxed{2p_i - 2y_i}" in out[0]
    assert len(out) == 13


def test_extract_json_is_a_submission_grade_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", A4, SEED_DOC, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answers", "locations", "missing", "notes"}
    assert data["locations"]["1d"] == {"line": 26, "column": 5, "confidence": 0.95, "how": "the boxed formula"}
    submission = tmp_path / "submission.json"
    submission.write_text(json.dumps(data), encoding="utf-8")
    assert main(["grade", A4, str(submission)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Total: 16 / 22 (some answers wait for an instructor)"


def test_missing_answers_exit_1_and_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "part.md"
    doc.write_text(Path(SEED_DOC).read_text(encoding="utf-8").split("\n2.")[0], encoding="utf-8")
    assert main(["extract", A4, str(doc)]) == 1
    out = capsys.readouterr().out
    assert "2a         MISSING       no label 2a found in the document" in out


@pytest.mark.parametrize("content, message", [
    (b"", "the document is empty"),
    (b"\x00\x01binary", "binary file"),
])
def test_unreadable_documents_exit_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    content: bytes, message: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_bytes(content)
    assert main(["extract", A4, str(doc)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"grader extract: {doc}: ") and message in err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", A4, str(tmp_path / "absent.md")]) == 2
    assert "cannot read" in capsys.readouterr().err
