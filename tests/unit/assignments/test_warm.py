"""Warming an assignment before the grader forks (grader.assignments.warm): a child forked after
it finds every key compiled and the engine's lazily imported modules loaded."""

from __future__ import annotations

import os
import sys

from grader.assignments.keys import key_of
from grader.assignments.warm import LAZY_MODULES, warm


def _in_fork(check) -> int:  # type: ignore[no-untyped-def]
    """Run ``check()`` in a forked child; its exit status (0 when it returned True)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0 if check() else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_child_forked_after_warming_compiles_and_imports_nothing(assignment4) -> None:  # type: ignore[no-untyped-def]
    warm(assignment4)
    assert all(name in sys.modules for name in LAZY_MODULES)

    def nothing_new() -> bool:
        before = key_of.cache_info().misses
        for q in assignment4.questions:
            key_of(q)
        return key_of.cache_info().misses == before and "grader.engine.prover" in sys.modules

    assert _in_fork(nothing_new) == 0


def test_warming_twice_compiles_nothing_more(assignment4) -> None:  # type: ignore[no-untyped-def]
    warm(assignment4)
    misses = key_of.cache_info().misses
    warm(assignment4)
    assert key_of.cache_info().misses == misses
