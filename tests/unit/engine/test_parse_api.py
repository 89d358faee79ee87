"""The public API as others code against it: names, types, frozen results, speed."""

from __future__ import annotations

import dataclasses
import statistics
import time

import pytest
import sympy

import grader.engine.parsing as parsing
from grader.engine.errors import ParseError
from grader.engine.limits import DEFAULT_LIMITS
from grader.engine.parsing import Member, NameContext, Parsed, parse



def _seed_answers() -> list[str]:
    """The seed table of test_parse_seed.py, loaded by path (tests here are not a package)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "_parse_seed_table", Path(__file__).with_name("test_parse_seed.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [answer for _, answer, _ in module.SEED]


def test_public_names_are_exported():
    assert set(parsing.__all__) == {"Member", "NameContext", "Parsed", "parse"}


def test_parse_signature_is_keyword_only_after_text():
    import inspect

    sig = inspect.signature(parse)
    assert list(sig.parameters) == ["text", "syntax", "names", "limits"]
    assert all(p.kind is p.KEYWORD_ONLY for name, p in sig.parameters.items() if name != "text")
    assert sig.parameters["syntax"].default == "auto"
    assert sig.parameters["names"].default is None
    assert sig.parameters["limits"].default is DEFAULT_LIMITS


def test_parsed_and_member_are_frozen_dataclasses():
    parsed = parse(r"x = \boxed{2x}")
    assert isinstance(parsed, Parsed) and isinstance(parsed.members[0], Member)
    assert [f.name for f in dataclasses.fields(Parsed)] == ["expr", "members", "syntax",
                                                           "inexact", "boxed", "guards"]
    assert [f.name for f in dataclasses.fields(Member)] == ["expr", "text", "column"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.boxed = False  # type: ignore[misc]
    assert isinstance(parsed.members, tuple)
    assert parsed.members[-1] == Member(2 * sympy.Symbol("x", real=True), r"\boxed{2x}", 5)


def test_name_context_defaults_and_frozen():
    names = NameContext()
    assert names.symbols == frozenset() and dict(names.functions) == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        names.symbols = frozenset({"x"})  # type: ignore[misc]
    assert NameContext(symbols={"a"}).symbols == frozenset({"a"})  # type: ignore[arg-type]


def test_syntax_can_be_forced():
    assert parse("x_i", syntax="latex").syntax == "latex"
    assert parse(r"\frac{1}{2}", syntax="text").expr == sympy.Rational(1, 2)


def test_parse_error_carries_message_and_column():
    with pytest.raises(ParseError) as info:
        parse("2*(p_i - y_i)) + 1")
    assert (info.value.message, info.value.column) == ("unbalanced parenthesis", 14)
    assert str(info.value) == "unbalanced parenthesis at column 14"


def test_typical_seed_answers_parse_in_well_under_5_ms():
    answers = _seed_answers()
    for answer in answers:
        parse(answer)
    times = []
    for answer in answers:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            parse(answer)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    assert statistics.median(times) < 0.005
    assert max(times) < 0.025
