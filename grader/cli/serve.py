"""``grader serve``: the whole service in one command (what ``make run`` runs).

With nothing set it is the embedded default: a SQLite database and a SQLite broker (kombu's
SQLAlchemy transport, ``sqla+sqlite:///var/broker.sqlite``) under ``var/``, no server needed.
It migrates the database, loads ``assignments/``, creates a demo instructor and student (their
passwords and API tokens are printed), starts a Celery worker with the sweeper's beat embedded
(``-B``) as a child process, and serves the Flask app on 127.0.0.1:5000. Ctrl-C or SIGTERM stops
the web server and then the worker (warm shutdown, SIGKILL after ``--stop-timeout`` seconds).
With ``DATABASE_URL`` / ``CELERY_BROKER_URL`` set it uses those instead (PostgreSQL, Redis).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from grader.bootstrap import settings_from_environment
from grader.config import VAR_DIR, Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 5000)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-worker", action="store_true", help="serve the web app only")
    parser.add_argument("--no-demo-users", action="store_true", help="do not create the demo users")
    parser.add_argument("--stop-timeout", type=float, default=10.0,
                        help="seconds to wait for the worker's warm shutdown (default 10)")


def _prepare(settings: Settings, *, demo_users: bool) -> None:
    """Migrate, load the assignments, create and print the demo users."""
    from grader.db.session import make_session_factory, session_scope
    from grader.services import provisioning as admin

    print(f"database   {settings.database_url}", flush=True)
    admin.migrate(settings.database_url)
    factory = make_session_factory(settings.database_url)
    with session_scope(factory) as session:
        versions = admin.load_assignments(session, settings.assignments_dir)
        print(f"loaded     {len(versions)} assignment(s) from {settings.assignments_dir}")
        for version in versions:
            print(f"           - {version.assignment.key}: {version.assignment.title}")
        creds = admin.ensure_demo_users(session) if demo_users else {}
    for role, c in creds.items():
        print(f"demo {role:<10} {c['email']}  password: {c['password']}")
        print(f"           API token: {c['token']}")
    factory.kw["bind"].dispose()


def _worker_env(settings: Settings) -> dict[str, str]:
    """The child sees exactly the settings this process resolved (same database, broker, secret)."""
    from grader.bootstrap import child_environment

    return child_environment(settings)


def start_worker(settings: Settings, *, concurrency: int, schedule: Path) -> subprocess.Popen[bytes]:
    """A Celery worker (prefork) with the sweeper's beat embedded, in its own process group.

    ``schedule`` is beat's state file: one per run (the sweeper's interval schedule needs no
    history, and two ``grader serve`` on one checkout must not share a shelve file)."""
    cmd = [sys.executable, "-m", "celery", "-A", "worker.celery_app", "--quiet", "worker", "--pool", "prefork",
           "-c", str(concurrency), "-B", "-s", str(schedule),
           "-n", f"embedded-{os.getpid()}@%h", "-l", "warning", "-Q", "grader"]
    return subprocess.Popen(cmd, env=_worker_env(settings), start_new_session=True)


def stop_worker(proc: subprocess.Popen[bytes], *, timeout: float) -> None:
    """Warm shutdown (SIGTERM to the worker), then SIGKILL its whole process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # pool children and beat, if any are left
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _watch(proc: subprocess.Popen[bytes], stopping: threading.Event) -> None:
    """Say so loudly if the worker dies while we serve: grading would silently stop."""
    proc.wait()
    if not stopping.is_set():
        print(f"grader serve: the Celery worker exited with status {proc.returncode}; "
              "submissions will stay queued (restart grader serve)", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from grader.assignments.errors import AssignmentError
    from grader.db import DatabaseError

    try:
        settings = settings_from_environment()
    except ValueError as exc:
        print(f"grader serve: bad configuration: {exc}", file=sys.stderr)
        return 1
    if args.host:
        settings = settings.replace(host=args.host)
    if args.port:
        settings = settings.replace(port=args.port)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        _prepare(settings, demo_users=not args.no_demo_users)
    except (AssignmentError, DatabaseError, OSError) as exc:
        orig = getattr(exc, "orig", None) or exc
        reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
        print(f"grader serve: cannot prepare the service: {reason}", file=sys.stderr)
        return 1

    from werkzeug.serving import make_server

    from grader.bootstrap import Wiring, build_app

    try:
        server = make_server(settings.host, settings.port, build_app(Wiring(settings)), threaded=True)
    except (OSError, SystemExit) as exc:  # werkzeug prints the reason and exits 1 on a bind error
        reason = exc.strerror if isinstance(exc, OSError) else "see above (is the port in use?)"
        print(f"grader serve: cannot listen on {settings.host}:{settings.port}: {reason}", file=sys.stderr)
        return 1
    stopping = threading.Event()
    scratch = tempfile.TemporaryDirectory(prefix="grader-serve-")
    worker = None
    if not args.no_worker:
        print(f"broker     {settings.broker_url}")
        worker = start_worker(settings, concurrency=args.concurrency,
                              schedule=Path(scratch.name) / "celerybeat-schedule")
        threading.Thread(target=_watch, args=(worker, stopping), daemon=True).start()

    def _terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Both explicitly: a shell that starts us in the background sets SIGINT to "ignore".
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    url = f"http://{settings.host}:{settings.port}"
    print(f"serving    {url}  (API under {url}/api/v1; Ctrl-C to stop)")
    print(f"try        curl -H 'Authorization: Bearer <token>' {url}/api/v1/assignments", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        print("\nstopping...", flush=True)
        server.server_close()
        if worker is not None:
            started = time.monotonic()
            stop_worker(worker, timeout=args.stop_timeout)
            print(f"worker stopped ({time.monotonic() - started:.1f} s)", flush=True)
        scratch.cleanup()
    return 0
