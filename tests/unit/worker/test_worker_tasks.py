"""The regrade task records a submission that keeps failing in its job, so the job ends."""

from __future__ import annotations

from typing import Any

import pytest


def test_a_regrade_failing_on_its_last_retry_is_recorded_in_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "k")
    from celery.exceptions import Retry

    from worker import tasks

    recorded: list[tuple[int, int, str]] = []

    def boom(*_a: Any, **_k: Any) -> bool:
        raise RuntimeError("version cannot be loaded")

    monkeypatch.setattr(tasks.regrading, "regrade_submission_by_id", boom)
    monkeypatch.setattr(tasks.regrading, "fail_regrade_submission",
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
