"""Per-answer soft and hard time limits in forked children (grader.services.grading_runner)."""

from __future__ import annotations

import os
import signal
import time

from grader.services.grading_runner import run_isolated


def _grade(qid: str) -> dict[str, object]:
    if qid == "slow":
        time.sleep(60)
    if qid == "deaf":  # ignores the soft limit, like a GMP computation in C
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if qid == "burn":
        while True:
            pass
    if qid == "wait":  # longer than a CPU-time soft limit, without computing
        time.sleep(0.5)
    if qid == "boom":
        raise ValueError("engine bug")
    if qid == "die":
        os._exit(3)
    return {"verdict": "correct", "qid": qid}


def test_every_answer_is_graded_in_order() -> None:
    out = run_isolated(_grade, ["a", "b", "c"], soft_s=2, hard_s=4)
    assert [out[q]["ok"]["qid"] for q in "abc"] == ["a", "b", "c"]


def test_an_answer_over_the_soft_limit_is_stopped_and_the_rest_are_graded() -> None:
    started = time.monotonic()
    out = run_isolated(_grade, ["a", "slow", "b"], soft_s=0.3, hard_s=3)
    assert out["slow"] == {"error": "soft", "ms": out["slow"]["ms"]}
    assert out["a"]["ok"]["qid"] == "a" and out["b"]["ok"]["qid"] == "b"
    assert time.monotonic() - started < 2.5


def test_an_answer_deaf_to_the_soft_limit_is_killed_at_the_hard_limit() -> None:
    started = time.monotonic()
    out = run_isolated(_grade, ["deaf", "a"], soft_s=0.2, hard_s=0.8)
    assert out["deaf"]["error"] == "hard"
    assert out["a"]["ok"]["qid"] == "a"
    assert time.monotonic() - started < 3


def test_an_exception_or_a_dead_child_costs_only_its_own_answer() -> None:
    out = run_isolated(_grade, ["boom", "a", "die", "b"], soft_s=2, hard_s=4)
    assert out["boom"]["error"] == "exception" and "engine bug" in out["boom"]["message"]
    assert out["die"]["error"] == "crash"
    assert out["a"]["ok"]["qid"] == "a" and out["b"]["ok"]["qid"] == "b"


def test_a_cpu_time_soft_limit_stops_computing_answers_and_lets_waiting_ones_finish() -> None:
    started = time.monotonic()
    out = run_isolated(_grade, ["burn", "wait", "a"], soft_s=0.2, hard_s=3, soft_cpu=True)
    assert out["burn"]["error"] == "soft"
    assert out["wait"]["ok"]["qid"] == "wait" and out["a"]["ok"]["qid"] == "a"
    assert time.monotonic() - started < 2.5
