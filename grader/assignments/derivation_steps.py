"""Step feedback on a derivation chain ``A = B = \\boxed{C}``: where does it stop being equal?

The final member is what gets graded. When it is wrong, each earlier member is compared with
the key; the last one that is right is the student's last good step, and the member after it is
where the slip happened. That pair is compared directly, so the witness point shows the two
steps differing (not merely the final answer differing from the key).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import sympy

from grader.assignments.keys import grading_context
from grader.assignments.model import ContextSpec
from grader.engine.check import compare
from grader.engine.errors import EngineError
from grader.engine.feedback import describe_point
from grader.engine.results import Verdict


@dataclass(frozen=True)
class StepFeedback:
    """The last correct step (1-based among the chain's members) and the first wrong one after it."""

    good_step: int
    good_text: str
    bad_step: int
    bad_text: str
    witness: dict[str, float] | None

    def message(self) -> str:
        text = (f"Your step {self.good_step} `{self.good_text.strip()}` is correct; the next step "
                f"`{self.bad_text.strip()}` is not equal to it")
        if self.witness:
            text += f" (they differ at {describe_point(self.witness)})"   # the point checked, as printed
        return text + "."


def _step_context(spec: ContextSpec):
    """The question's context without ``allowed``: intermediate steps may use any names."""
    return grading_context(replace(spec, allowed=None))


def step_number(text: str, column: int | None, fallback: int) -> int:
    """1-based position of the member starting at ``column`` among the chain's written members
    (every top-level ``=`` starts a new one, including members that have no value, such as
    ``\\frac{dl_i}{dp_i} \\cdot \\frac{dp_i}{da_i}``)."""
    if column is None:
        return fallback
    depth, n = 0, 1
    for ch in text[: max(0, column - 1)]:
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(ch, 0)
        n += ch == "=" and depth == 0
    return n


def locate_slip(members: Sequence, expected: sympy.Expr, spec: ContextSpec, *, text: str = "",
                inexact: bool = False, seed: int = 0) -> StepFeedback | None:
    """Step feedback for a chain whose final member is wrong; None when nothing useful to say.

    ``text`` is the whole answer, used to number the steps as the student wrote them.
    """
    if len(members) < 2:
        return None
    ctx = _step_context(spec)
    good = None
    for i, m in enumerate(members[:-1]):
        if _equal(expected, m.expr, ctx, inexact, seed):
            good = i
    if good is None:
        return None
    bad = members[good + 1]
    result = compare(members[good].expr, bad.expr, context=ctx, inexact=inexact, seed=seed)
    g = members[good]
    return StepFeedback(step_number(text, g.column, good + 1), g.text,
                        step_number(text, bad.column, good + 2), bad.text, result.witness)


def _equal(a: sympy.Expr, b: sympy.Expr, ctx, inexact: bool, seed: int) -> bool:
    try:
        return compare(a, b, context=ctx, inexact=inexact, seed=seed).verdict is Verdict.CORRECT
    except (EngineError, ArithmeticError, ValueError, TypeError, RecursionError):
        return False  # a member we cannot compare is simply not "right"
