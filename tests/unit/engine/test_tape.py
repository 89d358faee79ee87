"""The reverse-mode tape: structure, forward values, adjoints against sympy.diff, both backends."""

from __future__ import annotations

import math
import random
import zlib

import mpmath
import numpy as np
import pytest
import sympy as sp

from grader.engine.errors import EngineError
from grader.engine.tape import Tape

x, w, b, y, a = sp.symbols("x w b y a", real=True)


def test_seed_table_forward_and_adjoints():
    tape = Tape.from_expr(x + 1 / (w * x + b), [x, w, b])
    assert [r.op for r in tape.rows] == ["input", "input", "input", "mul", "add", "inv", "add"]
    assert [r.name for r in tape.rows[:3]] == ["x", "w", "b"]
    vals = tape.forward({"x": 0.3, "w": 0.5, "b": 0.1})
    assert vals == pytest.approx([0.3, 0.5, 0.1, 0.15, 0.25, 4.0, 4.3])
    adj = tape.adjoints({"x": 0.3, "w": 0.5, "b": 0.1})
    assert adj == pytest.approx([-7, -4.8, -16, -16, -16, 1, 1])
    assert tape.gradient({"x": 0.3, "w": 0.5, "b": 0.1}) == pytest.approx({"x": -7, "w": -4.8, "b": -16})


def test_rows_are_post_order_and_share_common_subexpressions():
    ea = sp.exp(-a)
    tape = Tape.from_expr(ea / (1 + ea) ** 2, [a])
    exps = [r for r in tape.rows if r.op == "exp"]
    assert len(exps) == 1
    for i, r in enumerate(tape.rows):
        assert all(j < i for j in r.args)
    assert tape.rows[-1].op == "mul"
    assert any(r.op == "powi" and r.const == -2 for r in tape.rows)


def test_input_order_and_unused_inputs():
    tape = Tape.from_expr(2 * y, [x, y, w])
    assert [r.name for r in tape.rows[:3]] == ["x", "y", "w"]
    assert tape.gradient({"x": 1.0, "y": 5.0, "w": 3.0}) == {"x": 0.0, "y": 2.0, "w": 0.0}


def test_expression_that_is_an_input_or_a_constant():
    assert Tape.from_expr(x, [x]).gradient({"x": 2.0}) == {"x": 1.0}
    t = Tape.from_expr(sp.Integer(3), [x])
    assert t.output({"x": np.array([1.0, 2.0])}).tolist() == [3.0, 3.0]
    assert t.gradient({"x": 1.0}) == {"x": 0.0}


@pytest.mark.parametrize("expr, err", [
    (sp.Function("f")(x), "undefined function"),
    (x + y, "free symbol y"),
    (sp.Integral(x, x), "unsupported"),
])
def test_unsupported_raises_engine_error(expr, err):
    with pytest.raises(EngineError, match=err):
        Tape.from_expr(expr, [x])


FUNCTIONS = [
    x * w + b, x ** 3 - 2 * x * w, 1 / x, x ** -3, sp.sqrt(x), x ** sp.Rational(3, 2), x ** w,
    2 ** x, sp.exp(-w * x), sp.log(x), sp.log(x, 2), sp.log(x * w + 3, 10), sp.sin(x * w),
    sp.cos(x) * sp.tan(w), sp.asin(x / 4), sp.acos(x / 4), sp.atan(x * w), sp.sinh(x),
    sp.cosh(w * x), sp.tanh(x - w), sp.Abs(x - w), sp.sign(x) * w, sp.Max(x, w, 1), sp.Min(x, w),
    sp.Heaviside(x - 1) * w, sp.exp(-x) / (1 + sp.exp(-x)) ** 2, (2 / (1 + sp.exp(-w * x)) - 2) * x,
    sp.pi * x + sp.E ** w, sp.Float("0.25") * x * w, sp.asinh(x), sp.atanh(x / 4),
]


def _random_points(n: int, seed: int) -> list[dict[str, float]]:
    rng = random.Random(seed)
    return [{"x": rng.uniform(0.2, 3), "w": rng.uniform(-2, 2), "b": rng.uniform(-2, 2)} for _ in range(n)]


@pytest.mark.parametrize("expr", FUNCTIONS, ids=str)
def test_gradient_matches_sympy_diff_numpy_and_mpmath(expr):
    syms = [x, w, b]
    tape = Tape.from_expr(expr, syms)
    for pt in _random_points(5, zlib.crc32(str(expr).encode())):
        subs = {s: sp.Float(pt[s.name], 30) for s in syms}
        want_val = complex(expr.subs(subs).evalf(30))
        if abs(want_val.imag) > 1e-12:  # outside the real domain: undefined on the tape
            assert math.isnan(tape.output(pt))
            assert mpmath.isnan(tape.output(pt, backend="mpmath"))
            continue
        assert tape.output(pt) == pytest.approx(want_val.real, rel=1e-9, abs=1e-12)
        grad = tape.gradient(pt)
        with mpmath.workdps(30):
            mgrad = tape.gradient(pt, backend="mpmath")
        for s in syms:
            want = complex(sp.diff(expr, s).subs(subs).evalf(30)).real
            assert grad[s.name] == pytest.approx(want, rel=1e-8, abs=1e-10), s
            assert isinstance(mgrad[s.name], mpmath.mpf)
            assert float(mgrad[s.name]) == pytest.approx(want, rel=1e-20, abs=1e-25), s


