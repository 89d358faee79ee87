"""Fault tests with real services: servers of their own (``servers.py``), real Celery workers,
the Flask app in process. Every server and worker a test starts is stopped at its teardown.

Inherits ``pg_url`` and ``committed_factory`` from ``tests/integration/conftest.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "worker"))  # worker_helpers, shared

from worker_helpers import Worker, start_worker  # noqa: E402

from grader.config import Settings  # noqa: E402


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """``workers(database_url, broker_url, name, beat=..., extra_env=...)``: a real worker process;
    all of them are SIGKILLed (whole process group) after the test."""
    started: list[Worker] = []

    def make(database_url: str, broker_url: str, name: str, **kwargs: Any) -> Worker:
        worker = start_worker(database_url, broker_url, tmp_path / f"{name}.log", **kwargs)
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.kill()


@pytest.fixture
def live_app() -> Iterator[Callable[[Settings, Any], Any]]:
    """``live_app(settings, factory)``: the API app sending real tasks to ``settings.broker_url``
    (the production wiring, ``grader.bootstrap``, on the test's sessions); its broker connections
    are closed after the test."""
    from grader.bootstrap import Wiring, build_app
    from grader.services.queue import CeleryQueue

    queues: list[CeleryQueue] = []

    def make(settings: Settings, factory: Any) -> Any:
        wiring = Wiring(settings, session_factory_override=factory)
        queue = wiring.queue
        assert isinstance(queue, CeleryQueue)
        queues.append(queue)
        return build_app(wiring, blueprints=[("grader.api", True)])

    yield make
    for queue in queues:
        queue.close()
