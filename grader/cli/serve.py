"""``grader serve``: the whole service in one command (what ``make run`` runs).

With nothing set it is the embedded default: a SQLite database and a SQLite broker (kombu's
SQLAlchemy transport, ``sqla+sqlite:///var/broker.sqlite``) under ``var/``, no server needed.
It migrates the database, loads ``assignments/``, creates a demo instructor and student (their
passwords and API tokens are printed), starts a Celery worker with the sweeper's beat embedded
(``-B``) as a supervised child process (restarted with back-off when it dies; it dies with us:
``grader/cli/supervisor.py``), and serves the Flask app on 127.0.0.1:5000. Ctrl-C, SIGTERM or
SIGHUP stops the web server and then the worker (warm shutdown, SIGKILL after ``--stop-timeout``).
With ``DATABASE_URL`` / ``CELERY_BROKER_URL`` set it uses those instead (PostgreSQL, Redis).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.bootstrap import settings_from_environment
from grader.cli.supervisor import WorkerSupervisor, die_with_parent
from grader.config import VAR_DIR, Settings
from grader.services.queue import ALL_QUEUES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 5000)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-worker", action="store_true", help="serve the web app only")
    parser.add_argument("--no-demo-users", action="store_true", help="do not create the demo users")
    parser.add_argument("--stop-timeout", type=float, default=6.0,
                        help="seconds to wait for the worker's warm shutdown before killing it (default 6; "
                             "everything is stopped within 10 s of a signal)")


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
    """A Celery worker (prefork) with the sweeper's beat embedded, in its own process group, that
    ends when this process does (``supervisor.die_with_parent`` and ``embedded_worker``'s watch).

    ``schedule`` is beat's state file: one per run (the sweeper's interval schedule needs no
    history, and two ``grader serve`` on one checkout must not share a shelve file)."""
    cmd = [sys.executable, "-m", "grader.cli.embedded_worker", str(os.getpid()),
           "-A", "worker.celery_app", "--quiet", "worker", "--pool", "prefork",
           "-c", str(concurrency), "-B", "-s", str(schedule),
           "-n", f"embedded-{os.getpid()}@%h", "-l", "warning", "-Q", ",".join(ALL_QUEUES)]
    proc = subprocess.Popen(cmd, env=_worker_env(settings), start_new_session=True,
                            preexec_fn=die_with_parent)  # noqa: PLW1509 - prctl only, no locks taken
    print(f"worker     pid {proc.pid} (Celery worker + beat, process group {proc.pid})", flush=True)
    return proc


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
    scratch = tempfile.TemporaryDirectory(prefix="grader-serve-")
    worker = None
    if not args.no_worker:
        print(f"broker     {settings.broker_url}")
        schedule = Path(scratch.name) / "celerybeat-schedule"
        worker = WorkerSupervisor(lambda: start_worker(settings, concurrency=args.concurrency, schedule=schedule),
                                  stop_timeout=args.stop_timeout)
        worker.start()

    def _terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Explicitly: a shell that starts us in the background sets SIGINT to "ignore"; SIGHUP is the
    # terminal closing.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _terminate)
    url = f"http://{settings.host}:{settings.port}"
    print(f"serving    {url}  (API under {url}/api/v1; Ctrl-C to stop)")
    print(f"try        curl -H 'Authorization: Bearer <token>' {url}/api/v1/assignments", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        print("\nstopping...", flush=True)
        server.server_close()
        if worker is not None:
            started = time.monotonic()
            worker.stop()
            print(f"worker stopped ({time.monotonic() - started:.1f} s)", flush=True)
        scratch.cleanup()
    return 0
