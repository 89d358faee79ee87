"""The benchmarks' class generator: the 'distinct' hard case is new work for every student and
grades exactly as the plain class does (else its figures would measure something else)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

from class_answers import SCALABLE, class_answers, distinct_answers  # noqa: E402

from grader.assignments.grading import grade_submission  # noqa: E402
from grader.assignments.loader import load_assignment  # noqa: E402

N = 24


def test_the_generator_is_deterministic() -> None:
    assert class_answers(N) == class_answers(N) and distinct_answers(N) == distinct_answers(N)
    assert class_answers(N, seed=1) != class_answers(N, seed=2)


def test_distinct_answers_are_never_repeated_and_grade_as_the_plain_ones() -> None:
    plain, distinct = class_answers(N), distinct_answers(N)
    rewritten = [(qid, d[qid]) for p, d in zip(plain, distinct) for qid in SCALABLE if p[qid] != d[qid]]
    assert len(rewritten) >= 0.6 * N * len(SCALABLE)
    assert len(set(rewritten)) == len(rewritten)  # no two students share a rewritten answer
    assignment = load_assignment(ROOT / "assignments" / "assignment-4.yaml")
    for p, d in zip(plain, distinct):
        grade = {q.question_id: (q.verdict, q.points) for q in grade_submission(assignment, p).questions}
        assert {q.question_id: (q.verdict, q.points) for q in grade_submission(assignment, d).questions} == grade
