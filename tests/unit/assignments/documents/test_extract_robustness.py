"""Documents that are not answers get a clear report, never a partial silent submission."""

from __future__ import annotations

import random

import pytest

from grader.assignments.documents import DocumentError, extract_answers
from grader.assignments.documents.reading import MAX_DOCUMENT_BYTES
from grader.assignments.model import AssignmentSpec
from tests.unit.assignments.conftest import FIXTURES

SEED = (FIXTURES / "documents" / "seed-assignment-4-written.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n\t  \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
    ("".join(chr(c % 31 + 1) for c in range(4000)).encode(), "control characters"),
    (b"Dear professor, please find my homework attached.", "no numbered questions"),
])
def test_a_document_that_is_no_answer_is_refused_with_the_reason(assignment4: AssignmentSpec, data: bytes,
                                                                 reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        extract_answers(assignment4, data)


def test_a_document_over_the_limit_is_refused_before_reading(assignment4: AssignmentSpec) -> None:
    with pytest.raises(DocumentError, match="limit is 1,000 bytes"):
        extract_answers(assignment4, SEED, max_bytes=1000)
    assert len(SEED.encode()) < MAX_DOCUMENT_BYTES


def test_256_kb_of_noise_finds_no_answers(assignment4: AssignmentSpec) -> None:
    rng = random.Random(4)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFXYZ0123456789.,;:()[]{}=+-*/^_$\\|\n"
    noise = "".join(rng.choice(alphabet) for _ in range(MAX_DOCUMENT_BYTES))
    with pytest.raises(DocumentError, match="no numbered questions|none of the assignment's questions"):
        extract_answers(assignment4, noise)


def test_questions_out_of_order_are_found_by_their_labels(assignment4: AssignmentSpec) -> None:
    q1, rest = SEED.split("\n2. ", 1)
    q2, q3 = rest.split("\n3.", 1)
    shuffled = "\n3." + q3 + "\n2. " + q2 + "\n" + q1
    found = extract_answers(assignment4, shuffled)
    assert found.missing == {}
    assert found.answers == extract_answers(assignment4, SEED).answers
    assert any("out of order" in n for n in found.notes)


def test_two_answers_to_one_question_take_neither(assignment4: AssignmentSpec) -> None:
    doubled = SEED.replace("d.  $\\frac{da_i}{dw} = \\boxed{x_i}$",
                           "d.  $\\frac{da_i}{dw} = \\boxed{x_i}$\n\nd.  $\\boxed{w}$")
    found = extract_answers(assignment4, doubled)
    assert "1d" not in found.answers
    assert "answered 2 times" in found.missing["1d"] and "keep one" in found.missing["1d"]
    assert found.answers["1e"]  # the rest is still read


def test_two_separate_boxed_answers_are_not_guessed_between(assignment4: AssignmentSpec) -> None:
    text = SEED.replace("a.  $\\frac{dl_i}{dp_i} = 2(y_i - p_i)(-1) = \\boxed{2p_i - 2y_i}$",
                        "a.  $\\boxed{2p_i - 2y_i}$ or maybe $\\boxed{2y_i - 2p_i}$")
    found = extract_answers(assignment4, text)
    assert "1a" not in found.answers and "boxed" in found.missing["1a"]


def test_a_question_left_out_is_reported_missing(assignment4: AssignmentSpec) -> None:
    without_3 = SEED.split("\n3.")[0]
    found = extract_answers(assignment4, without_3)
    assert set(found.missing) == {"3-forward", "3-adjoint"}
    assert "no label 3" in found.missing["3-forward"]
    assert not found.complete


def test_a_latex_document_with_macros_is_expanded(assignment4: AssignmentSpec) -> None:
    tex = (r"\documentclass{article}\newcommand{\R}{\mathbb{R}}\def\half{\frac{1}{2}}"
           "\n\\begin{document}\n\\begin{enumerate}\\item\\begin{enumerate}\n\\item $\\half(2p_i - 2y_i) \\cdot 2$\n"
           "\\end{enumerate}\\end{enumerate}\n\\end{document}\n")
    found = extract_answers(assignment4, tex)
    assert found.answers["1a"] == r"\frac{1}{2}(2p_i - 2y_i) \cdot 2"
    assert "expanded your macros: half" in found.notes[0]


def test_a_recursive_macro_is_refused_not_looped(assignment4: AssignmentSpec) -> None:
    tex = "\\documentclass{article}\\newcommand{\\loop}{\\loop x}\n\\begin{document}\n1. $\\loop$\n\\end{document}"
    with pytest.raises(DocumentError, match="recursive"):
        extract_answers(assignment4, tex)
