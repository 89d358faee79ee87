"""Beat's schedule: the LMS roster sync every ``ROSTER_SYNC_HOURS`` (default 24), off with 0, sent
to a task the worker has, on the bulk queue (a slow LMS never holds up a submission)."""

from __future__ import annotations

import pytest

from grader.bootstrap import make_celery
from grader.config import Settings
from grader.services.queue import QUEUE_BULK, TASK_ROUTES, TASK_SYNC_ROSTERS


def _settings(**env: str) -> Settings:
    return Settings.from_env({"SECRET_KEY": "k", "DATABASE_URL": "sqlite://", **env})


def test_the_roster_sync_runs_every_configured_interval() -> None:
    app = make_celery(_settings(ROSTER_SYNC_HOURS="6"))
    entry = app.conf.beat_schedule["sync-lms-rosters"]
    assert entry == {"task": TASK_SYNC_ROSTERS, "schedule": 6 * 3600.0}
    app.loader.import_default_modules()
    assert TASK_SYNC_ROSTERS in app.tasks  # beat names a task the worker registers


def test_the_default_is_daily() -> None:
    assert _settings().roster_sync_hours == 24.0
    assert make_celery(_settings()).conf.beat_schedule["sync-lms-rosters"]["schedule"] == 24 * 3600.0


def test_zero_turns_the_scheduled_sync_off_and_keeps_the_sweepers() -> None:
    schedule = make_celery(_settings(ROSTER_SYNC_HOURS="0")).conf.beat_schedule
    assert "sync-lms-rosters" not in schedule
    assert {"sweep-stuck-submissions", "sweep-regrade-jobs", "sweep-lms-outbox"} <= set(schedule)


@pytest.mark.parametrize("raw", ["-1", "daily", "nan"])
def test_a_bad_interval_is_refused_with_its_name(raw: str) -> None:
    with pytest.raises(ValueError, match="ROSTER_SYNC_HOURS"):
        _settings(ROSTER_SYNC_HOURS=raw)


def test_the_roster_sync_goes_to_the_bulk_queue() -> None:
    assert TASK_ROUTES[TASK_SYNC_ROSTERS] == {"queue": QUEUE_BULK}
