"""Fakes shared by test packages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeQueue:
    """Records what the web app would send to the workers (stands in for the Celery producer)."""

    grading: list[int] = field(default_factory=list)
    regrades: list[int] = field(default_factory=list)

    def send_grading(self, submission_id: int) -> None:
        self.grading.append(submission_id)

    def send_regrade(self, job_id: int) -> None:
        self.regrades.append(job_id)
