"""An answer is parsed once per process (grader.engine.parsing.api._PARSES), however many times
grading reads it; the memo never mixes up names, syntax or limits."""

from __future__ import annotations

import dataclasses

import pytest

from grader.engine.errors import ParseError
from grader.engine.limits import DEFAULT_LIMITS
from grader.engine.parsing import NameContext, parse


def test_the_same_answer_is_parsed_once() -> None:
    first = parse("2(p_i - y_i) \\cdot x_{i}")
    assert parse("2(p_i - y_i) \\cdot x_{i}") is first


def test_names_syntax_and_limits_are_part_of_the_memo() -> None:
    plain = parse("wx")
    named = parse("wx", names=NameContext(symbols=frozenset({"wx"})))
    assert str(plain.expr) == "w*x" and str(named.expr) == "wx"
    assert parse("f(x)", names=NameContext(functions={"f": 1})).expr != parse("f(x)").expr
    assert parse("x^2", syntax="text") is not parse("x^2", syntax="latex")
    tight = dataclasses.replace(DEFAULT_LIMITS, max_length=3)
    assert parse("x + 1").expr is not None
    with pytest.raises(ParseError):
        parse("x + 1", limits=tight)


def test_a_refused_answer_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ParseError):
            parse("2(x")
