"""The independent truth behind corpus 3 (tests/corpus/corpus3_truth.py) follows the rules it states."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "corpus" / "corpus3_truth.py"
_spec = importlib.util.spec_from_file_location("corpus3_truth", _PATH)
truth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(truth)


def judge(key, ans, domain, breaks=None, *, tolerant=False, edge_ok=False):
    return truth.judge(key, ans, domain, breaks or {}, "t", tolerant=tolerant, edge_ok=edge_ok)


def test_an_answer_undefined_where_the_key_is_defined_is_incorrect():
    verdict, why = judge(lambda x: x, lambda x: truth.sqrt(x) ** 2, {"x": [-3, 3]})
    assert verdict == "incorrect" and "undefined at x = -3" in why
    assert judge(lambda x: x, lambda x: truth.sqrt(x) ** 2, {"x": [0.1, 3]})[0] == "correct"


def test_points_where_the_key_is_undefined_are_skipped():
    assert judge(lambda x: 2 * truth.ln(x), lambda x: truth.ln(x ** 2), {"x": [-3, 3]})[0] == "correct"


def test_a_difference_at_a_single_point_is_left_to_a_human():
    with pytest.raises(truth.Edge, match="measure-zero"):
        judge(lambda x: x, lambda x: truth.pw((0, x == 1), (x, True)), {"x": [-3, 3]}, {"x": [1]})


def test_a_difference_on_a_thin_interval_is_found_with_its_breakpoints():
    verdict, why = judge(lambda x: x, lambda x: truth.pw((0, abs(x - 1) < truth.rat(1, 10**6)), (x, True)),
                         {"x": [-3, 3]}, {"x": [1]})
    assert verdict == "incorrect" and "x = 1" in why


def test_near_the_tolerance_the_generator_refuses_to_guess():
    with pytest.raises(truth.Edge, match="tolerance"):
        judge(lambda x: x, lambda x: x * truth.mpf("1.0000012"), {"x": [1, 2]}, tolerant=True)
    assert judge(lambda x: x, lambda x: x * truth.mpf("1.0000012"), {"x": [1, 2]}, tolerant=True,
                 edge_ok=True)[0] == "incorrect"


def test_exact_input_counts_any_difference_above_the_300_digit_noise():
    assert judge(lambda x: x, lambda x: x + truth.mpf(10) ** -40, {"x": [1, 2]})[0] == "incorrect"
    assert judge(lambda x: x, lambda x: x + truth.mpf(10) ** -40, {"x": [1, 2]}, tolerant=True)[0] == "correct"


def test_every_discrete_combination_is_visited():
    dom = {f"s_{k}": {"values": [0, 1]} for k in range(12)}
    verdict, why = judge(lambda **s: sum(s.values()), lambda **s: sum(s.values()) + truth.mp.fprod(s.values()), dom)
    assert verdict == "incorrect" and "4096 points" in why


def test_without_a_domain_symbols_range_over_the_reals():
    assert judge(lambda x: truth.Max(0, x), lambda x: truth.Min(truth.Max(0, x), 6), {})[0] == "incorrect"
    with pytest.raises(truth.Edge, match="beyond"):
        judge(lambda x: x, lambda x: truth.Min(x, 5000), {})
