"""``grader check`` as a process: one JSON line per input line, in order, nothing else on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CTX = {"definitions": {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i"},
       "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}}


def run_check(lines: list[str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", "check", *args], input="".join(l + "\n" for l in lines),
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_contract_one_line_per_input_line_in_order():
    lines = [
        json.dumps({"id": "a", "expected": "2*p_i - 2*y_i", "answer": r"\boxed{2p_i - 2y_i}", "context": CTX}),
        json.dumps({"id": "b", "expected": "2*p_i - 2*y_i", "answer": "2*y_i - 2*p_i", "context": CTX}),
        "not json at all",
        json.dumps([1, 2]),
        json.dumps({"id": "c", "expected": "x"}),
        json.dumps({"id": "d", "expected": "x", "answer": "x", "context": {"domain": {"x": [1, 0]}}}),
        json.dumps({"id": "e", "expected": -7, "answer": "-7.0"}),
        json.dumps({"id": "f", "expected": "x", "answer": "9**9**9**9"}),
        json.dumps({"id": 7, "expected": "x", "answer": "print(1)"}),
        "",
    ]
    proc = run_check(lines)
    assert proc.returncode == 0
    out = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o.get("id") for o in out] == ["a", "b", None, None, "c", "d", "e", "f", 7, None]
    assert [o["verdict"] for o in out] == ["correct", "incorrect", "invalid", "invalid", "invalid", "invalid",
                                           "correct", "invalid", "invalid", "invalid"]
    for o in out:
        assert set(o) <= {"id", "verdict", "feedback", "method"} and isinstance(o["feedback"], str)
    assert "bad context" in out[5]["feedback"]
    assert out[1]["method"].startswith("numeric:")


def test_empty_stdin_exits_zero_quickly():
    t = time.perf_counter()
    proc = run_check([])
    assert proc.returncode == 0 and proc.stdout == ""
    assert time.perf_counter() - t < 5


def test_start_up_does_not_import_the_engine_before_input():
    code = ("import sys, grader.cli.check as c; "
            "print(sorted(m for m in ('sympy', 'numpy', 'flask', 'sqlalchemy', 'celery') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]"


def test_streams_each_line_as_soon_as_it_is_decided():
    proc = subprocess.Popen([sys.executable, "-m", "grader", "check"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        proc.stdin.write(json.dumps({"id": "1", "expected": "x", "answer": "x"}) + "\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())   # arrives before stdin is closed
        assert first == {"id": "1", "verdict": "correct", "feedback": "Correct.", "method": "symbolic"}
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        proc.stdout.close()
    assert proc.returncode == 0
