"""The regrade task records a submission that keeps failing in its job (so the job ends), and the
regrade limits are settings read from the environment."""

from __future__ import annotations

from typing import Any

import pytest

from grader.config import Settings


def test_the_regrade_limits_come_from_the_environment() -> None:
    env = {"SECRET_KEY": "k", "REGRADE_LEASE_S": "30", "REGRADE_MAX_SWEEPS": "1", "REGRADE_SLOW_FACTOR": "2.5"}
    settings = Settings.from_env(env)
    assert (settings.regrade_lease_s, settings.regrade_max_sweeps, settings.regrade_slow_factor) == (30, 1, 2.5)
    defaults = Settings.from_env({"SECRET_KEY": "k"})
    assert (defaults.regrade_lease_s, defaults.regrade_max_sweeps, defaults.regrade_slow_factor) == (600, 3, 4.0)


@pytest.mark.parametrize("name", ["REGRADE_LEASE_S", "REGRADE_MAX_SWEEPS", "REGRADE_SLOW_FACTOR"])
def test_a_bad_regrade_limit_names_its_variable(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({"SECRET_KEY": "k", name: "0"})


def test_a_regrade_failing_on_its_last_retry_is_recorded_in_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "k")
    from celery.exceptions import Retry

    from worker import tasks

    recorded: list[tuple[int, int, str]] = []

    def boom(*_a: Any, **_k: Any) -> bool:
        raise RuntimeError("version cannot be loaded")

    monkeypatch.setattr(tasks.grading, "regrade_submission_by_id", boom)
    monkeypatch.setattr(tasks.grading, "fail_regrade_submission",
                        lambda _f, job, sid, *, reason: recorded.append((job, sid, reason)) or True)
    monkeypatch.setattr(tasks, "_factory", lambda: None)
    monkeypatch.setattr(tasks, "_settings", lambda: None)
    task = tasks.regrade_submission
    task.push_request(id="t1", retries=0, called_directly=False, is_eager=True, args=[7, 11], kwargs={})
    try:
        with pytest.raises(Retry):  # not the last try: retried, nothing recorded
            task.run(7, 11)
    finally:
        task.pop_request()
    assert recorded == []
    task.push_request(id="t1", retries=5, called_directly=False)
    try:
        assert task.run(7, 11) is False
    finally:
        task.pop_request()
    assert recorded == [(7, 11, "RuntimeError: version cannot be loaded")]
