"""Fakes shared by test packages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeQueue:
    """Records what would be sent to the workers (stands in for ``grader.services.queue.CeleryQueue``)."""

    grading: list[int] = field(default_factory=list)
    grading_slow: list[int] = field(default_factory=list)
    regrades: list[int] = field(default_factory=list)
    regrade_ones: list[tuple[int, int]] = field(default_factory=list)
    lms_deliveries: list[int] = field(default_factory=list)
    score_posts: list[int] = field(default_factory=list)

    def send_grading(self, submission_id: int) -> None:
        self.grading.append(submission_id)

    def send_grading_slow(self, submission_id: int) -> None:
        self.grading_slow.append(submission_id)

    def send_regrade(self, job_id: int) -> None:
        self.regrades.append(job_id)

    def send_regrade_one(self, job_id: int, submission_id: int) -> None:
        self.regrade_ones.append((job_id, submission_id))

    def send_lms_delivery(self, delivery_id: int) -> None:
        self.lms_deliveries.append(delivery_id)

    def send_score_post(self, score_post_id: int) -> None:
        self.score_posts.append(score_post_id)
