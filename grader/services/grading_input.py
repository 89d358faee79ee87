"""What the worker grades a claimed submission against (``grader.services.grading``): built from
what the claim read (``queries.grading_turn.claim_in_turn``: answers, version, the feedback
attached from the dashboard) and the version's source, read once per content hash in a process (a
stored version's text never changes: a new text is a new version)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from grader.db import Session
from grader.db.queries import grading as q
from grader.db.queries import grading_turn as turn
from grader.db.queries.variants import declares_parameters, variant_inputs


def grading_input(s: Session, claimed: turn.Claimed) -> q.GradingInput:
    """What ``grade_answers`` needs, from the claim, the version's source (read once per content
    hash in this process) and the feedback attached from the dashboard (read every time)."""
    source_text, definition = _version_source(s, claimed)
    stored = definition.get("questions") or []
    questions = tuple((str(x.get("id")), float(x.get("points") or 0)) for x in stored if isinstance(x, dict))
    seed: tuple[str, ...] = ()
    override = ""
    if declares_parameters(definition):
        ref = _AssignmentRef(claimed.assignment_id, claimed.assignment_key, claimed.course_id)
        seed, override = variant_inputs(s, ref, claimed.user_id, definition)
    return q.GradingInput(
        submission_id=claimed.submission_id, answers=claimed.answers, version_id=claimed.version_id,
        content_hash=claimed.content_hash, source_text=source_text, source_path=claimed.source_path,
        attempts=claimed.fence, questions=questions, anticipated=claimed.anticipated,
        variant_seed=seed, variant_override=override)


@dataclass(frozen=True)
class _AssignmentRef:
    """The assignment columns ``variant_inputs`` reads."""

    id: int
    key: str
    course_id: int


_sources: LRUCache[tuple[str, str], tuple[str, dict[str, Any]]] = LRUCache(maxsize=64)
_sources_lock = threading.Lock()


def _version_source(s: Session, claimed: turn.Claimed) -> tuple[str, dict[str, Any]]:
    """A version's (source text, definition), by content hash: the same hash is the same text."""
    key = (claimed.content_hash, claimed.source_path)
    with _sources_lock:
        found = _sources.get(key)
    if found is None:
        found = turn.version_source(s, claimed.version_id)
        with _sources_lock:
            _sources[key] = found
    return found
