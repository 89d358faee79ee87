"""A bounded LRU cache of verdicts, so a repeated answer to the same question returns at once
(``cachetools.LRUCache``, the LRU the project uses everywhere).

Keyed by (question fingerprint: expected + context + syntax + seed + limits, the parsed answer
expression + inexact): the same parsed form typed differently hits the same entry. Thread-safe.
"""

from __future__ import annotations

import threading
from typing import Hashable

from cachetools import LRUCache

from grader.engine.results import CheckResult


class VerdictCache:
    """``get``/``put`` by key; ``clear()`` empties it; ``maxsize`` entries at most."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._data: LRUCache[Hashable, CheckResult] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> CheckResult | None:
        """The cached result for ``key`` (and mark it recently used), or None."""
        with self._lock:
            hit = self._data.get(key)  # marks it recently used
            if hit is None:
                self.misses += 1
                return None
            self.hits += 1
            return hit

    def put(self, key: Hashable, result: CheckResult) -> None:
        """Store ``result``; the least recently used entry goes when full."""
        with self._lock:
            self._data[key] = result

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


DEFAULT_CACHE = VerdictCache()
