#!/usr/bin/env python3
"""Benchmark: answers that are cheap to write and explosive to evaluate, over many seeds.

Each answer is checked against its key with seeds 0..N-1 (default 20) in a worker process, timed
inside the worker (cold verdict cache), with a hard per-answer timeout in the parent: a worker that
does not answer in time is killed, restarted, and the answer counts the full timeout. The report
gives, per answer, the verdicts seen and the maximum time over the seeds, then the targets: every
hostile answer ``invalid`` within 50 ms, no answer over the engine's time limit (2 s) by more than
0.5 s, and every control answer (legitimate ones near the same limits) ``correct``.

    .venv/bin/python benchmarks/hostile_bench.py [--seeds 20] [--timeout 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import subprocess
import sys
import time
from typing import Any

X3 = {"domain": {"x": [-3, 3]}}
LOGISTIC = {"definitions": {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i"},
            "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}}
# (kind, key, answer, context): "hostile" must be invalid fast; "bounded" has a key that grows as
# much (so nothing is refused) and must only keep the time limit; "control" must be correct
CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("hostile", "x", "exp(exp(exp(exp(x))))", X3),
    ("hostile", "x", "x^x^x^x^x^x", X3),
    ("hostile", "x", "(((x^200)^200)^200)^200", X3),
    ("hostile", "x", "exp(((x^200)^200)^200)", X3),
    ("hostile", "x", "exp(exp(exp(x)))", X3),
    ("hostile", "x", r"e^{e^{e^{e^{x}}}}", X3),
    ("hostile", "x", "cosh(cosh(cosh(cosh(x))))", X3),
    ("hostile", "x", "2^2^2^2^2^x", X3),
    ("hostile", "x", "exp(x^200)", X3),
    ("hostile", "x", "x + exp(-exp(exp(exp(x))))", X3),
    ("hostile", "x", "sin(exp(exp(exp(x))))", X3),
    ("hostile", "x", "tanh(exp(exp(exp(x))))", X3),
    ("hostile", "x", "exp(exp(x)^200)", X3),
    ("hostile", "x", "(x^x)^(x^x)^(x^x)", X3),
    ("hostile", "x", "x^(x^(x^(x^(x^(x^(x^x))))))", X3),
    ("hostile", "2*p_i - 2*y_i", "exp(exp(exp(p_i*10)))",
     {"definitions": {"p_i": "1/(1+exp(-a_i))"}, "domain": {"a_i": [-3, 3], "y_i": {"values": [0, 1]}}}),
    ("hostile", "x", "exp(exp(exp(exp(1/x))))", X3),
    ("bounded", "exp(exp(exp(x)))", "exp(exp(exp(exp(x))))", X3),
    ("bounded", "x", "exp(exp(exp(1/x)))", X3),
    ("bounded", "x", "x^(1/x)^(1/x)^(1/x)", X3),
    ("bounded", "exp(exp(exp(exp(x))))", "exp(exp(exp(exp(x)))) + 1", X3),
    ("control", "exp(x)*exp(exp(x))", "exp(x + exp(x))", X3),
    ("control", "x^x*(log(x)+1)", "exp(x*log(x))*(1 + log(x))", {"domain": {"x": [0.5, 3]}}),
    ("control", "2*p_i**3*exp(-a_i)*x_i - 2*p_i**2*exp(-a_i)*y_i*x_i",
     "(2p_i - 2y_i)*p_i*(1-p_i)*x_i", LOGISTIC),
    ("control", "exp(-a_i)/(1+exp(-a_i))**2", r"\frac{e^{-a_i}}{(1 + e^{-a_i})^2}", {"domain": {"a_i": [-3, 3]}}),
    ("control", "exp(x**2)*2*x", "2x e^{x^2}", {"domain": {"x": [-30, 30]}}),
]


def worker() -> None:
    """Answer tasks (JSON lines on stdin) on a private copy of stdout."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    from grader.engine.check import check_answer
    from grader.engine.context import GradingContext

    for key, answer in (("2*x", "x + x"), ("x", "x^2"), ("x", "exp(exp(exp(exp(x))))")):
        check_answer(key, answer, cache=None)  # imports and first-call costs of each path
    out.write('{"ready": true}\n')
    for line in sys.stdin:
        t = json.loads(line)
        ctx = GradingContext.from_json(t["context"])
        t0 = time.perf_counter()
        r = check_answer(t["key"], t["answer"], context=ctx, seed=t["seed"], cache=None)
        ms = (time.perf_counter() - t0) * 1e3
        out.write(json.dumps({"verdict": r.verdict.value, "feedback": r.feedback, "ms": ms}) + "\n")


class Worker:
    def __init__(self, timeout: float) -> None:
        self.timeout, self.proc = timeout, None

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        if self.proc is None:
            self.proc = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            self._read(120)
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()
        got = self._read(self.timeout)
        if got is None:
            self.stop()
            return {"verdict": "timeout", "feedback": "", "ms": self.timeout * 1e3}
        return got

    def _read(self, timeout: float) -> dict[str, Any] | None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        return json.loads(line) if line else None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a worker is killed")
    ap.add_argument("--json", metavar="FILE", help="also write every result to FILE")
    args = ap.parse_args()
    if args.worker:
        worker()
        return 0
    w, rows = Worker(args.timeout), []
    for kind, key, answer, context in CASES:
        runs = [w.run({"key": key, "answer": answer, "context": context, "seed": s}) for s in range(args.seeds)]
        rows.append({"kind": kind, "key": key, "answer": answer, "runs": runs,
                     "max_ms": max(r["ms"] for r in runs), "verdicts": sorted({r["verdict"] for r in runs})})
    w.stop()
    print(f"{len(CASES)} answers x {args.seeds} seeds (max over seeds, in-process time, cold verdict cache)\n")
    for r in rows:
        print(f"  {r['kind']:8} {r['max_ms']:9.1f} ms  {','.join(r['verdicts']):10} {r['answer'][:48]!r}"
              f"  (key {r['key'][:30]!r})")
    hostile = [r for r in rows if r["kind"] == "hostile"]
    everything = max(r["max_ms"] for r in rows)
    checks = [
        ("every hostile answer invalid", all(r["verdicts"] == ["invalid"] for r in hostile)),
        (f"hostile within 50 ms (max {max(r['max_ms'] for r in hostile):.1f} ms)",
         all(r["max_ms"] <= 50 for r in hostile)),
        (f"no answer over 2 s + 0.5 s (max {everything:.1f} ms)", everything <= 2500),
        ("every control answer correct", all(r["verdicts"] == ["correct"] for r in rows if r["kind"] == "control")),
    ]
    print("\ntargets:")
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
