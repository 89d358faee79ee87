"""Our labelled corpora through the scorer vendored in tests/tools: no false accepts, every case right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCORER = ROOT / "tests" / "tools" / "score_check.py"
SAMPLE = ROOT / "tests" / "corpus" / "check-sample.jsonl"
CORPUS = ROOT / "tests" / "corpus" / "check-corpus.jsonl"
# adversarial cases: LaTeX/text/Unicode variants, near misses, thin piecewise regions, tolerance edges
CORPUS_2 = ROOT / "tests" / "corpus" / "check-corpus-2.jsonl"
# issue 9's classes, labelled by tests/corpus/make_corpus_3.py from 300-digit evaluation, not by the engine
CORPUS_3 = ROOT / "tests" / "corpus" / "check-corpus-3.jsonl"
MAKE_CORPUS_3 = ROOT / "tests" / "corpus" / "make_corpus_3.py"
CORPUS_3_GROUPS = {"c1-magnitude", "c2-undefined", "c3-sampling", "c4-no-domain", "c5-hostile", "c6-notation",
                   "c7-ad", "c8-feedback", "unreadable", "variants"}


def _summary(corpus: Path) -> dict[str, str]:
    python = ROOT / ".venv" / "bin" / "python"
    cmd = [sys.executable, str(SCORER), "--corpus", str(corpus), "--",
           str(python if python.exists() else sys.executable), "-m", "grader", "check"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    last = proc.stdout.strip().splitlines()[-1]
    return dict(part.split("=", 1) for part in last.split() if "=" in part)


def _cases(corpus: Path) -> list[dict]:
    return [json.loads(l) for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip().startswith("{")]


def test_corpus_is_large_and_covers_every_group():
    cases = _cases(CORPUS)
    groups = {c.get("group") for c in cases}
    assert len(cases) >= 120
    assert {"q1a", "q1b", "allowed", "domain", "piecewise", "numeric", "numeric-trap", "hostile", "invalid"} <= groups
    assert any(c.get("syntax") == "latex" for c in cases)
    sample_ids = {c["id"] for c in _cases(SAMPLE)}
    assert sample_ids and sample_ids <= {c["id"] for c in cases}


def test_our_corpus_scores_perfectly():
    summary = _summary(CORPUS)
    assert summary["false_accepts"] == "0", summary
    assert float(summary["accuracy"]) == 1.0, summary


def test_adversarial_corpus_is_large_and_varied():
    cases = _cases(CORPUS_2)
    assert len(cases) >= 150
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["verdict_expected"] for c in cases} == {"correct", "incorrect", "invalid"}
    assert {"piecewise", "domain", "numeric", "numeric-trap", "allowed", "invalid", "hostile"} <= {c["group"] for c in cases}
    assert all(c.get("why") for c in cases)


def test_adversarial_corpus_scores_perfectly():
    summary = _summary(CORPUS_2)
    assert summary["false_accepts"] == "0", summary
    assert float(summary["accuracy"]) == 1.0, summary


def test_sample_scores_perfectly():
    summary = _summary(SAMPLE)
    assert summary["false_accepts"] == "0" and float(summary["accuracy"]) == 1.0, summary


def test_issue9_corpus_is_large_and_covers_every_class():
    cases = _cases(CORPUS_3)
    assert len(cases) >= 200
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["group"] for c in cases} == CORPUS_3_GROUPS
    assert {c["verdict_expected"] for c in cases} == {"correct", "incorrect", "invalid"}
    assert all(c.get("why") for c in cases)
    # not only traps: accuracy means something only with many right answers among them
    assert sum(c["verdict_expected"] == "correct" for c in cases) >= len(cases) // 3


@pytest.mark.slow
def test_issue9_corpus_is_what_its_generator_labels():
    """The labels are re-derived from the hand-written mpmath truth, not edited by hand."""
    proc = subprocess.run([sys.executable, str(MAKE_CORPUS_3), "--check"], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_issue9_corpus_scores_perfectly():
    summary = _summary(CORPUS_3)
    assert summary["false_accepts"] == "0", summary
    assert float(summary["accuracy"]) == 1.0, summary
