"""Fixtures of the LMS integration tests: the stand-in LMS and short HTTP timeouts (what is sent
to the workers is recorded by the ``queue`` fixture, a ``FakeQueue``). Helpers to build data are in ``lms_fixtures``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lms_standin import LmsStandIn  # noqa: E402

from grader.lms_protocol.signatures import generate_secret  # noqa: E402

WEBHOOK_SECRET = generate_secret()


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    """The integration settings, with the loopback stand-in allowed as a webhook and platform host."""
    return settings.replace(webhook_allowed_hosts=("127.0.0.1",))


@pytest.fixture
def lms() -> Iterator[LmsStandIn]:
    with LmsStandIn(webhook_secret=WEBHOOK_SECRET) as standin:
        yield standin


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in told to time out sleeps 1.5 s; the client gives up after 0.5 s."""
    from grader.lms_protocol import ags, webhooks as webhooks_out

    monkeypatch.setattr(webhooks_out, "TIMEOUT_S", 0.5)
    monkeypatch.setattr(ags, "TIMEOUT_S", 0.5)
