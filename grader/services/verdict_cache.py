"""A verdict cache shared by every worker: a class's repeated answers are graded once.

Keyed by (assignment version content hash, question id, normalised answer, grader version, and
the question's feedback attached from the dashboard when it has some): a
changed key is a new content hash, a new engine a new grader version, so stale verdicts are never
reused. The answer is normalised as text (Unicode NFC, runs of whitespace collapsed), not by its
parsed expression: parsing belongs in the sandboxed child, and feedback may quote what the
student typed, so two spellings of one expression are graded separately (the engine's in-process
LRU in ``grader/engine/result_cache.py`` still saves their parses).

Backends, chosen by ``open_cache(settings)``: Redis when the broker is Redis (the deployed
service), a SQLite file next to the database in the embedded default (shared by the worker's
processes), and an in-process LRU otherwise. ``Settings.verdict_cache`` (``GRADER_VERDICT_CACHE``)
chooses one, or ``off``.
Only definite verdicts are cached, and free text's "an instructor will grade this": never an
undecided ``needs_review`` or a timeout, which may not recur.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol, Sequence

from cachetools import LRUCache

from grader.config import Settings
from grader.same_answer import normalised as normalise  # one rule for "the same answer"

TTL_S = 14 * 24 * 3600
_PREFIX = "grader:verdict:"


def cache_key(content_hash: str, question_id: str, answer: Any, grader_version: str,
              anticipated: Sequence[tuple[str, str]] = ()) -> str:
    """A fixed-length key; ``anticipated`` is the question's feedback attached from the dashboard
    (attaching some makes new keys, so a regrade gives the new feedback).

    >>> cache_key("h", "1a", " 2*p_i  - 2*y_i", "0") == cache_key("h", "1a", "2*p_i - 2*y_i", "0")
    True
    >>> cache_key("h", "1a", "2*p_i", "0") == cache_key("h", "1a", "2*p_i", "0", [("2*p_i", "sign?")])
    False
    """
    parts: list[Any] = [content_hash, question_id, normalise(answer), grader_version]
    if anticipated:  # keys of questions without attached feedback stay as they were
        parts.append([[str(a), str(f)] for a, f in anticipated])
    raw = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


class SharedVerdictCache(Protocol):
    """Verdicts as JSON objects by ``cache_key``; every backend below is one."""

    def get(self, key: str) -> dict[str, Any] | None: ...
    def put(self, key: str, value: dict[str, Any]) -> None: ...


class MemoryCache:
    """An in-process LRU (also the fake for unit tests)."""

    def __init__(self, size: int = 4096) -> None:
        self._data: LRUCache[str, dict[str, Any]] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._data.get(key)
        return None if found is None else dict(found)

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = dict(value)


class NullCache:
    """Caching off."""

    def get(self, key: str) -> dict[str, Any] | None:
        return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        return None


class RedisCache:
    """Verdicts in Redis as JSON strings with a TTL; any Redis error is a miss."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = self._redis.get(_PREFIX + key)
        except Exception:
            return None
        return None if raw is None else json.loads(raw)

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            self._redis.set(_PREFIX + key, json.dumps(value), ex=TTL_S)
        except Exception:
            pass


class SqliteFileCache:
    """Verdicts in a small SQLite file (the embedded default: no server, shared by processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = str(path)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS verdict (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self._path, timeout=5)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            row = self._conn().execute("SELECT value FROM verdict WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else json.loads(row[0])

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            with self._conn() as conn:
                conn.execute("INSERT OR REPLACE INTO verdict VALUES (?, ?)", (key, json.dumps(value)))
        except sqlite3.Error:
            pass


def open_cache(settings: Settings) -> SharedVerdictCache:
    """The cache this deployment should use (see the module docstring)."""
    choice = settings.verdict_cache
    if choice == "off":
        return NullCache()
    from grader.services.queue import is_redis

    if choice in ("auto", "redis") and is_redis(settings.broker_url):
        return RedisCache(settings.broker_url)
    if choice in ("auto", "sqlite") and settings.database_url.startswith("sqlite:///"):
        database = Path(settings.database_url[len("sqlite:///"):])
        return SqliteFileCache(database.with_name("verdict-cache.sqlite"))
    return MemoryCache()
