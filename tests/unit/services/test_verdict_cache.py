"""The shared verdict cache: keys, and the backend each deployment gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.config import Settings
from grader.services.verdict_cache import (
    MemoryCache, NullCache, RedisCache, SqliteFileCache, cache_key, open_cache,
)


def test_spacing_does_not_change_the_key_but_anything_else_does() -> None:
    base = cache_key("h", "1a", "2*p_i - 2*y_i", "1")
    assert cache_key("h", "1a", "  2*p_i  -\t2*y_i ", "1") == base
    assert len({base, cache_key("h2", "1a", "2*p_i - 2*y_i", "1"), cache_key("h", "1b", "2*p_i - 2*y_i", "1"),
                cache_key("h", "1a", "2*p_i-2*y_i", "1"), cache_key("h", "1a", "2*p_i - 2*y_i", "2")}) == 5


def test_the_sqlite_file_cache_is_shared_between_instances(tmp_path: Path) -> None:
    first, second = SqliteFileCache(tmp_path / "c.sqlite"), SqliteFileCache(tmp_path / "c.sqlite")
    assert first.get("k") is None
    first.put("k", {"verdict": "correct"})
    assert second.get("k") == {"verdict": "correct"}


def test_the_memory_cache_forgets_the_least_recently_used() -> None:
    cache = MemoryCache(size=2)
    cache.put("a", {"v": 1})
    cache.put("b", {"v": 2})
    cache.get("a")
    cache.put("c", {"v": 3})
    assert cache.get("b") is None and cache.get("a") == {"v": 1}


@pytest.mark.parametrize(("broker", "database", "choice", "kind"), [
    ("redis://127.0.0.1:6379/0", "postgresql+psycopg://x/y", "auto", RedisCache),
    ("sqla+sqlite:////tmp/b.sqlite", "sqlite:///{tmp}/g.sqlite", "auto", SqliteFileCache),
    ("amqp://x", "postgresql+psycopg://x/y", "auto", MemoryCache),
    ("redis://127.0.0.1:6379/0", "postgresql+psycopg://x/y", "off", NullCache),
])
def test_each_deployment_gets_its_backend(tmp_path: Path, broker: str, database: str, choice: str,
                                          kind: type) -> None:
    settings = Settings.from_env({"GRADER_VERDICT_CACHE": choice}, broker_url=broker,
                                 database_url=database.format(tmp=tmp_path), secret_key="k")
    assert isinstance(open_cache(settings), kind)


def test_feedback_attached_from_the_dashboard_changes_the_key() -> None:
    plain = cache_key("h", "1a", "2*p_i", "1")
    assert cache_key("h", "1a", "2*p_i", "1", ()) == plain  # keys without attached feedback are unchanged
    attached = cache_key("h", "1a", "2*p_i", "1", [("2p_i + 2y_i", "check the sign")])
    assert attached != plain
    assert attached != cache_key("h", "1a", "2*p_i", "1", [("2p_i + 2y_i", "another comment")])
