"""A REAL Celery worker process (prefork) on this machine's PostgreSQL and Redis; no eager mode.

Inherits ``pg_url`` and ``committed_factory`` (real commits, tables emptied after each test) from
``tests/integration/conftest.py``.
Redis uses a database index of its own (10 + pid % 5), flushed at the start. Workers are started
with ``python -m celery -A hooked_celery_app worker --pool prefork -c 2`` (the production wiring
with the tests' grading hooks) and an environment that points them at the test database; every
worker a test starts is stopped (its whole process group)
at teardown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml
from worker_helpers import ASSIGNMENT_YAML, BROKER_URL, REDIS_URL, WORKER_ENV, Class, Worker, start_worker

from grader.config import Settings
from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, User
from grader.services.catalog import content_hash
from grader.services.auth import issue_token


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as exc:  # pragma: no cover - no server
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    finally:
        client.close()
    return BROKER_URL  # the broker (Redis unless GRADER_TEST_BROKER_URL names RabbitMQ)


@pytest.fixture
def worker_settings(pg_url: str, redis_url: str) -> Settings:
    return Settings.from_env(dict(WORKER_ENV), database_url=pg_url, broker_url=redis_url, testing=True)


@pytest.fixture
def worker_factory(pg_url: str, redis_url: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers on demand; all of them are stopped after the test."""
    started: list[Worker] = []

    def make(name: str = "worker", **kwargs: Any) -> Worker:
        worker = start_worker(pg_url, redis_url, tmp_path / f"{name}.log", **kwargs)
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.stop()


@pytest.fixture(scope="module")
def shared_worker(pg_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """One worker (with the sweeper's beat) for a whole test module."""
    worker = start_worker(pg_url, redis_url, tmp_path_factory.mktemp("worker") / "shared.log", beat=True)
    yield worker
    worker.stop()


@pytest.fixture
def live_app(worker_settings: Settings, committed_factory: Any) -> Iterator[Any]:
    """The Flask app on committed sessions, sending real tasks to the test Redis."""
    from grader.bootstrap import Wiring, build_app

    wiring = Wiring(worker_settings, session_factory_override=committed_factory)
    yield build_app(wiring, blueprints=[("grader.api", True)])
    wiring.queue.close()  # type: ignore[attr-defined]


@pytest.fixture
def klass(committed_factory: Any) -> Class:
    tokens: dict[str, str] = {}
    with committed_factory() as s:
        course = Course(key="c1", title="Course 1", is_default=True)
        data = yaml.safe_load(ASSIGNMENT_YAML)
        assignment = Assignment(key=data["id"], title=data["title"], course=course)
        s.add_all([course, assignment, AssignmentVersion(
            assignment=assignment, content_hash=content_hash(ASSIGNMENT_YAML), definition=data,
            source_text=ASSIGNMENT_YAML, source_path="hw1.yaml", is_current=True)])
        for name, role in [("teacher", "instructor"), ("alice", "student"), ("bob", "student")]:
            user = User(email=f"{name}@example.com", display_name=name)
            s.add_all([user, Enrollment(user=user, course=course, role=role)])
            s.flush()
            tokens[name] = issue_token(s, user)
        s.commit()
    return Class(tokens)
