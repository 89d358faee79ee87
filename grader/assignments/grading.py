"""``grade_submission``: the one code path that grades a whole submission (CLI, service, worker).

Pure: no I/O, no clock, no global random state. Each question type has a grader in ``GRADERS``;
anything the engine cannot decide becomes ``needs_review`` rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from grader.assignments import ad_table
from grader.assignments.answers import as_text, boxed_parts, is_blank, restates_derivative
from grader.assignments.derivation_steps import locate_slip
from grader.assignments.errors import SubmissionError
from grader.assignments.keys import Key, anticipated, grading_context, key_of, require
from grader.assignments.model import (
    AdTableQuestion,
    AssignmentSpec,
    FreeTextQuestion,
    NumberQuestion,
    PiecewiseQuestion,
    Question,
)
from grader.assignments.results import Cell, QuestionGrade, QuestionVerdict, SubmissionGrade
from grader.assignments.witness_defined import defined_values
from grader.engine.check import check_answer
from grader.engine.equivalence import compare
from grader.engine.errors import EngineError, ParseError
from grader.engine.parsing import Parsed, parse
from grader.engine.results import CheckResult, Verdict


@dataclass(frozen=True)
class Env:
    """What a question grader may look at besides its own answer."""

    assignment: AssignmentSpec
    answers: Mapping[str, Any]
    seed: int


Grader = Callable[[Question, Any, Env], QuestionGrade]
GRADERS: dict[str, Grader] = {}


def grader(*type_names: str) -> Callable[[Grader], Grader]:
    """Register a grader for question types."""

    def deco(fn: Grader) -> Grader:
        for name in type_names:
            GRADERS[name] = fn
        return fn

    return deco


def grade_submission(assignment: AssignmentSpec, answers: Mapping[str, Any], *, seed: int = 0) -> SubmissionGrade:
    """Grade every question of ``assignment``; questions left out of ``answers`` are unanswered.

    Raises ``SubmissionError`` for answers that are not an object or name unknown questions,
    and ``AssignmentError`` for a key that cannot be used.
    """
    if not isinstance(answers, Mapping):
        raise SubmissionError("answers must be an object mapping question ids to answers")
    ids = [q.id for q in assignment.questions]
    unknown = [k for k in answers if k not in ids]
    if unknown:
        raise SubmissionError(f"unknown question id(s) for {assignment.id}: {', '.join(map(str, unknown))} "
                              f"(known: {', '.join(ids)})")
    env = Env(assignment, answers, seed)
    return SubmissionGrade(assignment.id, tuple(grade_question(q, answers.get(q.id), env) for q in assignment.questions))


def grade_one(assignment: AssignmentSpec, answers: Mapping[str, Any], question_id: str, *,
              seed: int = 0) -> QuestionGrade:
    """One question of a submission, seeing the other answers it depends on (an AD table's
    adjoint part reads the graph of its ``graph_from`` answer). KeyError for an unknown id."""
    if not isinstance(answers, Mapping):
        raise SubmissionError("answers must be an object mapping question ids to answers")
    q = assignment.question(question_id)
    return grade_question(q, answers.get(q.id), Env(assignment, answers, seed))


def grade_question(q: Question, answer: Any, env: Env) -> QuestionGrade:
    """One question's grade; never raises for a bad answer."""
    if is_blank(answer) and not isinstance(q, FreeTextQuestion):
        return QuestionGrade(q.id, QuestionVerdict.UNANSWERED, 0.0, q.points, "No answer given.", "")
    try:
        return GRADERS[q.type_name](q, answer, env)
    except (EngineError, ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        # The engine could not decide: an instructor does, rather than the student losing points.
        return QuestionGrade(q.id, QuestionVerdict.NEEDS_REVIEW, 0.0, q.points,
                             "This answer could not be graded automatically; an instructor will review it.",
                             f"error: {type(exc).__name__}: {exc}"[:200])


@grader("free_text")
def grade_free_text(q: Question, answer: Any, env: Env) -> QuestionGrade:
    """Explanations wait for an instructor (manual grading)."""
    if is_blank(answer):
        return QuestionGrade(q.id, QuestionVerdict.UNANSWERED, 0.0, q.points, "No answer given.", "")
    return QuestionGrade(q.id, QuestionVerdict.NEEDS_REVIEW, 0.0, q.points,
                         "An instructor will grade this explanation.", "manual")


@grader("ad_table")
def grade_table(q: Question, answer: Any, env: Env) -> QuestionGrade:
    assert isinstance(q, AdTableQuestion)
    if q.part == "forward":
        return ad_table.grade_forward(q, answer, env.seed)
    return ad_table.grade_adjoint(q, answer, env.answers, env.seed)


_VERDICTS = {Verdict.CORRECT: QuestionVerdict.CORRECT, Verdict.INCORRECT: QuestionVerdict.INCORRECT,
             Verdict.INVALID: QuestionVerdict.INVALID}


@grader("expression", "piecewise", "number", "limit")
def grade_expression(q: Question, answer: Any, env: Env) -> QuestionGrade:
    """Expression-like answers: check_answer, then anticipated errors, chain steps, regions."""
    key = require(env.assignment, q)
    assert key is not None
    text = as_text(answer)
    if text is None:
        return QuestionGrade(q.id, QuestionVerdict.INVALID, 0.0, q.points, "The answer must be text.", "parse")
    if isinstance(q, NumberQuestion):
        key = replace(key, inexact=True)   # a number question is always within its tolerance
    ctx = grading_context(q.context)
    result, note = check_answer(key, text, context=ctx, seed=env.seed), ""
    if result.verdict is not Verdict.CORRECT and restates_derivative(text):
        return QuestionGrade(q.id, QuestionVerdict.INVALID, 0.0, q.points,
                             "Your answer restates the question: it still contains the derivative to be "
                             "computed. Write the derivative itself as an expression.", "restated")
    if result.verdict is Verdict.INVALID and result.method == "parse":
        if boxed_parts(text):
            boxed = boxed_parts(text)[-1]
            result = check_answer(key, boxed, context=ctx, seed=env.seed)
            text, note = boxed, "Graded your boxed answer. "
    if result.extra.get("undetermined"):
        return QuestionGrade(q.id, QuestionVerdict.NEEDS_REVIEW, 0.0, q.points,
                             f"The grader could not decide ({result.feedback}); an instructor will review it.",
                             result.method)
    feedback = [note + result.feedback if result.feedback else note.strip()]
    method = result.method
    if result.verdict is Verdict.INCORRECT and result.method != "allowed":
        parsed = _parse(text, q)
        hint = _anticipated(q, parsed, env.seed) if parsed else None
        if hint:
            feedback, method = [hint], method + ", anticipated error"
        elif parsed is not None and result.witness:
            # names the witness already gives in the answer's own symbols are not said again
            shown = {**result.witness, **result.extra.get("witness_symbols", {})}
            feedback.append(defined_values(parsed.expr, shown, ctx))
        if parsed is not None and len(parsed.members) > 1:
            slip = locate_slip(parsed.members, key.expr, q.context, text=text,
                               inexact=key.inexact or parsed.inexact, seed=env.seed)
            if slip is not None:
                feedback.append(slip.message())
    if isinstance(q, PiecewiseQuestion) and result.verdict is not Verdict.INVALID:
        return _regions(q, result, sentences(feedback), method)
    points = q.points if result.verdict is Verdict.CORRECT else 0.0
    return QuestionGrade(q.id, _VERDICTS[result.verdict], points, q.points, sentences(feedback), method,
                         witness=result.witness)


def sentences(parts: list[str]) -> str:
    """Feedback parts joined as sentences (each ends with a full stop)."""
    out = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in out)


