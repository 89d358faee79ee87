"""The worker tests' Celery app: the production wiring (``grader.bootstrap``) with grading hooks
injected, started as ``celery -A hooked_celery_app`` by ``worker_helpers.start_worker``.

The test sets, in the worker's environment, ``GRADER_TEST_SLOW_GRADING_S`` (sleep that long after
a first claim, so the test can kill the worker meanwhile; the retry after the lease grades at
normal speed) and ``GRADER_TEST_SLOW_ANSWER`` (an answer containing this marker never finishes in
the grading child; one with "stuck" in it ignores the soft limit too). Production code knows
nothing of either.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from grader import bootstrap
from grader.services.grading import GradingHooks

SLOW_GRADING_S = float(os.environ.get("GRADER_TEST_SLOW_GRADING_S", "0") or 0)
SLOW_ANSWER = os.environ.get("GRADER_TEST_SLOW_ANSWER", "")


def slow_first_claim(fence: int) -> None:
    if fence == 1 and SLOW_GRADING_S > 0:
        time.sleep(SLOW_GRADING_S)  # stands for slow work; the test kills this process meanwhile


def slow_marked_answer(answer: Any) -> None:
    if SLOW_ANSWER and isinstance(answer, str) and SLOW_ANSWER in answer:
        if "stuck" in answer:  # deaf to the soft limit too: only the hard kill ends it
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)


app = bootstrap.build_celery(bootstrap.Wiring(
    bootstrap.settings_from_environment(),
    grading_hooks=GradingHooks(after_claim=slow_first_claim, before_answer=slow_marked_answer),
))
