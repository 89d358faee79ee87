"""Before and after, in one run: the service of two source trees (e.g. the base commit checked out
in a temporary worktree, and this one) under the same loads, interleaved, on loopback only.

Scenarios (each bounded in time):
- ``burst``: ``--burst-students`` students POST the seed submission at once, verdict cache off
  (``service_bench.py --no-cache``'s load);
- ``varied``: the hard case of the burst: ``--burst-students`` students POST at once, each with a
  class's varied answers from ``class_answers.py`` (right forms, wrong ones, unreadable, a few
  hostile), verdict cache off;
- ``distinct``: as ``varied``, but every readable answer to 1a-1e written anew per student (the same
  value, a new expression: ``class_answers.distinct_answers``): no cache or memo can help;
- ``class``: ``--class-students`` students arrive evenly over ``--arrival`` seconds with answers
  from ``class_answers.py`` (verdict cache on: production shape).

Per run it prints submissions/s, submit-to-graded p50/p99/max, POST p99, the worker CPU per
answer and how many were lost, and writes an SVG chart of the latency distributions.

    git worktree add /tmp/base <base-commit>
    .venv/bin/python benchmarks/class_bench.py --before /tmp/base --after . --out benchmarks/out
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import service_bench as sb  # noqa: E402
from class_answers import class_answers, distinct_answers  # noqa: E402
from latency_chart import cdf_svg  # noqa: E402

SEED = json.loads(sb.SEED.read_text(encoding="utf-8"))["answers"]


def _post(base: str, key: str, token: str, answers: dict[str, Any]) -> tuple[int, int]:
    """(HTTP status, submission id or 0)."""
    req = urllib.request.Request(
        f"{base}/api/v1/assignments/{key}/submissions", data=json.dumps({"answers": answers}).encode(),
        method="POST", headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                "Idempotency-Key": uuid.uuid4().hex})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, int(json.load(resp)["id"])
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def run_one(label: str, code: Path, subs: list[dict[str, Any]], *, arrival_s: float, no_cache: bool,
            args: argparse.Namespace) -> dict[str, Any]:
    import redis

    r = redis.Redis.from_url(sb.REDIS_URL)
    r.flushdb()
    db_url = sb.create_database()
    port = sb._free_port()
    base = f"http://127.0.0.1:{port}"
    logdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"grader-class-bench-{os.getpid()}-{label}"
    logdir.mkdir(parents=True, exist_ok=True)
    services = None
    try:
        key, tokens = sb.prepare(db_url, len(subs))
        env = dict(os.environ, DATABASE_URL=db_url, CELERY_BROKER_URL=sb.BROKER_URL, SECRET_KEY=secrets.token_hex(32),
                   PYTHONPATH=str(code), GRADER_VERDICT_CACHE="off" if no_cache else "auto")
        services = sb.Services(env, port, args.workers, logdir, code=code, web=args.web)
        services.wait_ready(base)
        warm = [_post(base, key, tok, SEED)[1] for tok in tokens[-4:]]
        if len(sb._graded_at(db_url, warm, 120)) != len(warm):
            raise RuntimeError(f"{label}: warm-up submissions were not graded (logs in {logdir})")
        r.delete(*(r.keys("grader:verdict:*") or ["none"]))
        cpu0, web0 = services.worker_cpu_s(), services.web_cpu_s()
        started: dict[int, float] = {}
        post_s: list[float] = []
        refused = [0]
        lock = threading.Lock()
        t0 = time.time() + 0.5

        def student(i: int) -> None:
            time.sleep(max(0.0, t0 + arrival_s * i / len(subs) - time.time()))
            t = time.time()
            status, sid = _post(base, key, tokens[i], subs[i])
            with lock:
                post_s.append(time.time() - t)
                if sid:
                    started[sid] = t
                else:
                    refused[0] += 1

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(student, range(len(subs))))
        graded = sb._graded_at(db_url, list(started), args.timeout)
        cpu, web_cpu = services.worker_cpu_s() - cpu0, services.web_cpu_s() - web0
        lat = sorted(graded[sid] - started[sid] for sid in graded)
        wall = (max(graded.values()) - t0) if graded else float("nan")
        return {"label": label, "n": len(subs), "graded": len(graded), "lost": len(subs) - len(graded),
                "refused": refused[0], "rate": len(graded) / wall if graded else 0.0,
                "p50": sb._pct(lat, 50) if lat else float("nan"), "p99": sb._pct(lat, 99) if lat else float("nan"),
                "max": lat[-1] if lat else float("nan"), "post_p99": sb._pct(sorted(post_s), 99),
                "cpu_ms_per_answer": 1000 * cpu / max(1, sum(len(a) for a in subs)),
                "worker_ms_per_sub": 1000 * cpu / max(1, len(subs)), "web_ms_per_sub": 1000 * web_cpu / max(1, len(subs)),
                "latencies": lat}
    finally:
        if services is not None:
            services.stop()
        sb.drop_database(db_url)
        r.flushdb()
        r.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=sb.ROOT, help="the tree of today's code")
    parser.add_argument("--after", type=Path, default=sb.ROOT, help="the tree of the new code")
    parser.add_argument("--burst-students", type=int, default=300)
    parser.add_argument("--class-students", type=int, default=1000)
    parser.add_argument("--arrival", type=float, default=60.0, help="seconds over which the class arrives")
    parser.add_argument("--scenarios", default="burst,varied,distinct,class")
    parser.add_argument("--rounds", type=int, default=1, help="before/after pairs per scenario, interleaved")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes on the fast queue")
    parser.add_argument("--webs", default="gthread:2:8",
                        help="gunicorn worker class:processes[:threads], comma-separated to compare")
    parser.add_argument("--sides", default="before,after", help="which trees to run (before,after)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--out", type=Path, default=sb.ROOT / "benchmarks" / "out")
    args = parser.parse_args(argv)
    if not 1 <= max(args.burst_students, args.class_students) <= sb.MAX_STUDENTS:
        parser.error(f"students must be between 1 and {sb.MAX_STUDENTS}")
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for scenario in args.scenarios.split(","):
        makers = {"burst": lambda n: [dict(SEED)] * n, "varied": class_answers, "distinct": distinct_answers,
                  "class": class_answers}
        if scenario not in makers:
            parser.error(f"unknown scenario {scenario!r} ({', '.join(makers)})")
        subs = makers[scenario](args.class_students if scenario == "class" else args.burst_students)
        at_once = scenario != "class"
        trees = {"before": args.before, "after": args.after}
        webs = args.webs.split(",")
        for rnd in range(args.rounds):
            for side, web in [(side, web) for side in args.sides.split(",") for web in webs]:
                label = (f"{scenario} {side}" + (f" {web}" if len(webs) > 1 else "")
                         + (f" #{rnd + 1}" if args.rounds > 1 else ""))
                args.web = web
                res = run_one(label.replace(" ", "-").replace("#", "").replace(":", "-"), trees[side].resolve(),
                              subs, arrival_s=0.0 if at_once else args.arrival, no_cache=at_once, args=args)
                res["label"] = label
                results.append(res)
                print(_row(res), flush=True)
    print()
    print(_HEADER)
    for res in results:
        print(_row(res))
    chart = args.out / "latency.svg"
    chart.write_text(cdf_svg([(r["label"], r["latencies"]) for r in results],
                             title="Share of submissions graded within t (before/after)"), encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(
        [{**r, "latencies": [round(v, 3) for v in r["latencies"]]} for r in results]), encoding="utf-8")
    print(f"\nchart: {chart}")
    return 0 if all(r["lost"] == 0 for r in results) else 1


_HEADER = (f"{'run':<28} {'subs':>5} {'graded':>6} {'lost':>4} {'429':>4} {'subs/s':>7} {'p50 s':>7} "
           f"{'p99 s':>7} {'max s':>7} {'POST p99':>8} {'CPU ms/answer':>13} {'worker ms/sub':>13} {'web ms/sub':>10}")


def _row(r: dict[str, Any]) -> str:
    return (f"{r['label']:<28} {r['n']:>5} {r['graded']:>6} {r['lost']:>4} {r['refused']:>4} {r['rate']:>7.1f} "
            f"{r['p50']:>7.2f} {r['p99']:>7.2f} {r['max']:>7.2f} {r['post_p99']:>8.2f} {r['cpu_ms_per_answer']:>13.1f} "
            f"{r['worker_ms_per_sub']:>13.1f} {r['web_ms_per_sub']:>10.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
