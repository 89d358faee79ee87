"""Database helpers for tests that store assignments without going through the loader."""

from __future__ import annotations

from grader.assignments.loader import read_yaml
from grader.db import Session
from grader.db.models import Assignment, AssignmentVersion, Course
from grader.services.catalog import content_hash


def add_assignment(session: Session, course: Course, source: str, *,
                   source_path: str = "test.yaml") -> AssignmentVersion:
    """Store an assignment version straight from YAML text (no key compilation)."""
    data = read_yaml(source)  # as the catalog reads it
    assignment = Assignment(key=data["id"], title=data["title"], course=course)
    version = AssignmentVersion(assignment=assignment, content_hash=content_hash(source), definition=data,
                                source_text=source, source_path=source_path, is_current=True)
    session.add_all([assignment, version])
    session.flush()
    return version
