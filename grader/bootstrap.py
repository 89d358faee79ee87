"""The composition root: the one module that reads the environment, and the one place that wires
the parts together for the web app, the worker and the CLI.

    settings_from_environment()   Settings from os.environ (no other module reads the environment)
    Wiring(settings, ...)         the parts one process uses, built on first use: the database
                                  session factory, the task queue, the shared verdict cache, the
                                  clock, the key ring of secrets at rest, the LMS HTTP session
                                  (behind the egress fence) and token cache, and the grading hooks
                                  (a seam for tests; production has none)
    build_app(wiring=None)        the Flask app (gunicorn: ``grader.bootstrap:build_app()``)
    build_celery(wiring=None)     the worker's Celery app (``celery -A worker.celery_app`` builds it
                                  through here on first use; nothing is built at import)
    current()                     the process's wiring (the worker's tasks use it)
    install_key_ring(settings)    the key ring for ``grader admin`` (and Alembic run on its own)

The key ring (``grader.security.secret_box``) is process-wide because the database column type
that encrypts (``grader.db.encrypted.EncryptedText``) has no other way to reach it: every entry
point installs it from its settings here, and nothing reads ``ENCRYPTION_KEYS`` by itself.

Tests build a ``Wiring`` with fakes (a ``FakeQueue``, a slow grader) and pass it to ``build_app``
or ``build_celery`` instead of patching modules.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from grader.config import Settings

if TYPE_CHECKING:  # pragma: no cover
    from celery import Celery
    from flask import Flask

    from grader.db import SessionFactory
    from grader.engine.limits import Limits
    from grader.security.secret_box import KeyRing
    from grader.services.grading import GradingHooks
    from grader.services.queue import GradingQueue
    from grader.services.verdict_cache import SharedVerdictCache

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def utc_clock() -> datetime:
    """The current time, timezone-aware in UTC (what the database stores)."""
    return datetime.now(timezone.utc)


def settings_from_environment(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from the process environment (or ``environ``), then keyword ``overrides``."""
    return Settings.from_env(os.environ if environ is None else environ, **overrides)


