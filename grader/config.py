"""Service configuration: a frozen value built once by ``grader.bootstrap`` and passed around.

Nothing here imports Flask, SQLAlchemy or Celery. With no variables set, everything points under
``<repo>/var`` (the embedded default): a SQLite database, a SQLite broker and a generated secret.

>>> Settings.from_env({"PORT": "8080", "SECRET_KEY": "k"}).port
8080
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from grader.engine.limits import Limits
from grader.security.secret_box import parse_keys

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
SECRET_KEY_FILE = VAR_DIR / "secret_key"


def _secret_from_file(path: Path) -> str:
    """Read the embedded default's secret key, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    try:
        os.link(tmp, path)  # atomic; loses to a concurrent first writer, whose key we then read
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def _number(env: Mapping[str, str], name: str, default: Any, kind: type) -> Any:
    """A positive number from the environment; ValueError naming the variable otherwise."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"{name} must be a positive number, not {raw!r}")
    return value


def _off_or_number(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive number, or 0 (the feature is off); ValueError naming the variable otherwise."""
    raw = env.get(name)
    if raw is not None and raw.strip() in ("0", "0.0"):
        return 0.0
    return float(_number(env, name, default, float))


MAX_TRUSTED_PROXIES = 5


def _proxy_count(raw: str | None) -> int:
    """TRUSTED_PROXIES: how many reverse proxies (0 to 5) set X-Forwarded-For/-Proto/-Host/-Port/-Prefix."""
    if raw is None or raw.strip() == "":
        return 0
    if not raw.strip().isdigit() or int(raw) > MAX_TRUSTED_PROXIES:
        raise ValueError(f"TRUSTED_PROXIES must be a whole number from 0 to {MAX_TRUSTED_PROXIES}, not {raw!r}")
    return int(raw)


def _names(raw: str) -> tuple[str, ...]:
    """A comma- or space-separated list of host names, lower-cased."""
    return tuple(n.strip().lower() for n in raw.replace(",", " ").split() if n.strip())


