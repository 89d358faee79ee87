"""Trace building: the seed's table, naming, constants, piecewise and error cases."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from grader.engine.errors import EngineError
from grader.engine.trace import build_trace, display, input_name, json_value

x, w, b, a = sp.symbols("x w b a", real=True)
SEED_AT = [("x", 0.3), ("w", 0.5), ("b", 0.1)]


def test_seed_table_values_and_adjoints():
    tr = build_trace(x + 1 / (w * x + b), SEED_AT)
    fwd = {r.name: r for r in tr.forward}
    assert [r.name for r in tr.forward] == ["v_{-2}", "v_{-1}", "v_0", "v_1", "v_2", "v_3", "v_4"]
    assert [display(fwd[n].value) for n in ("v_1", "v_2", "v_3", "v_4")] == ["0.15", "0.25", "4", "4.3"]
    assert sorted(fwd["v_1"].args) == ["v_{-1}", "v_{-2}"] and fwd["v_1"].op == "mul"
    assert sorted(fwd["v_2"].args) == ["v_0", "v_1"] and fwd["v_3"].args == ("v_2",)
    assert fwd["v_3"].op == "inv" and fwd["v_3"].formula == "1/v_2"
    want = {"v_{-2}": -7, "v_{-1}": -4.8, "v_0": -16, "v_1": -16, "v_2": -16, "v_3": 1, "v_4": 1}
    assert {k: float(display(v)) for k, v in tr.adjoints.items()} == want
    assert tr.adjoint_formulas["v_2"] == "v\u0304_3 · (-1/v_2^2)"
    assert tr.output == "v_4"


def test_json_shape_rounded_values_and_symbol_keys():
    js = build_trace(x + 1 / (w * x + b), SEED_AT).to_json()
    assert set(js) == {"forward", "adjoints"}
    assert js["forward"][0] == {"name": "v_{-2}", "op": "input", "args": [], "value": 0.3}
    assert js["forward"][3]["value"] == 0.15  # not 0.15000000000000002
    assert all(set(r) == {"name", "op", "args", "value"} for r in js["forward"])
    assert js["adjoints"]["x"] == -7 and js["adjoints"]["w"] == -4.8 and js["adjoints"]["b"] == -16


def test_input_names_follow_the_given_order():
    assert [input_name(i, 3) for i in range(3)] == ["v_{-2}", "v_{-1}", "v_0"]
    tr = build_trace(x * w, [("w", 2.0), ("x", 3.0)])
    assert [(r.name, r.symbol) for r in tr.forward[:2]] == [("v_{-1}", "w"), ("v_0", "x")]
    assert tr.to_json()["adjoints"]["w"] == 3.0


def test_constants_and_integer_powers_are_rows_named_c():
    tr = build_trace(x ** 2 + 3, [("x", 2.0)])
    js = tr.to_json()
    ops = {r["name"]: r for r in js["forward"]}
    pow_row = next(r for r in js["forward"] if r["op"] == "pow")
    assert pow_row["args"][0] == "v_0" and ops[pow_row["args"][1]] == {
        "name": pow_row["args"][1], "op": "const", "args": [], "value": 2.0}
    assert js["forward"][-1]["value"] == 7.0 and js["adjoints"]["x"] == 4.0
    assert all(not n.startswith("c_") for n in js["adjoints"])


def test_piecewise_and_conditions_in_trace():
    pw = sp.Piecewise((-x, w * x < 1), (sp.Integer(0), True))
    js = build_trace(pw, [("x", 0.5), ("w", 1.0)]).to_json()
    ops = [r["op"] for r in js["forward"]]
    assert "lt" in ops and "piecewise" in ops and "true" in ops
    cond = next(r for r in js["forward"] if r["op"] == "lt")
    assert cond["value"] is True
    assert js["adjoints"]["x"] == -1.0 and js["adjoints"]["w"] == 0.0


def test_undefined_values_display_and_json():
    tr = build_trace(sp.log(x), [("x", -1.0)])
    assert display(tr.forward[-1].value) == "undefined"
    assert tr.to_json()["forward"][-1]["value"] is None
    assert json_value(math.inf) is None and display(-0.0) == "0"


def test_expression_that_is_just_an_input():
    js = build_trace(x, [("x", 1.5)]).to_json()
    assert js["forward"][-1]["value"] == 1.5 and js["adjoints"]["x"] == 1.0


@pytest.mark.parametrize("at, msg", [
    ([("x", 1.0)], "no value given for w"),
    ([("x", 1.0), ("w", 1.0), ("q", 2.0)], "q does not appear"),
    ([("x", 1.0), ("x", 2.0), ("w", 1.0)], "given twice"),
])
def test_bad_points(at, msg):
    with pytest.raises(EngineError, match=msg):
        build_trace(x * w, at)
