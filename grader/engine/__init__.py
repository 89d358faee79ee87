"""The grading engine: pure (stdlib, sympy, mpmath, lark, numpy), no framework, no I/O.

Public API, loaded lazily on first use (``import grader.engine`` itself costs nothing)::

    from grader.engine import check_answer, GradingContext
    check_answer("2*p_i - 2*y_i", r"\\boxed{2p_i - 2y_i}", context=GradingContext.from_json({...}))
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "parse": "grader.engine.parsing",
    "Parsed": "grader.engine.parsing",
    "NameContext": "grader.engine.parsing",
    "Member": "grader.engine.parsing",
    "GradingContext": "grader.engine.context",
    "Interval": "grader.engine.context",
    "Discrete": "grader.engine.context",
    "check_answer": "grader.engine.check",
    "compare": "grader.engine.equivalence",
    "VerdictCache": "grader.engine.result_cache",
    "DEFAULT_CACHE": "grader.engine.result_cache",
    "Verdict": "grader.engine.results",
    "CheckResult": "grader.engine.results",
    "RegionResult": "grader.engine.results",
    "Limits": "grader.engine.limits",
    "DEFAULT_LIMITS": "grader.engine.limits",
    "EngineError": "grader.engine.errors",
    "ParseError": "grader.engine.errors",
    "LimitExceeded": "grader.engine.errors",
    "ContextError": "grader.engine.errors",
    "Tape": "grader.engine.tape",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'grader.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
