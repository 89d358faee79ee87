"""``python -m grader trace`` end to end in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", "trace", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


def test_seed_table_as_text():
    p = run("x + 1/(w*x + b)", "--at", "x=0.3,w=0.5,b=0.1")
    assert p.returncode == 0, p.stderr
    lines = [" ".join(line.split()) for line in p.stdout.splitlines()]
    for want in ["v_{-2} = x = 0.3", "v_{-1} = w = 0.5", "v_0 = b = 0.1", "v_1 = v_{-1} · v_{-2} = 0.15",
                 "v_2 = v_0 + v_1 = 0.25", "v_3 = 1/v_2 = 4", "v_4 = v_{-2} + v_3 = 4.3", "y = v_4 = 4.3"]:
        assert want in lines, want
    adj = {line.split(" = ")[0]: line.split(" = ")[-1].split()[0] for line in lines if line.startswith("v\u0304")}
    assert adj == {"v\u0304_4": "1", "v\u0304_3": "1", "v\u0304_2": "-16", "v\u0304_1": "-16",
                   "v\u0304_0": "-16", "v\u0304_{-1}": "-4.8", "v\u0304_{-2}": "-7"}
    assert p.stderr == ""


def test_seed_table_as_json():
    p = run("x + 1/(w*x + b)", "--at", "x=0.3,w=0.5,b=0.1", "--json")
    assert p.returncode == 0, p.stderr
    js = json.loads(p.stdout)
    values = {r["name"]: r["value"] for r in js["forward"]}
    assert values == {"v_{-2}": 0.3, "v_{-1}": 0.5, "v_0": 0.1, "v_1": 0.15, "v_2": 0.25, "v_3": 4, "v_4": 4.3}
    assert [r["op"] for r in js["forward"]] == ["input"] * 3 + ["mul", "add", "inv", "add"]
    assert js["adjoints"] == {"v_4": 1, "v_3": 1, "v_2": -16, "v_1": -16, "v_0": -16, "v_{-1}": -4.8,
                              "v_{-2}": -7, "x": -7, "w": -4.8, "b": -16}


def test_latex_expression_and_subscripted_names():
    p = run(r"\frac{1}{1+e^{-w x_i}}", "--at", "w=0.5,x_{i}=2", "--json")
    assert p.returncode == 0, p.stderr
    js = json.loads(p.stdout)
    assert js["forward"][-1]["value"] == pytest.approx(1 / (1 + 2.718281828459045 ** -1), rel=1e-11)
    assert js["adjoints"]["x_i"] == pytest.approx(0.5 * 0.7310585786 * 0.2689414214, rel=1e-9)


@pytest.mark.parametrize("expr, at, msg", [
    ("x +", "x=1", "cannot read the expression"),
    ("x*y", "x=1", "no value given for y"),
    ("x", "x=abc", "not a number"),
    ("x", "x", "NAME=VALUE"),
    ("x", "x=nan", "finite"),
    ("9**9**9**9", "x=1", "too large"),
    ("__import__('os')", "x=1", "cannot read"),
    ("x", "x+1=2", "single symbol"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(expr, at, msg):
    p = run(expr, "--at", at)
    assert p.returncode == 2
    assert msg in p.stderr and "Traceback" not in p.stderr and p.stdout == ""