def _parse(text: str, q: Question) -> Parsed | None:
    try:
        return parse(text, names=grading_context(q.context).names)
    except ParseError:
        return None


def _anticipated(q: Question, parsed: Parsed, seed: int) -> str | None:
    """The feedback of the first anticipated error the answer is equivalent to."""
    ctx = grading_context(replace(q.context, allowed=None))
    for expr, inexact, feedback in anticipated(q):
        r = compare(expr, parsed.expr, context=ctx, inexact=inexact or parsed.inexact, seed=seed)
        if r.verdict is Verdict.CORRECT:
            return feedback
    return None


def _regions(q: PiecewiseQuestion, result: CheckResult, feedback: str, method: str) -> QuestionGrade:
    """Points per region of a piecewise key."""
    regions = result.regions
    if not regions:
        points = q.points if result.verdict is Verdict.CORRECT else 0.0
        return QuestionGrade(q.id, _VERDICTS[result.verdict], points, q.points, feedback, method)
    share = q.points / len(regions)
    cells = tuple(Cell(r.condition, r.correct, share if r.correct else 0.0, share) for r in regions)
    right = [r.condition for r in regions if r.correct]
    wrong = [r for r in regions if not r.correct]
    if wrong and right:
        feedback = sentences([f"Right where {'; '.join(right)} ({len(right)} of {len(regions)} regions)", feedback])
    verdict = QuestionVerdict.CORRECT if not wrong else QuestionVerdict.INCORRECT
    return QuestionGrade(q.id, verdict, round(sum(c.points for c in cells), 6), q.points, feedback,
                         method, cells, result.witness)


def key_as_answer(q: Question) -> Any:
    """An answer equal to the key (for self-grading the catalog); None when there is no text form."""
    from grader.assignments.model import ExpressionQuestion, LimitQuestion

    if isinstance(q, ExpressionQuestion):
        if q.key is None:   # computed: its text form (sympy's printer; our parser reads it back)
            key = key_of(q)
            return None if key is None else str(key.expr)
        return q.key
    if isinstance(q, (NumberQuestion, LimitQuestion)):
        return q.value
    if isinstance(q, PiecewiseQuestion):
        key = key_of(q)
        return None if key is None else str(key.expr)
    if isinstance(q, AdTableQuestion):
        return ad_table.key_answer(q)
    if isinstance(q, FreeTextQuestion):
        return q.sample_answer
    return None


__all__ = ["GRADERS", "Env", "Key", "grade_one", "grade_question", "grade_submission", "key_as_answer"]