def _frame_ancestors(raw: str) -> str:
    """``FRAME_ANCESTORS``: CSP sources (``'self' https://canvas.example.edu``); ValueError for
    characters that would end the directive or the header."""
    value = " ".join(raw.replace(",", " ").split())
    if any(c in value for c in ";\r\n\"<>"):
        raise ValueError(f"FRAME_ANCESTORS must be space-separated CSP sources, not {raw!r}")
    return value


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    """A rate such as ``10 per 15 minutes`` (Flask-Limiter's notation); ValueError naming the variable."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        raise ValueError(f"{name} must be a rate such as '10 per 15 minutes', not {raw!r}") from None
    return raw


@dataclass(frozen=True)
class Settings:
    """Everything the web app, the worker and the CLI need to know about their environment."""

    database_url: str = f"sqlite:///{VAR_DIR / 'grader.sqlite'}"
    broker_url: str = f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite'}"
    secret_key: str = ""
    port: int = 5000
    host: str = "127.0.0.1"
    assignments_dir: Path = REPO_ROOT / "assignments"
    grading_lease_s: int = 120
    answer_soft_time_s: float = 5.0
    answer_hard_time_s: float = 10.0
    regrade_lease_s: int = 600  # a regrade job with no progress this long is re-sent by the sweeper
    regrade_max_sweeps: int = 3  # ... this many times, then it ends as failed
    regrade_slow_factor: float = 4.0  # a regrade retries an answer out of time with limits this many times longer
    max_answer_chars: int = 4000
    max_answer_parts: int = 500  # values in one structured answer (an AD table)
    max_answer_depth: int = 4  # lists/objects nested inside one answer
    max_request_bytes: int = 256 * 1024
    limits: Limits = field(default_factory=Limits)
    testing: bool = False
    sweep_interval_s: float = 30.0  # beat's sweep of submissions left queued or past their lease
    visibility_timeout_s: int = 900  # Redis: an unacknowledged task is redelivered after this long
    verdict_cache: str = "auto"  # auto (Redis with a Redis broker, else SQLite or memory) | redis | sqlite | memory | off
    lms_retry_scale: float = 1.0  # multiplies the LMS outbox back-off schedule (tests shrink it)
    roster_sync_hours: float = 24.0  # beat syncs every LMS course roster (NRPS) this often; 0: never
    trusted_proxies: int = 0  # reverse proxies in front of the app whose X-Forwarded-* headers are believed
    # secrets at rest: Fernet keys, the first encrypts (grader.security.secret_box)
    encryption_keys: tuple[str, ...] = ()
    # hosts webhooks may reach although they resolve to internal addresses (development, tests)
    webhook_allowed_hosts: tuple[str, ...] = ()
    # CSP frame-ancestors: who may show the pages in a frame (add your LMS origins for LTI)
    frame_ancestors: str = "'self'"
    # failed logins allowed (Flask-Limiter notation) and where the counters live
    login_limit_per_account: str = "10 per 15 minutes"
    login_limit_per_address: str = "50 per 15 minutes"
    rate_limit_storage_url: str = "memory://"
    session_lifetime_s: int = 12 * 3600  # a login cookie older than this is refused
    # an LTI launch whose cookie the iframe did not keep: its one-time "open in a new window" link lives this long
    lti_continuation_ttl_s: int = 300
    # fairness (docs/worker.md, "Fairness"): an answer over the fast budget is finished on the slow queue
    fast_budget_s: float = 0.2  # soft limit per answer on the fast queue
    fast_hard_s: float = 2.0  # hard limit per answer on the fast queue
    submission_rate: str = "30 per minute"  # per student (Flask-Limiter's notation; ';' joins several)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> "Settings":
        """Defaults, then the variables in ``environ``, then keyword ``overrides`` (tests use these).
        Only ``grader.bootstrap`` passes the process environment."""
        env = environ
        default = cls()
        values: dict[str, Any] = {
            "database_url": env.get("DATABASE_URL") or default.database_url,
            "broker_url": env.get("CELERY_BROKER_URL") or default.broker_url,
            "port": _number(env, "PORT", default.port, int),
            "host": env.get("HOST", default.host),
            "assignments_dir": Path(env.get("ASSIGNMENTS_DIR") or default.assignments_dir),
            "grading_lease_s": _number(env, "GRADING_LEASE_S", default.grading_lease_s, int),
            "answer_soft_time_s": _number(env, "ANSWER_SOFT_TIME_S", default.answer_soft_time_s, float),
            "answer_hard_time_s": _number(env, "ANSWER_HARD_TIME_S", default.answer_hard_time_s, float),
            "regrade_lease_s": _number(env, "REGRADE_LEASE_S", default.regrade_lease_s, int),
            "regrade_max_sweeps": _number(env, "REGRADE_MAX_SWEEPS", default.regrade_max_sweeps, int),
            "regrade_slow_factor": _number(env, "REGRADE_SLOW_FACTOR", default.regrade_slow_factor, float),
            "max_answer_chars": _number(env, "MAX_ANSWER_CHARS", default.max_answer_chars, int),
            "max_answer_parts": _number(env, "MAX_ANSWER_PARTS", default.max_answer_parts, int),
            "max_answer_depth": _number(env, "MAX_ANSWER_DEPTH", default.max_answer_depth, int),
            "max_request_bytes": _number(env, "MAX_REQUEST_BYTES", default.max_request_bytes, int),
            "limits": Limits.from_env(dict(env)),
            "sweep_interval_s": _number(env, "GRADER_SWEEP_INTERVAL_S", default.sweep_interval_s, float),
            "visibility_timeout_s": _number(env, "CELERY_VISIBILITY_TIMEOUT_S", default.visibility_timeout_s, int),
            "verdict_cache": (env.get("GRADER_VERDICT_CACHE") or default.verdict_cache).lower(),
            "lms_retry_scale": _number(env, "GRADER_LMS_RETRY_SCALE", default.lms_retry_scale, float),
            "roster_sync_hours": _off_or_number(env, "ROSTER_SYNC_HOURS", default.roster_sync_hours),
            "trusted_proxies": _proxy_count(env.get("TRUSTED_PROXIES")),
            "encryption_keys": parse_keys(env.get("ENCRYPTION_KEYS", "")),
            "webhook_allowed_hosts": _names(env.get("WEBHOOK_ALLOWED_HOSTS", "")),
            "frame_ancestors": _frame_ancestors(env.get("FRAME_ANCESTORS", "")) or default.frame_ancestors,
            "session_lifetime_s": _number(env, "SESSION_LIFETIME_S", default.session_lifetime_s, int),
            "lti_continuation_ttl_s": _number(env, "LTI_CONTINUATION_TTL_S", default.lti_continuation_ttl_s, int),
            "login_limit_per_account": _rate(env, "LOGIN_LIMIT_PER_ACCOUNT", default.login_limit_per_account),
            "login_limit_per_address": _rate(env, "LOGIN_LIMIT_PER_ADDRESS", default.login_limit_per_address),
            "fast_budget_s": _number(env, "GRADER_FAST_BUDGET_S", default.fast_budget_s, float),
            "fast_hard_s": _number(env, "GRADER_FAST_HARD_S", default.fast_hard_s, float),
            "submission_rate": _rate(env, "GRADER_SUBMISSION_RATE", default.submission_rate),
        }
        values.update(overrides)
        if "rate_limit_storage_url" not in values:  # Redis when the deployment has it: shared by every web process
            broker = str(values.get("broker_url", ""))
            values["rate_limit_storage_url"] = (env.get("RATE_LIMIT_STORAGE_URL")
                                                or (broker if broker.startswith(("redis://", "rediss://")) else "memory://"))
        if "secret_key" not in values:
            # only the embedded default makes its own key: elsewhere every web process and worker
            # must share one, and the app refuses to start without it (grader.security.secret_policy)
            embedded = str(values.get("database_url", "")).startswith("sqlite")
            values["secret_key"] = env.get("SECRET_KEY") or (_secret_from_file(SECRET_KEY_FILE) if embedded else "")
        settings = cls(**values)
        if settings.answer_hard_time_s < settings.answer_soft_time_s:
            raise ValueError("ANSWER_HARD_TIME_S must be at least ANSWER_SOFT_TIME_S")
        if settings.fast_hard_s < settings.fast_budget_s:
            raise ValueError("GRADER_FAST_HARD_S must be at least GRADER_FAST_BUDGET_S")
        return settings

    def submission_limits(self) -> dict[str, int]:
        """The size limits every way of submitting applies (API, pages, LMS), as keyword
        arguments of ``submit_answers``."""
        return {"max_answer_chars": self.max_answer_chars, "max_answer_parts": self.max_answer_parts,
                "max_answer_depth": self.max_answer_depth}

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded default's database."""
        return self.database_url.startswith("sqlite")
