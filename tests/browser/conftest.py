"""Browser test fixtures: the real service (``grader serve``: web app + Celery worker on a SQLite
broker) on a free loopback port, users made with ``grader admin``, and Debian's Chromium driven by
Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery staple"


@dataclass
class LiveServer:
    """A running ``grader serve`` and what the tests need to talk to it."""

    url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    password: str = PASSWORD

    def create_user(self, email: str, role: str) -> str:
        """Create a user with ``PASSWORD``; returns their API token."""
        out = subprocess.run([sys.executable, "-m", "grader", "admin", "create-user", email, "--role", role,
                              "--password", PASSWORD], env=self.env, cwd=ROOT, capture_output=True,
                             text=True, timeout=120, check=True)
        token = out.stdout.strip().splitlines()[-1]
        self.tokens[email] = token
        return token


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"grader serve exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"grader serve did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (bash tests/setup.sh installs it as root)")
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = dict(os.environ)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update(DATABASE_URL=f"sqlite:///{tmp / 'grader.sqlite'}",
               CELERY_BROKER_URL=f"sqla+sqlite:///{tmp / 'broker.sqlite'}",
               SECRET_KEY="browser-test-secret", HOST="127.0.0.1", PORT=str(port),
               ASSIGNMENTS_DIR=str(ROOT / "assignments"), GRADER_SWEEP_INTERVAL_S="5",
               ANSWER_SOFT_TIME_S="60", ANSWER_HARD_TIME_S="120",  # a loaded machine: no needs_review
               # the LMS iframe test: a TLS front (direct requests set no X-Forwarded-*), the stand-in LMS
               # page (its own site, any port) may frame the tool, its loopback URLs pass the egress fence
               TRUSTED_PROXIES="1", FRAME_ANCESTORS="'self' http://lms.test:*", WEBHOOK_ALLOWED_HOSTS="127.0.0.1")
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--concurrency", "1",
                                 "--no-demo-users", "--stop-timeout", "5"],
                                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc, log)
        server = LiveServer(url=url, env=env)
        server.create_user("student@example.com", "student")
        server.create_user("instructor@example.com", "instructor")
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the whole run: the sync API allows one at a time per thread (a test that
    started its own after the shared browser got "Sync API inside the asyncio loop")."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (bash tests/setup.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[object]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    blocked: list[str] = []  # the Content-Security-Policy must not block anything the pages need
    pg.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield pg
    context.close()
    assert not blocked, blocked


@pytest.fixture()
def shot() -> Callable[..., Path]:
    """``shot(page, name, selector=None)``: a screenshot under test-output/screenshots/ (gitignored)."""
    return _shot


def _shot(page: object, name: str, *, full_page: bool = True, selector: str | None = None) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if selector:
        page.locator(selector).screenshot(path=str(path))  # type: ignore[attr-defined]
    else:
        page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
