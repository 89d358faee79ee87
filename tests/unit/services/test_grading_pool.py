"""The long-lived grading child (grader.services.grading_pool): the same per-answer guarantees as
``run_isolated``, one child kept between jobs."""

from __future__ import annotations

import os
import signal
import time
from typing import Any, Callable

import pytest

from grader.services.grading_pool import GradingPool


def _grade(qid: str) -> dict[str, object]:
    if qid == "slow":
        time.sleep(60)
    if qid == "deaf":  # ignores the soft limit, like a GMP computation in C
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if qid == "boom":
        raise ValueError("engine bug")
    if qid == "die":
        os._exit(3)
    return {"verdict": "correct", "qid": qid, "pid": os.getpid()}


def grader_of(tag: str) -> Callable[[str], dict[str, object]]:
    """A picklable factory (module level), as the worker's question grader is."""
    return _grade


@pytest.fixture
def pool() -> Any:
    p = GradingPool()
    yield p
    p.close()


def test_every_answer_is_graded_in_order_and_the_child_is_kept(pool: GradingPool) -> None:
    first = pool.run(grader_of, ("x",), ["a", "b"], soft_s=2, hard_s=4)
    second = pool.run(grader_of, ("x",), ["c"], soft_s=2, hard_s=4)
    assert [first[q]["ok"]["qid"] for q in "ab"] == ["a", "b"]
    assert second["c"]["ok"]["pid"] == first["a"]["ok"]["pid"] != os.getpid()
    assert pool.forks == 1


def test_an_answer_over_the_soft_limit_is_stopped_and_the_rest_are_graded(pool: GradingPool) -> None:
    started = time.monotonic()
    out = pool.run(grader_of, ("x",), ["a", "slow", "b"], soft_s=0.3, hard_s=3)
    assert out["slow"] == {"error": "soft", "ms": out["slow"]["ms"]}
    assert out["a"]["ok"]["qid"] == "a" and out["b"]["ok"]["qid"] == "b"
    assert out["b"]["ok"]["pid"] != out["a"]["ok"]["pid"]  # a fresh child after a soft stop
    assert time.monotonic() - started < 2.5


def test_an_answer_deaf_to_the_soft_limit_is_killed_at_the_hard_limit(pool: GradingPool) -> None:
    started = time.monotonic()
    out = pool.run(grader_of, ("x",), ["deaf", "a"], soft_s=0.2, hard_s=0.8)
    assert out["deaf"]["error"] == "hard"
    assert out["a"]["ok"]["qid"] == "a"
    assert time.monotonic() - started < 3


def test_an_exception_or_a_dead_child_costs_only_its_own_answer(pool: GradingPool) -> None:
    out = pool.run(grader_of, ("x",), ["boom", "a", "die", "b"], soft_s=2, hard_s=4)
    assert out["boom"]["error"] == "exception" and "engine bug" in out["boom"]["message"]
    assert out["die"]["error"] == "crash"
    assert out["a"]["ok"]["qid"] == "a" and out["b"]["ok"]["qid"] == "b"
    assert pool.run(grader_of, ("x",), ["c"], soft_s=2, hard_s=4)["c"]["ok"]["qid"] == "c"


def test_a_child_is_retired_after_its_answer_budget() -> None:
    pool = GradingPool(max_answers=2)
    try:
        pids = {pool.run(grader_of, ("x",), [q], soft_s=2, hard_s=4)[q]["ok"]["pid"] for q in "abcd"}
    finally:
        pool.close()
    assert len(pids) == 2 and pool.forks == 2


def test_a_job_that_cannot_be_pickled_is_graded_in_a_forked_child(pool: GradingPool) -> None:
    out = pool.run(lambda: (lambda q: {"qid": q, "pid": os.getpid()}), (), ["a"], soft_s=2, hard_s=4)
    assert out["a"]["ok"]["qid"] == "a" and out["a"]["ok"]["pid"] != os.getpid()
    assert pool.forks == 0


def test_the_child_keeps_no_descriptor_of_its_parent(pool: GradingPool) -> None:
    """Was: the child kept every inherited fd, so a pipe the parent closed never reached EOF (the
    browser driver of the test run waited for its stdin to close and the run hung at its end)."""
    import select

    r, w = os.pipe()
    try:
        pool.run(grader_of, ("x",), ["a"], soft_s=2, hard_s=4)  # the child is forked with w open
        os.close(w)
        w = -1
        ready, _, _ = select.select([r], [], [], 5)
        assert ready and os.read(r, 1) == b""  # EOF: nobody else holds the write end
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
