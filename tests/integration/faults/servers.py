"""Server instances of the fault tests' own: each on a free loopback port and a data directory of
its own, started and stopped only by the test that made it (the machine's servers are never touched).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

from sqlalchemy import text

START_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, poll: float = 0.1) -> object:
    """Poll ``condition`` until truthy (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(poll)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrivateRedis:
    """``redis-server`` on its own port and directory; ``aof`` turns the append-only file on
    (fsync on every write), else nothing is persisted and a restart forgets every queued task."""

    def __init__(self, root: Path, *, aof: bool) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed")
        self.port, self.dir, self.aof = free_port(), root, aof
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
               "--save", "", "--appendonly", "yes" if self.aof else "no", "--appendfsync", "always",
               "--daemonize", "no", "--logfile", str(self.dir / "redis.log")]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.proc.poll() is not None or self._ping(), timeout=START_TIMEOUT_S,  # type: ignore[union-attr]
                   what="redis-server to answer")
        assert self.proc.poll() is None, (self.dir / "redis.log").read_text(errors="replace")
        return self

    def _ping(self) -> bool:
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def crash(self) -> None:
        """SIGKILL: no shutdown save (only what the AOF already holds survives)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        self.crash()


class PrivatePostgres:
    """A PostgreSQL cluster made with ``initdb`` in a temporary directory, run with ``pg_ctl`` on
    its own port (and socket directory); as the ``postgres`` user when we are root."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        binary = Path(found[-1]).parent if found else None
        if binary is None and shutil.which("initdb") is None:
            raise RuntimeError("PostgreSQL's initdb is not installed")
        self.bin = binary or Path(shutil.which("initdb") or "").parent
        self.root = Path(tempfile.mkdtemp(prefix="grader-fault-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/grader"

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stdout}{proc.stderr}")

    def init(self) -> "PrivatePostgres":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        self.start()
        from grader.db import make_engine

        engine = make_engine(self.url.replace("/grader", "/postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text('CREATE DATABASE "grader"'))
        finally:
            engine.dispose()
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "pg.log"), "-w", "start")
        wait_until(lambda: _accepts(self.port), timeout=START_TIMEOUT_S, what="PostgreSQL to listen")

    def stop(self) -> None:
        """Fast shutdown: open transactions are rolled back, clients disconnected."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class RabbitVhost:
    """A vhost of our own on the machine's RabbitMQ (127.0.0.1:5672, guest/guest), deleted after."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.url = f"amqp://guest:guest@127.0.0.1:5672/{name}"

    @staticmethod
    def available() -> str | None:
        """None when RabbitMQ answers on 127.0.0.1:5672 and rabbitmqctl works; else why not."""
        if not _accepts(5672):
            return "RabbitMQ is not listening on 127.0.0.1:5672"
        if shutil.which("rabbitmqctl") is None:
            return "rabbitmqctl is not installed"
        return None

    def _ctl(self, *args: str) -> None:
        proc = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {proc.stdout}{proc.stderr}")

    def create(self) -> "RabbitVhost":
        self._ctl("add_vhost", self.name)
        self._ctl("set_permissions", "-p", self.name, "guest", ".*", ".*", ".*")
        return self

    def delete(self) -> None:
        self._ctl("delete_vhost", self.name)
