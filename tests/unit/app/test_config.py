"""Settings come from the environment, with the embedded default when nothing is set."""

from pathlib import Path

import pytest

from grader.config import REPO_ROOT, Settings


def test_defaults_point_at_the_embedded_sqlite_files() -> None:
    s = Settings.from_env({"SECRET_KEY": "k"})
    assert s.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'grader.sqlite'}"
    assert s.broker_url.startswith("sqla+sqlite:///")
    assert (s.port, s.host, s.grading_lease_s) == (5000, "127.0.0.1", 120)
    assert (s.answer_soft_time_s, s.answer_hard_time_s) == (5.0, 10.0)
    assert s.max_answer_chars == 4000 and s.max_request_bytes == 256 * 1024
    assert s.assignments_dir == REPO_ROOT / "assignments"
    assert s.is_sqlite


def test_environment_overrides_every_setting() -> None:
    env = {
        "DATABASE_URL": "postgresql+psycopg://u@h/db", "CELERY_BROKER_URL": "redis://h:6379/0",
        "SECRET_KEY": "s", "PORT": "8080", "HOST": "0.0.0.0", "ASSIGNMENTS_DIR": "/tmp/a",
        "GRADING_LEASE_S": "30", "ANSWER_SOFT_TIME_S": "1.5", "ANSWER_HARD_TIME_S": "3",
        "MAX_ANSWER_CHARS": "100", "MAX_REQUEST_BYTES": "2048", "GRADER_LIMIT_MAX_DEPTH": "10",
    }
    s = Settings.from_env(env)
    assert s.database_url == "postgresql+psycopg://u@h/db" and s.broker_url == "redis://h:6379/0"
    assert (s.secret_key, s.port, s.host) == ("s", 8080, "0.0.0.0")
    assert s.assignments_dir == Path("/tmp/a")
    assert (s.grading_lease_s, s.answer_soft_time_s, s.answer_hard_time_s) == (30, 1.5, 3.0)
    assert (s.max_answer_chars, s.max_request_bytes, s.limits.max_depth) == (100, 2048, 10)
    assert not s.is_sqlite


def test_a_hard_limit_below_the_soft_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="ANSWER_HARD_TIME_S"):
        Settings.from_env({"SECRET_KEY": "k", "ANSWER_SOFT_TIME_S": "5", "ANSWER_HARD_TIME_S": "1"})


def test_without_secret_key_one_is_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import grader.config as config

    path = tmp_path / "var" / "secret_key"
    monkeypatch.setattr(config, "SECRET_KEY_FILE", path)
    first = Settings.from_env({}).secret_key
    assert len(first) == 64 and path.stat().st_mode & 0o777 == 0o600
    assert Settings.from_env({}).secret_key == first
    assert Settings.from_env({"SECRET_KEY": "given"}).secret_key == "given"
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


@pytest.mark.parametrize(("name", "raw"), [("PORT", "http"), ("GRADING_LEASE_S", "-5"), ("MAX_ANSWER_CHARS", "0"),
                                           ("ANSWER_SOFT_TIME_S", "nan"), ("MAX_REQUEST_BYTES", "1.5")])
def test_a_bad_number_in_the_environment_names_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({"SECRET_KEY": "k", name: raw})


def test_every_way_of_submitting_gets_the_same_limits() -> None:
    s = Settings.from_env({"MAX_ANSWER_CHARS": "100", "MAX_ANSWER_PARTS": "7", "MAX_ANSWER_DEPTH": "2",
                           "SECRET_KEY": "k"})
    assert s.submission_limits() == {"max_answer_chars": 100, "max_answer_parts": 7, "max_answer_depth": 2}


def test_worker_and_cache_settings_come_from_their_variables() -> None:
    s = Settings.from_env({"SECRET_KEY": "k", "GRADER_SWEEP_INTERVAL_S": "2.5", "CELERY_VISIBILITY_TIMEOUT_S": "60",
                           "GRADER_VERDICT_CACHE": "OFF", "GRADER_LMS_RETRY_SCALE": "0.01"})
    assert (s.sweep_interval_s, s.visibility_timeout_s, s.verdict_cache, s.lms_retry_scale) == (2.5, 60, "off", 0.01)
    with pytest.raises(ValueError, match="GRADER_SWEEP_INTERVAL_S"):
        Settings.from_env({"SECRET_KEY": "k", "GRADER_SWEEP_INTERVAL_S": "0"})


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
