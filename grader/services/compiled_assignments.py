"""The one cache of built assignments: a stored version's YAML text becomes the gradable
``grader.assignments`` object once per process and content, for the worker and the pages alike."""

from __future__ import annotations

from cachetools.func import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from grader.assignments.model import AssignmentSpec
    from grader.db.models import AssignmentVersion


@lru_cache(maxsize=64)
def compiled_assignment(content_hash: str, source_text: str, source_path: str) -> "AssignmentSpec":
    """The assignment of a stored version, keys checked (cached by content)."""
    from grader.assignments.loader import load_text

    return load_text(source_text, source=source_path or f"<version {content_hash[:12]}>")


def assignment_of(version: "AssignmentVersion") -> "AssignmentSpec":
    """The gradable assignment of ``version``."""
    return compiled_assignment(version.content_hash, version.source_text, version.source_path or "")
