"""Service benchmark: a class submitting the seed assignment at once, end to end on loopback.

Starts everything itself and stops it at the end: a fresh PostgreSQL database on 127.0.0.1:5432
(migrated, ``assignments/`` loaded, N students with API tokens), a Redis database index of its
own on 127.0.0.1:6379 (flushed), gunicorn serving ``grader.app:create_app()`` and 2 Celery worker
processes. Then N students POST the seed submission (``tests/fixtures/seed-submission.json``) as
a burst from a pool of client threads, and the benchmark waits until every one is graded.

Prints submissions/s (N over the time from the first POST to the last ``graded_at``) and the
p50/p99 submit-to-graded latency (from the start of a student's POST to its ``graded_at``).
Repeated answers hit the shared verdict cache (as a real class's would); ``--no-cache`` grades
every submission from scratch.

    .venv/bin/python benchmarks/service_bench.py                 # 300 students
    .venv/bin/python benchmarks/service_bench.py --students 50 --no-cache
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# Celery's broker: the Redis above, or e.g. BENCH_BROKER_URL=amqp://guest:guest@127.0.0.1:5672/<vhost>
BROKER_URL = os.environ.get("BENCH_BROKER_URL") or REDIS_URL


def use_redis(url: str) -> None:
    """Run on this Redis database (flushed at the start and the end) instead of ``BENCH_REDIS_URL``."""
    global REDIS_URL, BROKER_URL
    if BROKER_URL == REDIS_URL:
        BROKER_URL = url
    REDIS_URL = url
SEED = ROOT / "tests" / "fixtures" / "seed-submission.json"
MAX_STUDENTS = 5000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _admin_engine() -> Any:
    from grader.db import make_engine

    return make_engine(PG_SERVER, isolation_level="AUTOCOMMIT")


def create_database() -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"grader_bench_{os.getpid()}_{secrets.token_hex(3)}"
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def prepare(db_url: str, students: int) -> tuple[str, list[str]]:
    """Migrate, load assignments/, create the students; returns (assignment key, tokens)."""
    from grader.db import make_session_factory, session_scope
    from grader.services import provisioning as admin

    admin.migrate(db_url)
    factory = make_session_factory(db_url)
    with session_scope(factory) as s:
        versions = admin.load_assignments(s, ROOT / "assignments")
        seed = next(v for v in versions if v.assignment.key == "assignment-4")
        course = seed.assignment.course.key
        tokens = [admin.create_user(s, f"student{i}@bench.example", "student", course_key=course)[1]
                  for i in range(students + 4)]
    factory.kw["bind"].dispose()
    return "assignment-4", tokens


class Services:
    """gunicorn and the Celery workers of the tree ``code``, each in its own process group.

    ``web`` is gunicorn's worker class, processes and threads (``gthread:2:8``, ``sync:4``). With a
    tree that has the slow and bulk queues (``grader/services/fairness.py``), ``workers`` consume
    the fast queue and one more worker, at a lower CPU priority, the slow and bulk ones."""

    def __init__(self, env: dict[str, str], port: int, workers: int, logdir: Path, *, code: Path = ROOT,
                 web: str = "gthread:2:8") -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.code = code
        py = sys.executable
        kind, procs, *threads = web.split(":")
        cmd = [py, "-m", "gunicorn", "-w", procs, "-k", kind, "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        if threads:
            cmd += ["--threads", threads[0]]
        self._start(cmd + ["grader.bootstrap:build_app()"], env, logdir / "gunicorn.log")
        fair = (code / "grader" / "services" / "fairness.py").exists()
        queues = [("grader", "")] * workers + ([("grader.slow,grader.bulk", "nice")] if fair else [])
        for i, (queue, nice) in enumerate(queues):
            self._start(["nice", "-n", "10"] * bool(nice) + [
                py, "-m", "celery", "-A", "worker.celery_app", "worker", "--pool", "prefork",
                "-c", "1", "-Q", queue, "-n", f"bench{i}-{os.getpid()}@%h", "-l", "info",
                "--without-gossip", "--without-mingle"], env, logdir / f"worker{i}.log")

    def worker_cpu_s(self) -> float:
        """CPU seconds used so far by the worker processes and every child they have reaped."""
        return self._cpu_s({p.pid for p in self.procs[1:]})

    def web_cpu_s(self) -> float:
        """CPU seconds used so far by gunicorn's processes."""
        return self._cpu_s({self.procs[0].pid})

    @staticmethod
    def db_cpu_s(db_url: str) -> float:
        """CPU seconds used so far by the live PostgreSQL backends serving the benchmark's database
        (a backend that exited meanwhile is not counted: the pools keep theirs for the run)."""
        from sqlalchemy.engine import make_url

        name, total = (make_url(db_url).database or "").encode(), 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if name not in (stat.parent / "cmdline").read_bytes():
                    continue
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(f) for f in fields[11:13]) / os.sysconf("SC_CLK_TCK")
        return total

    @staticmethod
    def _cpu_s(groups: set[int]) -> float:
        """CPU seconds (user + system, with reaped children) of the processes in these groups."""
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) in groups:  # field 5 (pgrp), counted after the command name
                total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        return total

    def cpu_by_process(self) -> list[tuple[int, int, str, float]]:
        """(pid, parent pid, command, CPU seconds) of every live process of the services (its reaped
        children's in a row of their own, pid negated)."""
        groups, out = {p.pid for p in self.procs}, []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                head, tail = stat.read_text().rsplit(")", 1)
                cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = tail.split()
            if int(fields[2]) in groups:
                pid, tick = int(stat.parent.name), os.sysconf("SC_CLK_TCK")
                out.append((pid, int(fields[1]), cmd[:90], sum(int(f) for f in fields[11:13]) / tick))
                out.append((-pid, pid, "(its reaped children)", sum(int(f) for f in fields[13:15]) / tick))
        return sorted(out)

    def _start(self, cmd: list[str], env: dict[str, str], log: Path) -> None:
        with open(log, "wb") as out:
            self.procs.append(subprocess.Popen(cmd, cwd=self.code, env=env, stdout=out, stderr=subprocess.STDOUT,
                                               start_new_session=True))
        self.logs.append(log)

    def wait_ready(self, base: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc, log in zip(self.procs, self.logs):
                if proc.poll() is not None:
                    raise RuntimeError(f"{log.name} exited:\n{log.read_text(errors='replace')[-2000:]}")
            workers_ready = all(" ready." in log.read_text(errors="replace") for log in self.logs[1:])
            try:
                urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2).read()
                if workers_ready:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise TimeoutError("services not ready")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()


