"""Syntax help shown next to each answer, per question type: examples a student can copy.

Every example here is read by our parser in ``tests/unit/web/test_answer_help.py``, so the help
never shows something the grader then refuses. No Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Example:
    """One way of writing an answer: what it shows, and the text to type."""

    what: str
    text: str


@dataclass(frozen=True)
class Help:
    """The help of one question type: a title, examples, and short notes."""

    title: str
    examples: tuple[Example, ...]
    notes: tuple[str, ...] = ()


_EXPRESSION = Help("Typing a formula", (
    Example("text", "2*(p_i - y_i)*p_i*(1 - p_i)*x_i"),
    Example("LaTeX", r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}"),
    Example("a subscript and a power", "p_i^2 (1 - p_i)"),
    Example("a worked chain: the boxed part is graded", r"2(y_i - p_i)(-1) = \boxed{2p_i - 2y_i}"),
), ("Write p_i, not p: a symbol without its subscript is another symbol.",
    "exp(-a_i) and e^{-a_i} are the same; so are 2x_i and 2*x_i."))

_PIECEWISE = Help("Typing a piecewise answer or an update rule", (
    Example("LaTeX cases", r"\begin{cases} -y_i & y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}"),
    Example("with otherwise", r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & \text{otherwise} \end{cases}"),
    Example("text", "Piecewise((-y_i, y_i*a_i < 1), (0, y_i*a_i > 1))"),
    Example("an update rule", r"w \leftarrow w - \eta(2w - y_i x_i)"),
    Example("an update rule with cases",
            r"w \leftarrow \begin{cases} w + \eta x_i - 2\eta w & y_i a_i < 1 \\ w - 2\eta w & y_i a_i > 1 \end{cases}"),
), ("One row per case: value & condition, rows separated by \\\\.",
    "Words such as 'if ... else' between cases are not read: use cases or Piecewise."))

_NUMBER = Help("Typing a number or a limit", (
    Example("a number", "0"),
    Example("a fraction", "1/2"),
    Example("LaTeX", r"\frac{3}{4}"),
), ("Give the value itself, not the limit: 0, not \\lim_{p \\to 0} ...",
    "Symbols left in the answer make it not a number."))

_AD_TABLE = Help("Filling in an AD table", (
    Example("a row's name", "v_1"),
    Example("an operation on earlier rows", "v_{-2} v_{-1}"),
    Example("a reciprocal", r"\frac{1}{v_2}"),
    Example("a value", "0.15"),
    Example("a value as a fraction", "1/4"),
), ("The input rows v_{-2}, v_{-1}, v_0 are filled in for you.",
    "One operation per row, using only rows above it; a last row y = v_4 marks the output.",
    "Each cell is checked as you type; every problem of the table is listed under it."))

_FREE_TEXT = Help("Writing an explanation", (), (
    "Plain sentences; formulas may be written in LaTeX between $ signs, like $p_i = 0$.",
    "An instructor reads and grades it."))

HELP: dict[str, Help] = {"expression": _EXPRESSION, "piecewise": _PIECEWISE, "number": _NUMBER,
                         "limit": _NUMBER, "ad_table": _AD_TABLE, "free_text": _FREE_TEXT}


def help_for(question: Mapping[str, Any]) -> Help:
    """The help for a question (its type's; a formula's when the type is unknown)."""
    return HELP.get(str(question.get("type", "expression")), _EXPRESSION)