def test_vectorised_forward_and_gradient_match_pointwise():
    expr = sp.exp(-w * x) / (1 + sp.exp(-w * x)) ** 2 + sp.Max(x, w) * sp.log(x)
    tape = Tape.from_expr(expr, [x, w])
    rng = np.random.default_rng(0)
    xs, ws = rng.uniform(0.1, 3, 50), rng.uniform(-3, 3, 50)
    out = tape.output({"x": xs, "w": ws})
    grad = tape.gradient({"x": xs, "w": ws})
    assert out.shape == (50,) and grad["x"].shape == (50,) and grad["w"].shape == (50,)
    for i in range(50):
        pt = {"x": float(xs[i]), "w": float(ws[i])}
        assert out[i] == pytest.approx(tape.output(pt))
        g = tape.gradient(pt)
        assert grad["x"][i] == pytest.approx(g["x"]) and grad["w"][i] == pytest.approx(g["w"])


def test_undefined_values_are_nan_or_inf_in_numpy_without_warnings():
    pts = {"x": np.array([-1.0, 0.0, 4.0])}
    log = Tape.from_expr(sp.log(x), [x]).output(pts)
    assert math.isnan(log[0]) and log[1] == -math.inf and log[2] == pytest.approx(math.log(4))
    sq = Tape.from_expr(sp.sqrt(x), [x]).output(pts)
    assert math.isnan(sq[0]) and sq[2] == 2.0
    inv = Tape.from_expr(1 / x, [x]).output({"x": 0.0})
    assert math.isinf(inv)
    assert math.isnan(Tape.from_expr(sp.asin(x), [x]).output({"x": 2.0}))


def test_undefined_values_are_nan_in_mpmath():
    for expr, v in [(sp.log(x), -1), (sp.sqrt(x), -1), (sp.asin(x), 2), (x ** sp.Rational(1, 3), -8),
                    (sp.acosh(x), 0)]:
        out = Tape.from_expr(expr, [x]).output({"x": v}, backend="mpmath")
        assert mpmath.isnan(out), expr


def test_special_constants_become_nan_or_inf():
    assert math.isnan(Tape.from_expr(sp.zoo * x, [x]).output({"x": 1.0}))
    assert math.isnan(Tape.from_expr(sp.nan + x, [x]).output({"x": 1.0}))
    assert mpmath.isnan(Tape.from_expr(sp.zoo + x, [x]).output({"x": 1}, backend="mpmath"))
    assert Tape.from_expr(sp.oo + x, [x]).output({"x": 1.0}) == math.inf


def test_piecewise_selects_first_true_branch_and_nan_where_none_applies():
    pw = sp.Piecewise((-y * x, y * w * x < 1), (sp.Integer(0), y * w * x > 1))
    tape = Tape.from_expr(pw, [x, w, y])
    pts = {"x": np.array([0.5, 2.0, 1.0]), "w": np.array([1.0, 1.0, 1.0]), "y": 1.0}
    out = tape.output(pts)
    assert out[0] == -0.5 and out[1] == 0.0 and math.isnan(out[2])
    assert mpmath.isnan(tape.output({"x": 1, "w": 1, "y": 1}, backend="mpmath"))


def test_piecewise_adjoint_flows_into_the_chosen_branch_only():
    pw = sp.Piecewise((sp.sqrt(x) * w, x > 0), (w ** 2, True))
    tape = Tape.from_expr(pw, [x, w])
    g = tape.gradient({"x": np.array([4.0, -1.0]), "w": np.array([3.0, 3.0])})
    assert g["x"].tolist() == [pytest.approx(0.75), 0.0]  # sqrt(-1)'s nan never leaks into x
    assert g["w"].tolist() == [2.0, 6.0]
    gm = tape.gradient({"x": -1, "w": 3}, backend="mpmath")
    assert gm == {"x": 0, "w": 6}
    hinge = sp.Piecewise((-y * x + 2 * w, y * w * x < 1), (2 * w, True))
    gh = Tape.from_expr(hinge, [x, w, y]).gradient({"x": 0.5, "w": 0.5, "y": 1.0})
    assert gh == {"x": -1.0, "w": 2.0, "y": -0.5}


def test_conditions_and_or_not_eq_ne_and_true():
    cond = sp.Or(sp.And(x > 0, x <= 1), sp.Eq(x, 5))
    pw = sp.Piecewise((x, cond), (2 * x, sp.Not(x > 10) & sp.Ne(x, 7)), (3 * x, sp.true))
    tape = Tape.from_expr(pw, [x])
    xs = np.array([0.5, 5.0, 3.0, 7.0, 11.0, 1.0])
    assert tape.output({"x": xs}).tolist() == [0.5, 5.0, 6.0, 21.0, 33.0, 1.0]
    assert [float(tape.output({"x": v}, backend="mpmath")) for v in xs] == [0.5, 5.0, 6.0, 21.0, 33.0, 1.0]
    assert tape.gradient({"x": xs})["x"].tolist() == [1, 1, 2, 3, 3, 1]


