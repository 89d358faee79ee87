"""Warming an assignment in a long-lived process before it forks graders.

A worker grades each submission in a forked child (``grader.services.grading_runner``); whatever
the child compiles or imports is lost when it exits. ``warm`` does that work once in the parent so
every child inherits it: every key, definition, context and anticipated error compiled (the
derivatives of ``derivative_of`` keys included), the engine's lazily imported modules loaded
(``grader.engine.prover`` alone imports ``sympy.physics``, about 0.2 s), and sympy's caches filled
by grading each key, and one wrong answer, as answers. Pure: no I/O, no clock.
"""

from __future__ import annotations

import importlib

from grader.assignments.grading import Env, grade_question, key_as_answer
from grader.assignments.keys import compile_problems
from grader.assignments.model import AdTableQuestion, AssignmentSpec, FreeTextQuestion

# Imported inside functions on the grading path (cheap to name, costly to import in every child).
LAZY_MODULES = (
    "grader.engine.prover", "grader.engine.feedback", "grader.engine.feedback_factors",
    "grader.engine.infinite", "grader.engine.piecewise_compare", "grader.engine.equivalence_numeric",
    "grader.engine.witness_print", "grader.engine.tape", "grader.engine.context_defs",
    "grader.assignments.ad_graph", "grader.assignments.derivation_steps",
)
WRONG_ANSWER = "0"  # graded once per question so the feedback path (the prover's simplify) is warm


def import_lazy_modules() -> None:
    """Import every module the grading path imports on first use."""
    for name in LAZY_MODULES:
        importlib.import_module(name)


def warm(assignment: AssignmentSpec, seed: int = 0) -> None:
    """Compile and exercise every question of ``assignment`` (errors are left to real grading:
    a key that cannot be used is reported there, per answer)."""
    import_lazy_modules()
    compile_problems(assignment)
    keys = {q.id: key_as_answer(q) for q in assignment.questions}
    for q in assignment.questions:
        if isinstance(q, FreeTextQuestion) or keys[q.id] is None:
            continue
        tries = [keys[q.id]] if isinstance(q, AdTableQuestion) else [keys[q.id], WRONG_ANSWER]
        for answer in tries:
            answers = dict(keys, **{q.id: answer})
            grade_question(q, answer, Env(assignment, answers, seed))
