"""The speed-ups of ``grader check`` do the same work cheaper: every memo and every vectorised
helper gives exactly what the plain computation gives (issue 9: median under 2 ms per answer)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from grader.engine.context import GradingContext
from grader.engine.equivalence import _discrete_cases
from grader.engine.errors import LimitExceeded
from grader.engine.limits import Limits
from grader.engine.numeric_recheck import DEEP, EPS, Watch, spread
from grader.engine.numeric_values import median
from grader.engine.parsing import parse
from grader.engine.piecewise_compare import mp_scale, row_scale
from grader.engine.sampling import Sampler
from grader.engine.tape import Tape
from grader.engine.tape_sympy import free_symbols

x, w = sp.symbols("x w", real=True)


def test_one_tape_per_expression_and_inputs_but_exact_numbers_stay_apart():
    assert Tape.from_expr(x**2 + w, [x, w]) is Tape.from_expr(x**2 + w, [x, w])
    assert Tape.from_expr(x**2 + w, [w, x]) is not Tape.from_expr(x**2 + w, [x, w])
    # 2.0 is not 2, nor 0.1 at another precision: each gets its own tape
    as_float, as_int = Tape.from_expr(sp.Float(2.0) * x, [x]), Tape.from_expr(2 * x, [x])
    assert as_float is not as_int
    assert [r.const for r in as_float.rows if r.op == "const"] == [sp.Float(2.0)]
    assert [r.const for r in as_int.rows if r.op == "const"] == [sp.Integer(2)]


def test_remembered_mpmath_sweeps_equal_fresh_ones_and_tell_a_float_from_its_decimal():
    expr = sp.exp(x) / (1 + x**2)
    tape = Tape.from_expr(expr, [x])
    first = tape.forward({"x": 0.1}, backend="mpmath", prec=200)
    again = tape.forward({"x": 0.1}, backend="mpmath", prec=200)
    assert again == first and again is not first
    fresh = Tape._build(expr, ["x"]).forward({"x": 0.1}, backend="mpmath", prec=200)
    assert again == fresh
    # the decimal 1/10 and the double nearest 0.1 are different points
    decimal = tape.forward({"x": Fraction(1, 10)}, backend="mpmath", prec=200)
    assert decimal[-1] != first[-1]
    with mpmath.workprec(200):
        assert decimal[-1] == mpmath.exp(mpmath.mpf(1) / 10) / (1 + (mpmath.mpf(1) / 10) ** 2)
    # another precision is another sweep
    assert tape.forward({"x": 0.1}, backend="mpmath", prec=300)[-1] != first[-1]


def test_free_symbols_memo_matches_sympy():
    e = sp.sin(x) * w + 3
    assert free_symbols(e) == e.free_symbols
    assert free_symbols(sp.Integer(3)) == frozenset()


def _row_scale_plain(rows, n, which=None):
    scale = np.zeros(n)
    for i in (range(len(rows)) if which is None else which):
        v = rows[i]
        if isinstance(v, (bool, np.bool_)) or np.asarray(v).dtype == bool:
            continue
        a = np.abs(np.broadcast_to(np.asarray(v, dtype=float), (n,)))
        scale = np.maximum(scale, np.where(np.isfinite(a), a, 0.0))
    return scale


def test_row_scale_matches_the_row_by_row_rule():
    rng = np.random.default_rng(3)
    n = 50
    rows = [rng.normal(size=n) * 1e3, np.full(n, np.inf), 2.5, rng.normal(size=n) > 0,
            np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)), -7.0, True]
    assert np.array_equal(row_scale(rows, n), _row_scale_plain(rows, n))
    assert np.array_equal(row_scale(rows, n, [0, 4]), _row_scale_plain(rows, n, [0, 4]))
    assert np.array_equal(row_scale([True], n), np.zeros(n))


def test_mp_scale_is_the_largest_finite_magnitude():
    rows = [mpmath.mpf(-3), mpmath.inf, mpmath.nan, 2, True, mpmath.mpf("1e-5")]
    assert mp_scale(rows) == 3
    assert mp_scale(rows, [3, 5]) == 2


def _saturated_plain(watch, rows, n):
    out = np.full(n, -1.0)
    with np.errstate(all="ignore"):
        for i, args in watch.sums:
            total = np.abs(np.broadcast_to(np.asarray(rows[i], dtype=float), (n,)))
            for j in args:
                t = np.abs(np.broadcast_to(np.asarray(rows[j], dtype=float), (n,)))
                absorbed = (t > 0) & (t < EPS * total)
                if absorbed.any():
                    out = np.where(absorbed, np.maximum(out, np.log2(total / np.where(t > 0, t, 1.0))), out)
        for i, op in watch.growing:
            v = np.abs(np.broadcast_to(np.asarray(rows[i], dtype=float), (n,)))
            out = np.where(np.isinf(v) | ((v < 1e-290) & ((v > 0) | (op == "exp"))), DEEP, out)
    return out


@pytest.mark.parametrize("expr", [1 / (1 + sp.exp(-x)), sp.exp(-x**2) + x * w, sp.exp(x) * w + x**3 - 1])
def test_saturation_watch_matches_the_row_by_row_rule(expr):
    tape = Tape.from_expr(expr, [x, w])
    pts = {"x": np.array([-800.0, -40.0, -1.0, 0.5, 30.0, 40.0, 800.0]),
           "w": np.array([1e-30, 1.0, -2.0, 1e20, 0.0, 3.0, 1.0])}
    rows = tape.forward(pts)
    watch = Watch(tape)
    assert np.array_equal(watch.saturated(rows, 7), _saturated_plain(watch, rows, 7))


def _spread_plain(candidates, label, per_label, cap):
    chosen = []
    for lab in np.unique(label[candidates]):
        mine = candidates[label[candidates] == lab]
        chosen += [int(i) for i in mine[:: max(1, len(mine) // per_label)][:per_label]]
        if len(chosen) >= cap:
            break
    return chosen[:cap]


@pytest.mark.parametrize("seed", range(8))
def test_spread_matches_one_mask_per_label(seed):
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 1 + seed * 3, size=300)
    candidates = np.sort(rng.choice(300, size=rng.integers(0, 200), replace=False))
    for per_label, cap in ((1, 12), (2, 12), (4, 16), (3, 1000)):
        assert spread(candidates, label, per_label, cap) == _spread_plain(candidates, label, per_label, cap)


def test_discrete_cases_are_counted_before_they_are_built():
    ctx = GradingContext.from_json({"domain": {"a": {"values": [0, 1]}, "b": {"values": [1, 2]},
                                               "c": {"values": list(range(100))}}})
    a, b, c = sp.symbols("a b c", real=True)
    assert _discrete_cases((a + b,), ctx) == [{a: 0, b: 1}, {a: 0, b: 2}, {a: 1, b: 1}, {a: 1, b: 2}]
    assert _discrete_cases((a + b + c,), ctx) == [{}]


def test_discrete_combinations_are_shared_and_read_only():
    domain = GradingContext.from_json({"domain": {"y": {"values": [0, 1]}, "k": {"values": [1, 2, 3]}}}).domain
    one = Sampler(["k", "y"], domain, np.random.default_rng(0))
    two = Sampler(["k", "y"], domain, np.random.default_rng(1))
    assert one._combos is two._combos and not one._combos.flags.writeable
    assert one.exhaustive()["k"].tolist() == [1, 1, 2, 2, 3, 3]
    drawn = one.draw(6)
    drawn["k"][:] = 0  # the draws are the caller's own arrays
    assert two.exhaustive()["k"].tolist() == [1, 1, 2, 2, 3, 3]


def test_deferred_literals_are_still_bounded():
    assert parse("x^2 + 2x").expr == x**2 + 2 * x
    # a literal under a symbol is sized only when it could pass the limit: then at once
    tight = Limits(max_magnitude=900, max_digits=1000)
    with pytest.raises(LimitExceeded):
        parse("x * 1" + "0" * 905, limits=tight)
    loose = Limits(max_digits=1000)
    assert parse("x * 1" + "0" * 905, limits=loose).expr == x * 10**905
    with pytest.raises(LimitExceeded):
        parse("x + 10^20000")


@pytest.mark.parametrize("values", [[3.0], [1.0, 2.0], [5.0, -1.0, 2.0, 8.0], [1e308, 1e308], [np.inf, 1.0, 2.0],
                                    [np.nan, 1.0], [], list(np.random.default_rng(0).normal(size=101))])
def test_median_is_numpys(values):
    arr = np.asarray(values, dtype=float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # numpy warns on an empty array; the value is what counts
        expected, got = float(np.median(arr)), median(arr)
    assert got == expected or (np.isnan(got) and np.isnan(expected))


def test_contexts_are_shared_by_canonical_json_and_bad_ones_fail_every_time():
    from grader.engine.check import context_from_json
    from grader.engine.errors import ContextError

    one = context_from_json({"domain": {"x": [-1, 2]}, "tolerance": 1e-6})
    assert context_from_json({"tolerance": 1e-6, "domain": {"x": [-1, 2]}}) is one
    assert context_from_json({"domain": {"x": [-1, 2.5]}, "tolerance": 1e-6}) is not one
    assert one == GradingContext.from_json({"domain": {"x": [-1, 2]}, "tolerance": 1e-6})
    for _ in range(2):
        with pytest.raises(ContextError):
            context_from_json({"domain": {"x": [2, -1]}})


def test_the_keys_written_form_is_made_once_per_question_and_context():
    from grader.engine.equivalence import _written, compare

    ctx = GradingContext.from_json({"definitions": {"p": "1/(1+exp(-x))"}, "domain": {"x": [-3, 3]}})
    p = sp.Symbol("p", real=True)
    key = parse("sqrt(p)", names=ctx.names)
    first = _written(key.expr, key.guards, ctx, frozenset(), frozenset({"p"}))
    assert _written(key.expr, key.guards, ctx, frozenset(), frozenset({"p"})) is first
    assert first[0] == sp.sqrt(1 / (1 + sp.exp(-x)))
    # another context is another key: nothing carries over
    other = GradingContext.from_json({"definitions": {"p": "x^2"}, "domain": {"x": [-3, 3]}})
    assert _written(key.expr, key.guards, other, frozenset(), frozenset({"p"}))[0] == sp.sqrt(x**2)
    assert compare(key.expr, sp.sqrt(p), context=ctx, key_guards=key.guards).verdict.value == "correct"


def test_a_context_with_a_key_that_is_not_text_does_not_share_a_valid_contexts_entry() -> None:
    """JSON writes the key None as "null": the memo answered the valid context {"null": ...}
    for a context whose domain names no symbol, which must be refused every time."""
    from grader.engine.check import context_from_json
    from grader.engine.errors import ContextError

    assert "null" in context_from_json({"domain": {"null": [0, 1]}}).names.symbols
    with pytest.raises(ContextError):
        context_from_json({"domain": {None: [0, 1]}})
