"""The composition root: settings read once, parts built from them, nothing built at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from grader import bootstrap
from grader.config import Settings
from grader.services.queue import CeleryQueue, celery_config
from tests.support.fakes import FakeQueue

ROOT = Path(__file__).resolve().parents[3]


def test_settings_come_from_the_given_environment() -> None:
    settings = bootstrap.settings_from_environment({"PORT": "8081", "SECRET_KEY": "k"}, testing=True)
    assert (settings.port, settings.secret_key, settings.testing) == (8081, "k", True)


def test_the_app_gets_the_wired_queue_and_the_producer_uses_the_apps_settings() -> None:
    settings = Settings.from_env({}, secret_key="k", broker_url="redis://127.0.0.1:1/3")
    fake = FakeQueue()
    app = bootstrap.build_app(bootstrap.Wiring(settings, queue_override=fake), blueprints=[("grader.api", True)])
    assert app.extensions["grader"].queue is fake and app.extensions["grader"].settings is settings
    producer = bootstrap.Wiring(settings).queue
    assert isinstance(producer, CeleryQueue)
    assert producer.client().conf.broker_url == "redis://127.0.0.1:1/3"  # not the environment's
    producer.close()


def test_the_app_reads_the_time_from_the_wired_clock() -> None:
    from datetime import datetime, timezone

    from flask import Flask

    from grader.app import now

    fixed = datetime(2026, 12, 2, tzinfo=timezone.utc)
    app: Flask = bootstrap.build_app(bootstrap.Wiring(Settings.from_env({}, secret_key="k", testing=True),
                                                      clock=lambda: fixed, queue_override=FakeQueue()),
                                     blueprints=[("grader.api", True)])
    with app.app_context():
        assert now() == fixed   # the pages and the API pass it to the services to compare with deadlines


def test_the_celery_app_follows_the_settings_and_becomes_the_processs_wiring() -> None:
    settings = Settings.from_env({"GRADER_SWEEP_INTERVAL_S": "7"}, secret_key="k", broker_url="memory://")
    wiring = bootstrap.Wiring(settings)
    before = bootstrap._current
    try:
        app = bootstrap.build_celery(wiring)
        assert bootstrap.current() is wiring
    finally:
        bootstrap._current = before
    assert app.conf.beat_schedule["sweep-stuck-submissions"]["schedule"] == 7.0
    assert app.conf.task_acks_late == celery_config(settings)["task_acks_late"] is True


def test_importing_the_worker_builds_no_celery_app() -> None:
    code = "import worker.celery_app as m, worker.tasks, worker.lms_tasks; print(len(m._built))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
