#!/usr/bin/env python3
"""Benchmark: seed-like answers through our engine and through the naive sympy baseline, same run.

Answers are generated from templates over the seed's questions (text and LaTeX, correct and
incorrect, labelled), plus hostile inputs. Each side runs in its own worker process (one answer at
a time, timed inside the worker, killed and restarted on a per-answer timeout, 2 GB address-space
limit), so a hang or a memory bomb costs the timeout, never the run. Usage: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import statistics
import subprocess
import sys
import time
from typing import Any

LOGISTIC = "1/(1+exp(-a_i))"
QUESTIONS: dict[str, dict[str, Any]] = {
    "1a": {"expected": "2*p_i - 2*y_i",
           "context": {"allowed": ["p_i", "y_i"], "domain": {"p_i": [0, 1], "y_i": {"values": [0, 1]}}}},
    "1b": {"expected": "exp(-a_i)/(1+exp(-a_i))**2", "context": {"domain": {"a_i": [-3, 3]}}},
    "1c": {"expected": "p_i*(1-p_i)",
           "context": {"definitions": {"p_i": LOGISTIC}, "allowed": ["p_i"], "domain": {"a_i": [-3, 3]}}},
    "1d": {"expected": "x_i", "context": {"definitions": {"a_i": "w*x_i"}}},
    "1e": {"expected": "2*p_i**3*exp(-a_i)*x_i - 2*p_i**2*exp(-a_i)*y_i*x_i",
           "context": {"definitions": {"p_i": LOGISTIC, "a_i": "w*x_i"},
                       "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}}},
    "2a": {"expected": "Piecewise((-y_i, y_i*a_i < 1), (0, y_i*a_i > 1))",
           "context": {"domain": {"y_i": {"values": [-1, 1]}, "a_i": [-3, 3]}}},
    "2b": {"expected": "Piecewise((-y_i*x_i + 2*w, y_i*w*x_i < 1), (2*w, y_i*w*x_i > 1))",
           "context": {"domain": {"y_i": {"values": [-1, 1]}, "x_i": [-3, 3], "w": [-2, 2]}}},
    "3": {"expected": "-24/5", "context": {}},
}
C, W = "correct", "incorrect"
# question -> [(label, text answer or LaTeX answer)]
ANSWERS: dict[str, list[tuple[str, str]]] = {
    "1a": [(C, "2*p_i - 2*y_i"), (C, "2p_i - 2y_i"), (C, "2*(p_i - y_i)"), (C, "-2*(y_i - p_i)"),
           (C, "2*(y_i - p_i)*(-1)"), (C, "(p_i - y_i)*2"), (C, "-2y_i+2p_i"), (C, r"2(p_i - y_i)"),
           (C, r"2(y_i - p_i)(-1) = \boxed{2p_i - 2y_i}"), (C, r"-2\left(y_i - p_i\right)"),
           (C, r"2 \cdot (p_i - y_i)"), (W, "2*(y_i - p_i)"), (W, "2*p_i - y_i"), (W, "p_i - y_i"),
           (W, "2p_i + 2y_i"), (W, "(y_i - p_i)^2"), (W, "2p_i - 2y"), (W, r"2(y_i - p_i)"),
           (W, r"-2p_i - 2y_i")],
    "1b": [(C, "exp(-a_i)/(1+exp(-a_i))^2"), (C, "exp(a_i)/(1+exp(a_i))^2"),
           (C, "1/(1+exp(-a_i)) * (1 - 1/(1+exp(-a_i)))"), (C, "exp(-a_i)*(1+exp(-a_i))^(-2)"),
           (C, "1/(exp(a_i) + 2 + exp(-a_i))"), (C, "logistic(a_i)*(1-logistic(a_i))"),
           (C, r"\frac{e^{-a_i}}{(1 + e^{-a_i})^2}"),
           (C, r"\frac{1}{(1 + e^{-a_i})^2} (0 + e^{-a_i}) = \frac{e^{-a_i}}{(1 + e^{-a_i})^2}"),
           (C, r"\frac{\exp(-a_i)}{\left(1+\exp(-a_i)\right)^{2}}"), (C, r"\sigma(a_i)(1-\sigma(a_i))"),
           (C, r"\frac{e^{a_i}}{(1+e^{a_i})^2}"), (W, "exp(-a_i)/(1+exp(-a_i))^3"),
           (W, "-exp(-a_i)/(1+exp(-a_i))^2"), (W, "exp(-a_i)/(1+exp(-a_i))"), (W, "1/(1+exp(-a_i))^2"),
           (W, "exp(a_i)/(1+exp(-a_i))^2"), (W, r"\frac{e^{-a_i}}{1 + e^{-a_i}}"),
           (W, r"\frac{-e^{-a_i}}{(1+e^{-a_i})^2}"), (W, r"2\frac{e^{-a_i}}{(1+e^{-a_i})^2}")],
    "1c": [(C, "p_i*(1-p_i)"), (C, "p_i - p_i^2"), (C, "p_i(1 - p_i)"), (C, "-p_i^2 + p_i"),
           (C, "p_i*(1-p_i)*1"), (C, r"p_i(1-p_i)"), (C, r"p_i - p_i^{2}"), (C, r"\boxed{p_i (1 - p_i)}"),
           (C, r"p_i\cdot(1-p_i)"), (W, "p_i*(1+p_i)"), (W, "p_i^2 - p_i"), (W, "1 - p_i"),
           (W, "p_i^2*(1-p_i)"), (W, "exp(-a_i)/(1+exp(-a_i))^2"), (W, r"p_i(p_i - 1)"), (W, r"(1-p_i)^2")],
    "1d": [(C, "x_i"), (C, "1*x_i"), (C, r"x_{i}"), (C, r"\boxed{x_i}"), (C, "x_i*1"), (W, "w"),
           (W, "w*x_i"), (W, "1"), (W, "-x_i"), (W, r"\frac{x_i}{w}")],
    "1e": [(C, "2*p_i^3*exp(-a_i)*x_i - 2*p_i^2*exp(-a_i)*y_i*x_i"), (C, "(2*p_i - 2*y_i)*p_i*(1-p_i)*x_i"),
           (C, "(2p_i-2y_i)(exp(-a_i)/(1+exp(-a_i))^2)(x_i)"), (C, "2*(p_i - y_i)*p_i^2*exp(-a_i)*x_i"),
           (C, "2*x_i*p_i^2*exp(-a_i)*(p_i - y_i)"),
           (C, r"(2p_i - 2y_i) \left( \frac{e^{-a_i}}{(1 + e^{-a_i})^2} \right) (x_i)"),
           (C, r"2p_i^3 e^{-a_i} x_i - 2p_i^2 e^{-a_i} y_i x_i"),
           (C, r"(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i) = \boxed{2p_i^3 e^{-a_i} x_i - 2p_i^2 e^{-a_i} y_i x_i}"),
           (C, r"2x_i p_i (1-p_i)(p_i - y_i)"),
           (W, r"2p_i^3 e^{-a_i} x_i - 3p_i^2 e^{-a_i} y_i x_i"),  # the seed's own typo
           (W, "(2p_i-2y_i)*p_i*(1-p_i)"), (W, "(2p_i-2y_i)*p_i*(1-p_i)*w"),
           (W, "-(2*p_i - 2*y_i)*p_i*(1-p_i)*x_i"), (W, "2*p_i^3*exp(-a_i)*x_i"),
           (W, "(2p_i - 2y_i)*exp(-a_i)/(1+exp(-a_i))^3*x_i"), (W, r"(2p_i - 2y_i) p_i (1-p_i)")],
    "2a": [(C, "Piecewise((-y_i, y_i*a_i < 1), (0, True))"), (C, "Piecewise((-y_i, a_i*y_i < 1), (0, a_i*y_i > 1))"),
           (C, r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}"),
           (C, r"\begin{cases} -y_i & \text{if } y_i a_i < 1 \\ 0 & \text{if } y_i a_i > 1 \end{cases}"),
           (W, "Piecewise((y_i, y_i*a_i < 1), (0, True))"), (W, "Piecewise((-y_i, y_i*a_i > 1), (0, True))"),
           (W, "-y_i"), (W, "Piecewise((-y_i, y_i*a_i < 1), (1, True))"),
           (W, r"\begin{cases} y_i & \text{if } y_i a_i < 1 \\ 0 & y_i a_i > 1 \end{cases}")],
    "2b": [(C, "Piecewise((-y_i*x_i + 2*w, y_i*w*x_i < 1), (2*w, True))"),
           (C, "Piecewise((2*w - x_i*y_i, w*x_i*y_i < 1), (2*w, w*x_i*y_i > 1))"),
           (C, r"\begin{cases} -y_i x_i + 2w & \text{if } y_i w x_i < 1 \\ 2w & \text{if } y_i w x_i > 1 \end{cases}"),
           (W, "Piecewise((-y_i*x_i, y_i*w*x_i < 1), (0, True))"),
           (W, "Piecewise((-y_i*x_i + 2*w, y_i*w*x_i < 1), (w, True))"),
           (W, "Piecewise((y_i*x_i + 2*w, y_i*w*x_i < 1), (2*w, True))"),
           (W, r"\begin{cases} -y_i x_i + w^2 & \text{if } y_i w x_i < 1 \\ 2w & \text{if } y_i w x_i > 1 \end{cases}")],
    "3": [(C, "-4.8"), (C, "-24/5"), (C, r"\frac{-24}{5}"), (C, r"-\frac{24}{5}"), (C, "-4.80"), (C, "-9.6/2"),
          (C, "-0.3/(0.25)^2"), (W, "-4.7"), (W, "4.8"), (W, "-48/5"), (W, "-5"), (W, r"\frac{24}{5}")],
}
HOSTILE = ["9**9**9**9", "10^10^10", "((9**9)**9999)**9999", "factorial(10**7)", "(x+1)**100000",
           "1" * 5000, "(" * 5000 + "x" + ")" * 5000, "x+" * 20000 + "x", "__import__('os').getpid()",
           "().__class__.__base__.__subclasses__()", "sin('x**2')", r"\input{/etc/passwd}", r"\def\x{1}\x",
           r"\csname relax\endcsname", r"\write18{id}", "x\x00+1", "x\u200b+\u202e1", "ｘ＋１",
           "e" * 3000, r"\frac{" * 400 + "x" + "}{2}" * 400]


def _text_variants(s: str) -> list[str]:
    tight = re.sub(r"\s*([-+*/()=<>,])\s*", r"\1", s)  # spaces around operators only: `x_i p_i` stays two names
    return [s, tight, s.replace("^", "**") if "^" in s else s.replace("**", "^")]


def _latex_variants(s: str) -> list[str]:
    out = [s, s.replace(r"\frac", r"\dfrac")]
    if "=" not in s and "cases" not in s and "boxed" not in s:
        out += [rf"\boxed{{{s}}}", f"${s}$"]
    return out


def corpus() -> list[dict[str, Any]]:
    """Labelled answers: every template in a few spellings, then the hostile ones (label None)."""
    seen: set[tuple[str, str]] = set()
    items: list[dict[str, Any]] = []
    for q, answers in ANSWERS.items():
        for label, ans in answers:
            latex = "\\" in ans or "{" in ans
            for v in (_latex_variants(ans) if latex else _text_variants(ans)):
                if (q, v) not in seen:
                    seen.add((q, v))
                    items.append({"q": q, "answer": v, "label": label, "latex": latex, "hostile": False})
    for h in HOSTILE:
        items.append({"q": "1e", "answer": h, "label": None, "latex": "\\" in h, "hostile": True})
    return items


# -- workers (run as `check_bench.py --worker engine|baseline`) ---------------------------------------

def _engine_worker() -> Any:
    from sympy.core.cache import clear_cache

    from grader.engine.result_cache import VerdictCache
    from grader.engine.check import check_answer
    from grader.engine.context import GradingContext

    contexts = {q: GradingContext.from_json(d["context"]) for q, d in QUESTIONS.items()}
    check_answer("2*x", "x + x", cache=None)  # warm-up: imports and first-call costs

    def handle(task: dict[str, Any]) -> dict[str, Any]:
        q = QUESTIONS[task["q"]]
        cache = VerdictCache()  # cold: a fresh verdict cache for every answer, and sympy's cache emptied
        clear_cache()
        t0 = time.perf_counter()
        r = check_answer(q["expected"], task["answer"], context=contexts[task["q"]], cache=cache)
        t1 = time.perf_counter()
        check_answer(q["expected"], task["answer"], context=contexts[task["q"]], cache=cache)
        t2 = time.perf_counter()
        return {"verdict": r.verdict.value, "method": r.method, "ms": (t1 - t0) * 1e3, "hit_ms": (t2 - t1) * 1e3}

    return handle


def _baseline_worker() -> Any:
    import warnings

    import sympy
    from sympy.core.cache import clear_cache
    from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application,
                                            parse_expr, standard_transformations)

    warnings.simplefilter("ignore")
    tr = standard_transformations + (implicit_multiplication_application, convert_xor)
    try:
        from sympy.parsing.latex import parse_latex
        parse_latex("x")
    except Exception:  # noqa: BLE001 - antlr4 4.11 missing: LaTeX answers count as baseline failures
        parse_latex = None

    def fair(e: Any) -> Any:
        """Only renaming: x_{i} -> x_i and the symbol e -> E, so the baseline is not failed by names."""
        subs = {s: (sympy.E if s.name == "e" else sympy.Symbol(s.name.replace("{", "").replace("}", "")))
                for s in e.free_symbols}
        return e.xreplace(subs)

    def definitions(q: str) -> dict[Any, Any]:
        defs = QUESTIONS[q]["context"].get("definitions", {})
        return {sympy.Symbol(k): parse_expr(v, transformations=tr) for k, v in defs.items()}

    keys = {q: parse_expr(d["expected"], transformations=tr) for q, d in QUESTIONS.items()}

    def expand_defs(e: Any, defs: dict[Any, Any]) -> Any:
        for _ in range(3):
            e = e.subs(defs)
        return e

    def handle(task: dict[str, Any]) -> dict[str, Any]:
        clear_cache()
        t0 = time.perf_counter()
        text = task["answer"]
        try:
            if task["latex"]:
                if parse_latex is None:
                    return {"verdict": "invalid", "method": "no parse_latex (antlr4 4.11 missing)", "ms": 0.0}
                ans = fair(parse_latex(text))
            else:
                ans = parse_expr(text, transformations=tr)
        except BaseException as exc:  # noqa: BLE001 - the baseline may raise anything on odd input
            return {"verdict": "invalid", "method": f"parse: {type(exc).__name__}", "ms": (time.perf_counter() - t0) * 1e3}
        try:
            defs = definitions(task["q"])
            ok = sympy.simplify(expand_defs(keys[task["q"]], defs) - expand_defs(ans, defs)) == 0
            verdict = "correct" if ok else "incorrect"
        except BaseException as exc:  # noqa: BLE001
            verdict = f"error: {type(exc).__name__}"
        return {"verdict": verdict, "method": "simplify", "ms": (time.perf_counter() - t0) * 1e3}

    return handle


def worker_main(kind: str, repeat: int) -> None:
    """Answer tasks (JSON lines on stdin) on a private copy of stdout; fd 1 goes to stderr.

    Each answer runs ``repeat`` times (caches emptied every time) when its first run took under
    0.5 s, and the fastest run counts: the machine is shared, and the minimum filters its noise.
    """
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    handle = _engine_worker() if kind == "engine" else _baseline_worker()
    out.write('{"ready": true}\n')
    for line in sys.stdin:
        task = json.loads(line)
        res = handle(task)
        for _ in range(repeat - 1 if res["ms"] < 500 else 0):
            again = handle(task)
            res = {**res, **{k: min(res[k], again[k]) for k in ("ms", "hit_ms") if k in res}}
        out.write(json.dumps(res) + "\n")


class Worker:
    """A worker process with a per-answer timeout; restarted after a timeout or a crash."""

    def __init__(self, kind: str, timeout: float, repeat: int) -> None:
        self.kind, self.timeout, self.repeat, self.proc = kind, timeout, repeat, None
        self.restarts = 0

    def _start(self) -> None:
        cmd = [sys.executable, __file__, "--worker", self.kind, "--repeat", str(self.repeat)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self._read(120.0)

    def _read(self, timeout: float) -> dict[str, Any] | None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        return json.loads(line) if line else None

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()
        res = self._read(self.timeout + 0.5 * (self.repeat - 1))
        if res is None:
            crashed = self.proc.poll() is not None
            self.stop()
            self.restarts += 1
            return {"verdict": "crash" if crashed else "timeout", "method": "", "ms": self.timeout * 1e3}
        return res

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def summarize(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    ms = [r["ms"] for r in rows]
    labelled = [r for r in rows if r["label"] is not None]
    right = sum(r["verdict"] == r["label"] for r in labelled)
    return {"name": name, "n": len(rows), "per_s": len(ms) / (sum(ms) / 1e3) if sum(ms) else float("inf"),
            "median_ms": statistics.median(ms), "p99_ms": pct(ms, 99), "max_ms": max(ms), "right": right,
            "labelled": len(labelled), "timeouts": sum(r["verdict"] in ("timeout", "crash") for r in rows)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", choices=("engine", "baseline"), help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per answer before a worker is killed")
    ap.add_argument("--repeat", type=int, default=3, help="cold runs per answer, the fastest counts (default 3)")
    ap.add_argument("--no-baseline", action="store_true", help="run our engine only")
    ap.add_argument("--json", metavar="FILE", help="also write every per-answer result to FILE")
    args = ap.parse_args()
    if args.worker:
        worker_main(args.worker, max(1, args.repeat))
        return 0
    items = corpus()
    engine = Worker("engine", args.timeout, args.repeat)
    baseline = None if args.no_baseline else Worker("baseline", args.timeout, args.repeat)
    t_start = time.monotonic()
    for it in items:
        it["engine"] = engine.run(it)
        if baseline is not None:
            it["baseline"] = baseline.run(it)
    engine.stop()
    if baseline is not None:
        baseline.stop()
    report(items, baseline is not None, time.monotonic() - t_start, args.repeat)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(items, fh, indent=1, ensure_ascii=False)
    return 0


def report(items: list[dict[str, Any]], with_baseline: bool, wall: float, repeat: int) -> None:
    """Print the figures and the targets."""
    seed = [it for it in items if not it["hostile"]]
    hostile = [it for it in items if it["hostile"]]
    n_latex = sum(it["latex"] for it in seed)
    print(f"{len(seed)} seed-like answers ({len(seed) - n_latex} text, {n_latex} LaTeX; "
          f"{sum(it['label'] == C for it in seed)} correct, {sum(it['label'] == W for it in seed)} incorrect) "
          f"+ {len(hostile)} hostile; wall time {wall:.1f} s; per answer: fastest of {repeat} cold runs\n")
    sides = [("engine", "our engine (cold verdict cache)")] + ([("baseline", "naive sympy baseline")] if with_baseline else [])
    sums = {}
    for key, title in sides:
        rows = [{**it[key], "label": it["label"]} for it in seed]
        s = sums[key] = summarize(title, rows)
        hmax = max(it[key]["ms"] for it in hostile)
        print(f"{title}:\n  {s['per_s']:.1f} answers/s, median {s['median_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms, "
              f"max {s['max_ms']:.2f} ms; verdict = label on {s['right']}/{s['labelled']}; "
              f"timeouts/crashes {s['timeouts']}\n  hostile: max {hmax:.2f} ms, "
              f"verdicts {sorted(set(it[key]['verdict'] for it in hostile))}")
    hits = [it["engine"]["hit_ms"] for it in seed if "hit_ms" in it["engine"]]
    print(f"  repeated answer (verdict cache hit): median {statistics.median(hits):.3f} ms, p99 {pct(hits, 99):.3f} ms")
    if with_baseline:
        ratio = sums["engine"]["per_s"] / sums["baseline"]["per_s"]
        failed_latex = sum(it["baseline"]["method"].startswith("no parse_latex") for it in seed)
        t_all = {k: sum(it[k]["ms"] for it in items) for k in ("engine", "baseline")}
        print(f"\nthroughput ratio engine/baseline: {ratio:.1f}x on the seed-like answers "
              f"({t_all['baseline'] / t_all['engine']:.0f}x with the hostile ones, timeouts counted in full)")
        if failed_latex:
            print(f"  (sympy's parse_latex is not importable: {failed_latex} LaTeX answers count as baseline failures)")
    e = sums["engine"]
    hmax = max(it["engine"]["ms"] for it in hostile)
    print("\ntargets:")
    checks = [("median <= 20 ms", e["median_ms"] <= 20), ("p99 <= 250 ms (cold)", e["p99_ms"] <= 250),
              ("hostile <= 50 ms", hmax <= 50), ("cached repeat <= 1 ms", statistics.median(hits) <= 1)]
    if with_baseline:
        checks.append((">= 10x baseline throughput", ratio >= 10))
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    wrong = [it for it in seed if it["engine"]["verdict"] != it["label"]]
    if wrong:
        print(f"\nengine verdicts that differ from the label ({len(wrong)}):")
        for it in wrong[:25]:
            print(f"  [{it['q']}] {it['answer'][:70]!r}: label {it['label']}, engine {it['engine']['verdict']} "
                  f"({it['engine']['method']})")


if __name__ == "__main__":
    raise SystemExit(main())