def test_max_min_adjoints_go_to_the_chosen_argument():
    tape = Tape.from_expr(sp.Max(0, 1 - y * x) + w ** 2, [x, w, y])
    g = tape.gradient({"x": np.array([0.5, 2.0]), "w": 1.0, "y": 1.0})
    assert g["x"].tolist() == [-1.0, 0.0] and g["w"].tolist() == [2.0, 2.0]
    gm = Tape.from_expr(sp.Min(x, w, 3), [x, w]).gradient({"x": 1, "w": 2}, backend="mpmath")
    assert gm == {"x": 1, "w": 0}


def test_zero_adjoint_does_not_turn_infinite_partials_into_nan():
    # d/dx x*sqrt(x) at 0 is 0; naive reverse mode gives 0 * inf = nan.
    assert Tape.from_expr(x * sp.sqrt(x), [x]).gradient({"x": 0.0}) == {"x": 0.0}


def test_mpmath_uses_current_precision_and_restores_global_state():
    tape = Tape.from_expr(sp.log(1 + x) / x, [x])
    prec_before = mpmath.mp.prec
    assert tape.output({"x": 1e-30}) == 0.0  # 1 + 1e-30 == 1 in floats
    with mpmath.workdps(80):  # 1 + x loses 30 digits; 80 leave 50
        v = tape.output({"x": mpmath.mpf("1e-30")}, backend="mpmath")
        assert isinstance(v, mpmath.mpf)
        assert abs(v - (1 - mpmath.mpf("0.5e-30"))) < mpmath.mpf("1e-45")
    assert mpmath.mp.prec == prec_before
    v300 = Tape.from_expr(sp.exp(x) - 1, [x]).output({"x": "1e-40"}, backend="mpmath", prec=300)
    with mpmath.workprec(300):
        assert abs(v300 - mpmath.mpf("1e-40")) < mpmath.mpf("1e-75")
    assert mpmath.mp.prec == prec_before


def test_mpmath_constants_are_exact_at_precision():
    tape = Tape.from_expr(sp.pi * x + sp.Rational(1, 3), [x])
    with mpmath.workdps(60):
        v = tape.output({"x": 1}, backend="mpmath")
        assert abs(v - (mpmath.pi + mpmath.mpf(1) / 3)) < mpmath.mpf("1e-58")


def test_missing_value_and_unknown_backend():
    tape = Tape.from_expr(x * w, [x, w])
    with pytest.raises(EngineError, match="no value given for input w"):
        tape.output({"x": 1.0})
    with pytest.raises(EngineError, match="unknown backend"):
        tape.output({"x": 1.0, "w": 1.0}, backend="torch")


def test_condition_as_the_output_and_ite():
    cond = Tape.from_expr(sp.And(x > 0, w < 1), [x, w])
    out = cond.output({"x": np.array([1.0, -1.0, 1.0]), "w": np.array([0.0, 0.0, 2.0])})
    assert out.dtype == bool and out.tolist() == [True, False, False]
    assert cond.output({"x": 1, "w": 0}, backend="mpmath") is True
    ite = Tape.from_expr(sp.Piecewise((x, sp.ITE(x > 0, w > 0, w < 0)), (-x, True)), [x, w])
    assert ite.output({"x": np.array([1.0, 1.0, -1.0]), "w": np.array([1.0, -1.0, -1.0])}).tolist() == [1, -1, -1]


def test_heaviside_sign_abs_values_and_derivatives():
    h = Tape.from_expr(sp.Heaviside(x) * w + sp.Abs(x) + sp.sign(x), [x, w])
    xs = np.array([-2.0, 0.0, 3.0])
    assert h.output({"x": xs, "w": 4.0}).tolist() == [1.0, 2.0, 8.0]
    assert h.gradient({"x": xs, "w": 4.0})["x"].tolist() == [-1.0, 0.0, 1.0]
    assert h.gradient({"x": xs, "w": 4.0})["w"].tolist() == [0.0, 0.5, 1.0]


def test_adjoints_are_nan_where_the_output_is_undefined():
    tape = Tape.from_expr(sp.log(x) * w, [x, w])
    g = tape.gradient({"x": np.array([-1.0, 2.0]), "w": 1.0})
    assert math.isnan(g["x"][0]) and math.isnan(g["w"][0]) and g["x"][1] == 0.5
    assert all(math.isnan(v) for v in tape.gradient({"x": -1.0, "w": 1.0}).values())
    assert all(mpmath.isnan(v) for v in tape.gradient({"x": -1, "w": 1}, backend="mpmath").values())


def test_text_never_reaches_sympify():
    with pytest.raises(EngineError):
        Tape.from_expr("__import__('os').getcwd()", [])
