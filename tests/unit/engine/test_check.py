"""check_answer end to end: the seed's answers, allowed symbols, hostile input, cache, determinism."""

from __future__ import annotations

import time

import pytest

from grader.engine import GradingContext, Limits, Verdict, VerdictCache, check_answer
from grader.engine.check import check_json
from grader.engine.errors import ContextError

DEFS = {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i", "logistic(u)": "1/(1+exp(-u))"}
DOM01 = {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}
Q1 = GradingContext.from_json({"definitions": DEFS, "domain": DOM01})
Q1C = GradingContext.from_json({"definitions": DEFS, "domain": DOM01, "allowed": ["p_i"]})
Q2 = GradingContext.from_json({"definitions": {"a_i": "w*x_i"},
                               "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [-1, 1]}}})

K1A, K1B, K1C = "2*p_i - 2*y_i", "exp(-a_i)/(1+exp(-a_i))**2", "p_i*(1-p_i)"
K1E = "(2*p_i - 2*y_i)*exp(-a_i)*p_i**2*x_i"
K2B = "Piecewise((-y_i*x_i + 2*w, y_i*a_i < 1), (2*w, True))"

SEED = [
    # (key, answer, context, verdict)
    (K1A, r"\boxed{2p_i - 2y_i}", Q1, "correct"),
    (K1A, r"\frac{dl_i}{dp_i} = 2(y_i - p_i)(-1) = \boxed{2p_i - 2y_i}", Q1, "correct"),
    (K1B, r"\frac{1}{(1 + e^{-a_i})^2} (0 + e^{-a_i})", Q1, "correct"),
    (K1B, r"\frac{e^{-a_i}}{(1 + e^{-a_i})^2}", Q1, "correct"),
    (K1C, "p_i(1-p_i)", Q1C, "correct"),
    ("x_i", r"\boxed{x_i}", Q1, "correct"),
    (K1E, r"2p_i^3 e^{-a_i} x_i - 3p_i^2 e^{-a_i} y_i x_i", Q1, "incorrect"),   # the seed's slip
    (K1E, r"(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)", Q1, "correct"),
    ("0", r"2(0)^3 e^{-a_i} x_i - 3(0)^2 e^{-a_i} (1) x_i", Q1, "correct"),
    ("Piecewise((-y_i, y_i*a_i < 1), (0, True))",
     r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}", Q2, "correct"),
    (K2B, r"\begin{cases} -y_i x_i + 2w & , \text{ if } y_i a_i < 1 \\ 2w & , \text{ if } y_i a_i > 1 \end{cases}",
     Q2, "correct"),
    ("-24/5", "-4.8", None, "correct"),
    ("-16", r"-\frac{1}{(0.25)^2}", None, "correct"),
    ("-7", "1 - 0.5/(0.25)^2", None, "correct"),
]


@pytest.mark.parametrize("key,answer,ctx,verdict", SEED)
def test_seed_answers(key, answer, ctx, verdict):
    r = check_answer(key, answer, context=ctx, cache=None)
    assert r.verdict.value == verdict, r.feedback


def test_allowed_names_the_offending_symbols():
    r = check_answer(K1C, "exp(-a_i)/(1+exp(-a_i))^2", context=Q1C, cache=None)
    assert r.verdict is Verdict.INCORRECT and r.method == "allowed"
    assert r.feedback == "Your answer uses a_i; express it using only p_i."
    r = check_answer(K1C, "p_i*(1-p_i)*w*x_i/a_i", context=Q1C, cache=None)
    assert "a_i, w, x_i" in r.feedback


HOSTILE = ["9**9**9**9", "10^10^10", "((9**9)**9999)**9999", "factorial(10**7)", "(x+1)**100000",
           "1" * 5000, "(" * 5000 + "x" + ")" * 5000, "x+" * 50000 + "x", "__import__('os')",
           "sin('x')", "().__class__.__base__", r"\input{/etc/passwd}", r"\def\x{1}", r"\write18{ls}",
           "x\x00", "", "   ", "2p_i -* "]


@pytest.mark.parametrize("answer", HOSTILE, ids=[repr(h[:20]) for h in HOSTILE])
def test_hostile_input_is_invalid_fast(answer):
    t = time.perf_counter()
    r = check_answer(K1A, answer, context=Q1, cache=None)
    assert r.verdict is Verdict.INVALID and r.method == "parse" and r.feedback
    assert time.perf_counter() - t < 2.0  # a hang guard, not a speed test: the figures are in benchmarks/check_bench.py


def test_unreadable_key_is_undetermined_not_the_students_fault():
    r = check_answer("2p_i -* ", "x", cache=None)
    assert r.verdict is Verdict.INVALID and r.method == "undetermined"
    assert "expected answer cannot be read" in r.feedback


def test_expected_as_plain_numbers():
    assert check_answer(-7, "-7.0", cache=None).verdict is Verdict.CORRECT
    assert check_answer(4.3, "43/10", cache=None).verdict is Verdict.CORRECT
    assert check_answer(4.3, "4.31", cache=None).verdict is Verdict.INCORRECT


def test_repeated_answer_comes_from_the_cache():
    cache = VerdictCache(maxsize=8)
    first = check_answer(K1E, "2p_i(1-p_i)(p_i-y_i)x_i", context=Q1, cache=cache)
    again = check_answer(K1E, "2*p_i*(1-p_i)*(p_i-y_i)*x_i", context=Q1, cache=cache)  # typed differently
    assert again is first and cache.hits == 1  # the same object: nothing recomputed (speed: benchmarks/)
    cache.clear()
    assert len(cache) == 0


def test_cache_is_bounded_and_keyed_by_question():
    cache = VerdictCache(maxsize=2)
    for ans in ("x", "2*x", "3*x"):
        check_answer("x", ans, cache=cache)
    assert len(cache) == 2
    a = check_answer("x", "x", cache=cache)
    b = check_answer("2*x", "x", cache=cache)
    assert a.verdict is Verdict.CORRECT and b.verdict is Verdict.INCORRECT


@pytest.mark.parametrize("seed", [0, 3])
def test_deterministic_for_a_seed(seed):
    args = (K1E, "2(p_i - y_i)p_i(1-p_i)")
    r1 = check_answer(*args, context=Q1, seed=seed, cache=None)
    r2 = check_answer(*args, context=Q1, seed=seed, cache=None)
    assert r1 == r2 and r1.witness is not None


def test_deadline_is_respected():
    limits = Limits(answer_time_s=0.2, symbolic_time_s=0.1)
    t = time.perf_counter()
    check_answer("(x+1)**30 - 1", "((x+1)**15)**2 - 1", limits=limits, cache=None)
    assert time.perf_counter() - t < 1.0


def test_check_json_validates_fields():
    assert check_json({"expected": "x", "answer": "x"}).verdict is Verdict.CORRECT
    for bad in ({"answer": "x"}, {"expected": "x"}, {"expected": "x", "answer": 3},
                {"expected": True, "answer": "x"}, {"expected": "x", "answer": "x", "syntax": "tex"}):
        with pytest.raises(ValueError):
            check_json(bad)
    with pytest.raises(ContextError):
        check_json({"expected": "x", "answer": "x", "context": {"tolerance": 5}})


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("(2p_i - 2y_i", "unbalanced parenthesis at column 1"),
        ("2p_i)", "unbalanced parenthesis at column 5"),
        ("2p_i -* ", "at column 7"),
        ("foo(x)", "unknown function foo at column 1"),
    ],
)
def test_invalid_feedback_says_what_and_where(answer: str, message: str) -> None:
    result = check_answer("2*p_i - 2*y_i", answer, cache=None)
    assert result.verdict is Verdict.INVALID
    assert message in result.feedback