def limits_from_environment(environ: Mapping[str, str] | None = None) -> "Limits":
    """The engine's limits alone (``GRADER_LIMIT_<NAME>``), for ``grader check``, which needs no
    database, broker or secret."""
    from grader.engine.limits import Limits

    return Limits.from_env(dict(os.environ if environ is None else environ))


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment for a child process (``grader serve``'s worker) that must resolve exactly
    the settings this process resolved: same database, broker, secret and assignments."""
    env = dict(os.environ)
    env.update(DATABASE_URL=settings.database_url, CELERY_BROKER_URL=settings.broker_url,
               SECRET_KEY=settings.secret_key, ASSIGNMENTS_DIR=str(settings.assignments_dir),
               ENCRYPTION_KEYS=",".join(settings.encryption_keys))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def install_key_ring(settings: Settings) -> "KeyRing":
    """Build the key ring of ``settings`` (``ENCRYPTION_KEYS``, then the key derived from
    ``SECRET_KEY``) and make it the process's; returns the ring in use."""
    from grader.security import secret_box

    return secret_box.install(secret_box.ring_for(settings.encryption_keys, settings.secret_key))


@dataclass
class Wiring:
    """The parts of one process, each built from ``settings`` on first use unless given.

    A forked worker child must not reuse its parent's database connections or HTTP session:
    ``after_fork()`` forgets them (the pool calls it in each child)."""

    settings: Settings
    clock: Callable[[], datetime] = utc_clock
    grading_hooks: "GradingHooks | None" = None
    session_factory_override: "SessionFactory | None" = None
    queue_override: "GradingQueue | None" = None
    verdict_cache_override: "SharedVerdictCache | None" = None
    _built: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def _once(self, name: str, make: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = make()
            built: T = self._built[name]
            return built

    @property
    def session_factory(self) -> "SessionFactory":
        """One SQLAlchemy engine and session factory per process."""
        if self.session_factory_override is not None:
            return self.session_factory_override
        from grader.db.session import make_session_factory

        return self._once("session_factory", lambda: make_session_factory(self.settings.database_url))

    @property
    def queue(self) -> "GradingQueue":
        """Where committed work is sent (Celery by task name)."""
        if self.queue_override is not None:
            return self.queue_override
        from grader.services.queue import CeleryQueue

        return self._once("queue", lambda: CeleryQueue(self.settings))

    @property
    def verdict_cache(self) -> "SharedVerdictCache":
        """The verdict cache the workers share (chosen by ``Settings.verdict_cache``)."""
        if self.verdict_cache_override is not None:
            return self.verdict_cache_override
        from grader.services.verdict_cache import open_cache

        return self._once("verdict_cache", lambda: open_cache(self.settings))

    @property
    def key_ring(self) -> "KeyRing":
        """The key ring of secrets at rest, installed as the process's on first use."""
        return self._once("key_ring", lambda: install_key_ring(self.settings))

    @property
    def lms_http(self) -> Any:
        """The HTTP session LMS deliveries and score posts go out on: it reaches only public
        addresses, resolved once per request (``WEBHOOK_ALLOWED_HOSTS`` exempts development hosts)."""
        from grader.security.egress import EgressPolicy
        from grader.security.egress_http import guarded_session

        return self._once("lms_http", lambda: guarded_session(
            EgressPolicy(allowed_hosts=self.settings.webhook_allowed_hosts)))

    @property
    def lms_tokens(self) -> Any:
        """LTI Advantage access tokens, cached per platform until they expire."""
        from grader.lms_protocol.ags import TokenCache

        return self._once("lms_tokens", TokenCache)

    def lms_retry_schedule(self) -> tuple[float, ...]:
        """The outbox's back-off schedule, scaled by ``Settings.lms_retry_scale``."""
        from grader.lms_protocol.webhooks import RETRY_SCHEDULE_S

        return tuple(s * self.settings.lms_retry_scale for s in RETRY_SCHEDULE_S)

    def after_fork(self) -> None:
        """Forget what a forked child must build for itself (engine, HTTP session, queue client)."""
        with self._lock:
            factory = self._built.pop("session_factory", None)
            if factory is not None:
                factory.kw["bind"].dispose(close=False)
            self._built.clear()


_current: Wiring | None = None
_current_lock = threading.Lock()


def current() -> Wiring:
    """The process's wiring: the one ``build_app``/``build_celery`` installed, else one built from
    the environment."""
    global _current
    with _current_lock:
        if _current is None:
            _current = Wiring(settings_from_environment())
            _current.key_ring  # noqa: B018 - installed before a task touches an encrypted column
        return _current


def install(wiring: Wiring) -> Wiring:
    """Make ``wiring`` the process's wiring (what the worker's tasks use)."""
    global _current
    wiring.key_ring  # noqa: B018 - the worker's tasks read encrypted columns
    with _current_lock:
        _current = wiring
    return wiring


def build_app(wiring: Wiring | None = None, **create_app_kwargs: Any) -> "Flask":
    """The Flask app, wired from ``wiring`` (default: the environment)."""
    from grader.app import create_app

    from grader.web import submission_limits

    wiring = wiring or Wiring(settings_from_environment())
    app = create_app(wiring.settings, session_factory=wiring.session_factory, queue=wiring.queue,
                     key_ring=wiring.key_ring, clock=wiring.clock, **create_app_kwargs)
    submission_limits.install(app, wiring.settings)  # per student (docs/worker.md, "Fairness")
    return app


# Grading, and the LMS integration's deliveries and score posts.
TASK_MODULES = ("worker.tasks", "worker.lms_tasks")


def make_celery(settings: Settings) -> "Celery":
    """A configured Celery app for the worker and beat; its tasks are ``TASK_MODULES``' (the
    reliability settings are explained in ``worker/celery_app.py``)."""
    from celery import Celery

    from grader.services.queue import celery_config

    app = Celery("grader", include=list(TASK_MODULES))
    app.conf.update(celery_config(settings))
    app.conf.update(
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_track_started=False,
        # A backstop only: answers have their own soft/hard limits inside the task.
        task_time_limit=max(600, settings.grading_lease_s * 5),
        beat_schedule=beat_schedule(settings),
    )
    return app


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """What beat sends, and how often (seconds)."""
    from grader.services.queue import TASK_SWEEP, TASK_SWEEP_REGRADES, TASK_SYNC_ROSTERS

    schedule: dict[str, dict[str, Any]] = {
        "sweep-stuck-submissions": {"task": TASK_SWEEP, "schedule": settings.sweep_interval_s},
        # regrade jobs with no progress for REGRADE_LEASE_S: re-sent, or ended as failed
        "sweep-regrade-jobs": {"task": TASK_SWEEP_REGRADES, "schedule": settings.sweep_interval_s},
        # docs/lms.md: webhooks and score posts that are due (long back-offs, lost tasks).
        "sweep-lms-outbox": {"task": "worker.lms_tasks.sweep_lms", "schedule": 60.0},
    }
    if settings.roster_sync_hours > 0:  # docs/lms.md, "Course roster": ROSTER_SYNC_HOURS=0 turns it off
        schedule["sync-lms-rosters"] = {"task": TASK_SYNC_ROSTERS, "schedule": settings.roster_sync_hours * 3600.0}
    return schedule


def build_celery(wiring: Wiring | None = None) -> "Celery":
    """The worker's Celery app; ``wiring`` becomes the process's wiring, used by every task."""
    wiring = install(wiring or Wiring(settings_from_environment()))
    return make_celery(wiring.settings)
