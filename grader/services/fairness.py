"""Fairness rules of grading (docs/worker.md, "Fairness").

- Fast and slow passes: a new submission is graded on the fast queue with a small per-answer
  budget (``Settings.fast_budget_s`` of CPU time soft, ``fast_hard_s`` of wall clock hard); when
  an answer goes over it,
  the submission is handed to the slow queue, which grades it with the full limits
  (``answer_soft_time_s``/``answer_hard_time_s``), so one hostile answer never holds a fast worker.
- A timed-out answer (on the slow pass) is remembered in the verdict cache under its question
  version and answer, so the same hostile answer is not run again: it is ``needs_review`` at once.
- One student's submissions are graded one at a time (``grader.db.queries.student_queue``).
"""

from __future__ import annotations

from grader.config import Settings

TIMED_OUT = ("soft", "hard")
_TIMEOUT_PREFIX = "timeout:"


def fast_settings(settings: Settings) -> Settings:
    """The settings of a fast pass: per-answer limits no longer than the fast budget."""
    return settings.replace(answer_soft_time_s=min(settings.answer_soft_time_s, settings.fast_budget_s),
                            answer_hard_time_s=min(settings.answer_hard_time_s, settings.fast_hard_s))


def timeout_key(verdict_key: str) -> str:
    """Where an answer's timeout is remembered, beside its verdict's key."""
    return _TIMEOUT_PREFIX + verdict_key


def has_slow_pass(settings: Settings) -> bool:
    """True when the fast budget is below the full limits (else the fast pass is the only one)."""
    return fast_settings(settings) != settings