def _post(base: str, key: str, token: str, answers: dict[str, Any]) -> int:
    body = json.dumps({"answers": answers}).encode()
    req = urllib.request.Request(
        f"{base}/api/v1/assignments/{key}/submissions", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Idempotency-Key": uuid.uuid4().hex})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return int(json.load(resp)["id"])
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"POST submission: HTTP {exc.code}: {exc.read().decode(errors='replace')[:500]}") from None


def _get(base: str, token: str, sid: int) -> dict[str, Any]:
    req = urllib.request.Request(f"{base}/api/v1/submissions/{sid}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def _graded_at(db_url: str, ids: list[int], timeout: float) -> dict[int, float]:
    """Poll the database until every id is graded; ``{id: graded_at (epoch s)}``."""
    from sqlalchemy import select

    from grader.db import make_engine
    from grader.db.models import Submission

    engine = make_engine(db_url)
    wanted, done = set(ids), {}
    deadline = time.monotonic() + timeout
    try:
        while wanted - done.keys() and time.monotonic() < deadline:
            with engine.connect() as conn:
                rows = conn.execute(select(Submission.id, Submission.graded_at)
                                    .where(Submission.status == "graded", Submission.id.in_(wanted - done.keys())))
                done.update({sid: at.timestamp() for sid, at in rows})
            time.sleep(0.1)
    finally:
        engine.dispose()
    return done


def run(args: argparse.Namespace) -> int:
    import redis

    from grader.assignments import grade_submission
    from grader.assignments.loader import load_assignment

    answers = json.loads(SEED.read_text(encoding="utf-8"))["answers"]
    answers = {q: a for q, a in answers.items() if q not in args.omit}
    expected = grade_submission(load_assignment(ROOT / "assignments" / "assignment-4.yaml"), answers).to_json()
    r = redis.Redis.from_url(REDIS_URL)
    r.flushdb()
    db_url = create_database()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    logdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"grader-bench-{os.getpid()}"
    logdir.mkdir(parents=True, exist_ok=True)
    services = None
    try:
        t0 = time.monotonic()
        key, tokens = prepare(db_url, args.students)
        print(f"prepared database, assignment and {args.students} students in {time.monotonic() - t0:.1f} s")
        env = dict(os.environ, DATABASE_URL=db_url, CELERY_BROKER_URL=BROKER_URL, SECRET_KEY=secrets.token_hex(32),
                   PYTHONPATH=str(ROOT), GRADER_VERDICT_CACHE="off" if args.no_cache else "auto")
        services = Services(env, port, args.workers, logdir, code=ROOT, web=args.web)
        services.wait_ready(base)
        warm = [_post(base, key, tok, answers) for tok in tokens[-4:]]  # load the assignment in each worker
        if len(_graded_at(db_url, warm, args.timeout)) != len(warm):
            raise RuntimeError("warm-up submissions were not graded")
        r.delete(*(r.keys("grader:verdict:*") or ["none"]))  # the measured run starts with a cold cache
        cpu0 = services.worker_cpu_s(), services.web_cpu_s(), services.db_cpu_s(db_url), time.process_time()
        by_process0 = {pid: cpu for pid, _, _, cpu in services.cpu_by_process()}
        print(f"gunicorn (2 processes) + {args.workers} Celery workers ready; "
              f"{args.students} students submit {len(answers)} answers each "
              f"(verdict cache {'off' if args.no_cache else 'on, cold'})")

        started: dict[int, float] = {}
        owner: dict[int, str] = {}
        lock = threading.Lock()

        def student(token: str) -> None:
            t = time.time()
            sid = _post(base, key, token, answers)
            with lock:
                started[sid], owner[sid] = t, token

        t_start = time.time()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(student, tokens[: args.students]))
        t_submitted = time.time()
        graded = _graded_at(db_url, list(started), args.timeout)
        if len(graded) < len(started):
            print(f"TIMEOUT: {len(started) - len(graded)} of {len(started)} not graded in {args.timeout} s")
            return 1
        worker_cpu, web_cpu = services.worker_cpu_s() - cpu0[0], services.web_cpu_s() - cpu0[1]
        db_cpu, client_cpu = services.db_cpu_s(db_url) - cpu0[2], time.process_time() - cpu0[3]
        latencies = sorted(graded[sid] - started[sid] for sid in started)
        wall = max(graded.values()) - t_start
        print(f"submitted {len(started)} in {t_submitted - t_start:.2f} s "
              f"({len(started) / (t_submitted - t_start):.1f} POST/s)")
        print(f"graded    {len(graded)} in {wall:.2f} s: {len(graded) / wall:.1f} submissions/s")
        print(f"latency   submit-to-graded p50 {_pct(latencies, 50):.3f} s, p99 {_pct(latencies, 99):.3f} s, "
              f"max {latencies[-1]:.3f} s, mean {statistics.fmean(latencies):.3f} s")
        n = len(started)
        print(f"cpu       per submission: worker {1000 * worker_cpu / n:.1f} ms, web {1000 * web_cpu / n:.1f} ms "
              f"(worker {worker_cpu:.1f} s, web {web_cpu:.1f} s in all); PostgreSQL backends "
              f"{1000 * db_cpu / n:.1f} ms, this client {1000 * client_cpu / n:.1f} ms")
        if args.cpu_detail:
            for pid, ppid, cmd, cpu in services.cpu_by_process():
                if cpu - by_process0.get(pid, 0.0) < 0.005:
                    continue
                print(f"          pid {pid:>7} (parent {ppid:>7}) {1000 * (cpu - by_process0.get(pid, 0.0)) / n:6.1f} ms"
                      f"/submission  {cmd}")
        sid = min(started)
        sample = _get(base, owner[sid], sid)
        same = {q: v["verdict"] for q, v in sample["questions"].items()} == {
            q: v["verdict"] for q, v in expected["questions"].items()} and sample["total"] == expected["total"]
        print(f"check     API result {'matches' if same else 'DIFFERS FROM'} `grader grade` "
              f"(total {sample['total']}/{sample['max_total']})")
        return 0 if same else 1
    finally:
        if services is not None:
            services.stop()
        drop_database(db_url)
        r.flushdb()
        r.close()


def _pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    index = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads (default 32)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for grading")
    parser.add_argument("--no-cache", action="store_true", help="turn the verdict cache off")
    parser.add_argument("--web", default="gthread:2:8", help="gunicorn's worker class:processes[:threads]")
    parser.add_argument("--redis-url", default=None,
                        help=f"Redis database for the broker and the cache, flushed (default {REDIS_URL})")
    parser.add_argument("--cpu-detail", action="store_true", help="print the CPU per submission of each process")
    parser.add_argument("--omit", action="append", default=[], metavar="QID",
                        help="leave this question's answer out (repeatable)")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be between 1 and {MAX_STUDENTS}")
    if args.redis_url:
        use_redis(args.redis_url)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
