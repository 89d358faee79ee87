"""Every kind of computed feedback, read as a student reads it: the whole sentence, no sympy
internals, and a witness that checks out when the printed point is typed back (exact arithmetic)."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from grader.engine.context import GradingContext
from grader.engine.equivalence import compare
from grader.engine.feedback import fmt
from grader.engine.results import Verdict


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


w, x, y, z = R("w"), R("x_i"), R("y_i"), R("z")
CTX = GradingContext.from_json({"domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}})
KEY = 2 * (w - y) * x
POINT = r"at (?P<point>w=\S+, x_i=\S+, y_i=[01]) your answer is (?P<a>\S+), expected (?P<e>[^\s;]+)"
INTERNALS = re.compile(r"\b(zoo|nan|oo|inf|I|AccumBounds|Dummy|Float)\b|\*\*|e-\d\d")

CASES = [
    ("sign", -KEY, r"Sign error: your answer is the negative of the expected answer; " + POINT),
    ("constant factor", 3 * KEY / 2, r"Off by a factor of 3/2 \(your answer is 3/2 times the expected answer\); "
                                     + POINT),
    ("additive constant", KEY - sp.Rational(1, 2),
     r"Off by an additive constant: your answer is the expected answer - 1/2; " + POINT),
    ("additive decimal", KEY + sp.sqrt(2), r"Off by an additive constant: your answer is the expected answer "
                                           r"\+ 1\.414; " + POINT),
    ("extra factor", KEY * w, r"Your answer has an extra factor of w; " + POINT),
    ("missing factor", KEY / x, r"Your answer has a missing factor of x_i; " + POINT),
    ("power factor", KEY * x**2, r"Your answer has an extra factor of x_i\^2; " + POINT),
    ("simplified ratio", KEY * x**3, r"Your answer is x_i\^3 times the expected answer; " + POINT),
    ("other factor", KEY * (w + 1), r"Your answer is off by a factor that is not a constant \(it depends on w\); "
                                    + POINT),
    ("extra symbol", KEY + z, r"Your answer uses z, which the expected answer does not; at w=\S+, x_i=\S+, "
                              r"y_i=[01], z=\S+ your answer is \S+, expected \S+"),
    ("plain difference", KEY + x * w, POINT.replace("at", "At", 1)),
    ("tiny difference", KEY + sp.exp(-40) * x,
     POINT.replace("at", "At", 1) + r" \(they differ by -?\d\.\d+e-\d+\)"),
]


@pytest.mark.parametrize("kind,answer,sentence", CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_wrong_reads_as_one_sentence(kind: str, answer: sp.Expr, sentence: str) -> None:
    r = compare(KEY, answer, context=CTX, seed=3)
    assert r.verdict is Verdict.INCORRECT
    m = re.fullmatch(sentence, r.feedback)
    assert m, r.feedback
    if kind == "tiny difference":
        return   # its values print alike on purpose: the "differ by" part carries the difference
    assert not INTERNALS.search(r.feedback), r.feedback
    if "point" in m.groupdict():
        at = m.group("point")
        exact_a, exact_e = answer.subs(_subs(at)), KEY.subs(_subs(at))
        assert exact_a != exact_e                        # typed back, the answers still differ
        assert fmt(float(exact_a)) == m.group("a") and fmt(float(exact_e)) == m.group("e")


def _subs(point: str) -> dict[sp.Symbol, sp.Rational]:
    return {R(k): sp.Rational(v) for k, v in (kv.split("=") for kv in point.split(", "))}


def test_a_wrong_region_is_named() -> None:
    ctx = GradingContext.from_json({"domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [-1, 1]}}})
    key = sp.Piecewise((-y, y * w * x < 1), (0, True))
    r = compare(key, sp.Piecewise((y, y * w * x < 1), (0, True)), context=ctx)
    assert re.fullmatch(r"Wrong when w\*x_i\*y_i < 1; at w=\S+, x_i=\S+, y_i=-?1 your answer is \S+, expected \S+",
                        r.feedback), r.feedback


def test_every_region_wrong_is_said_so() -> None:
    key = sp.Piecewise((x, x < 0), (2 * x, True))
    r = compare(key, sp.Piecewise((x + 1, x < 0), (2 * x + x**2, True)),
                context=GradingContext.from_json({"domain": {"x_i": [-3, 3]}}))
    assert re.fullmatch(r"Wrong in every region \(x_i < 0; x_i >= 0\); at x_i=\S+ your answer is \S+, "
                        r"expected \S+", r.feedback), r.feedback


def test_an_undefined_answer_names_the_point() -> None:
    r = compare(sp.log(x**2), 2 * sp.log(x), context=GradingContext.from_json({"domain": {"x_i": [-3, 3]}}))
    m = re.fullmatch(r"Your answer is undefined at x_i=(-[\d.]+), where the expected answer is (\S+)", r.feedback)
    assert m, r.feedback
    assert m.group(2) == fmt(float(sp.log(sp.Rational(m.group(1)) ** 2)))


def test_a_number_is_compared_without_a_point() -> None:
    r = compare(sp.Rational(-24, 5), sp.Rational(-479, 100), inexact=True)
    assert r.feedback == "Your answer is -4.79, expected -4.8"


@pytest.mark.parametrize("value,text", [(float("inf"), "too large to compute"), (float("nan"), "undefined"),
                                        (2.0, "2"), (0.123456, "0.1235")])
def test_numbers_in_sentences(value: float, text: str) -> None:
    assert fmt(value) == text
