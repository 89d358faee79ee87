"""Assignments as frozen data: an ``AssignmentSpec`` holds ``Question`` objects of registered types.

Keys stay text here (as the instructor wrote them); ``keys.py`` turns them into expressions.
Every mapping is stored as a sorted tuple of pairs so that questions are hashable (and cacheable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, ClassVar, Mapping, TypeVar

from grader.engine.context import Discrete, Interval


Domain = Interval | Discrete  # the engine's own domain values, shared rather than mirrored


@dataclass(frozen=True)
class ContextSpec:
    """The grading context of a question: definitions, domain, allowed symbols, tolerance."""

    definitions: tuple[tuple[str, str], ...] = ()
    domain: tuple[tuple[str, Domain], ...] = ()
    allowed: tuple[str, ...] | None = None
    tolerance: float | None = None

    @property
    def definition_map(self) -> dict[str, str]:
        return dict(self.definitions)

    @property
    def domain_map(self) -> dict[str, Domain]:
        return dict(self.domain)


@dataclass(frozen=True)
class Derivative:
    """The derivative of ``function`` with respect to ``wrt``, optionally put in a ``template``
    (an expression in ``D``, e.g. ``w - eta D`` for a gradient-descent update)."""

    function: str
    wrt: str
    template: str | None = None


@dataclass(frozen=True)
class AnticipatedError:
    """A known wrong answer and the feedback to give when an answer is equivalent to it."""

    answer: str
    feedback: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question type has. Subclasses are registered by their ``type`` name."""

    type_name: ClassVar[str] = ""
    id: str
    points: float
    prompt: str
    context: ContextSpec = ContextSpec()
    anticipated_errors: tuple[AnticipatedError, ...] = ()
    attempts_allowed: int | None = None
    due: datetime | None = None   # the question's own or the assignment's (grader.assignments.due)
    late: str = "accept"

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Constructor arguments for the type's own fields (the common ones are done for it)."""
        return {}


QUESTION_TYPES: dict[str, type[Question]] = {}
Q = TypeVar("Q", bound=type[Question])


def register(name: str) -> Callable[[Q], Q]:
    """Class decorator adding a question type to ``QUESTION_TYPES``."""

    def deco(cls: Q) -> Q:
        cls.type_name = name
        QUESTION_TYPES[name] = cls
        return cls

    return deco


def _text(x: Any) -> str:
    return str(x) if not isinstance(x, bool) else str(x).lower()


def _derivative(raw: Mapping[str, Any] | None) -> Derivative | None:
    if raw is None:
        return None
    return Derivative(_text(raw["function"]), raw["wrt"], raw.get("template"))


@register("expression")
@dataclass(frozen=True, kw_only=True)
class ExpressionQuestion(Question):
    """An expression answer; the key is written out or computed as a derivative."""

    key: str | None = None
    derivative_of: Derivative | None = None
    check_against: Derivative | None = None

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "key": None if raw.get("key") is None else _text(raw["key"]),
            "derivative_of": _derivative(raw.get("derivative_of")),
            "check_against": _derivative(raw.get("check_against")),
        }


@dataclass(frozen=True)
class Case:
    """One region of a piecewise key."""

    value: str
    when: str


@register("piecewise")
@dataclass(frozen=True, kw_only=True)
class PiecewiseQuestion(Question):
    """A piecewise answer; each region is worth an equal share of the points."""

    cases: tuple[Case, ...] = ()
    check_against: Derivative | None = None

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "cases": tuple(Case(_text(c["value"]), c["when"]) for c in raw["cases"]),
            "check_against": _derivative(raw.get("check_against")),
        }


@register("number")
@dataclass(frozen=True, kw_only=True)
class NumberQuestion(Question):
    """A number, right within ``context.tolerance`` (relative; the engine's default 1e-6)."""

    value: str = "0"

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {"value": _text(raw["value"])}


@dataclass(frozen=True)
class LimitOf:
    """lim_{variable -> to} expression, which the value must equal (checked by lint)."""

    expression: str
    variable: str
    to: str


@register("limit")
@dataclass(frozen=True, kw_only=True)
class LimitQuestion(Question):
    """The value of a limit (compared exactly); optionally with the limit it comes from."""

    value: str = "0"
    limit_of: LimitOf | None = None

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        lo = raw.get("limit_of")
        return {
            "value": _text(raw["value"]),
            "limit_of": None if lo is None else LimitOf(_text(lo["expression"]), lo["variable"], _text(lo["to"])),
        }


@dataclass(frozen=True)
class Row:
    """One row of a Wengert list: ``name = expr`` (over earlier names) with its value."""

    name: str
    expr: str
    value: str | None = None


@register("ad_table")
@dataclass(frozen=True, kw_only=True)
class AdTableQuestion(Question):
    """One part of a reverse-mode AD table of ``function`` at ``point``.

    ``part`` is ``forward`` (the student's Wengert list and its values) or ``adjoint`` (the
    adjoints, over the graph given in the ``graph_from`` question's answer).
    """

    function: str = ""
    inputs: tuple[str, ...] = ()
    point: tuple[tuple[str, float], ...] = ()
    part: str = "forward"
    graph_from: str | None = None
    key_rows: tuple[Row, ...] = ()
    key_adjoints: tuple[tuple[str, str], ...] = ()

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        key = raw.get("key") or {}
        return {
            "function": _text(raw["function"]),
            "inputs": tuple(raw["inputs"]),
            "point": tuple((k, float(v)) for k, v in raw["point"].items()),
            "part": raw["part"],
            "graph_from": raw.get("graph_from"),
            "key_rows": tuple(
                Row(r["name"], _text(r["expr"]), None if r.get("value") is None else _text(r["value"]))
                for r in key.get("rows", ())
            ),
            "key_adjoints": tuple((k, _text(v)) for k, v in (key.get("adjoints") or {}).items()),
        }


@register("free_text")
@dataclass(frozen=True, kw_only=True)
class FreeTextQuestion(Question):
    """An explanation: never auto-graded; it waits for an instructor, with an optional rubric."""

    rubric: tuple[str, ...] = ()
    sample_answer: str | None = None

    @classmethod
    def specific(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        rubric = raw.get("rubric") or ()
        return {
            "rubric": (rubric,) if isinstance(rubric, str) else tuple(rubric),
            "sample_answer": raw.get("sample_answer"),
        }


@dataclass(frozen=True)
class AssignmentSpec:
    """A whole assignment, its questions in order, and the file it came from."""

    id: str
    title: str
    questions: tuple[Question, ...]
    course: str | None = None
    description: str | None = None
    due: datetime | None = None
    late: str = "accept"
    source: str = "<memory>"
    # A parameterised file (``grader.assignments.variants``): its spec, and the values these
    # questions were instantiated with (the file's reference variant when loaded).
    variants: Any = field(default=None, compare=False, hash=False, repr=False)
    variant: Any = field(default=None, compare=False, hash=False, repr=False)
    _index: dict[str, Question] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError when absent)."""
        return self._index[question_id]

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)
