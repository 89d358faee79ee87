"""Helpers of the fault tests (the fixtures are in this folder's conftest)."""

from __future__ import annotations

from typing import Any

import yaml
from worker_helpers import ASSIGNMENT_YAML, WORKER_ENV, Class

from grader.config import Settings


def fault_settings(database_url: str, broker_url: str) -> Settings:
    return Settings.from_env(dict(WORKER_ENV), database_url=database_url, broker_url=broker_url, testing=True)


def make_class(factory: Any, students: int = 3) -> Class:
    """hw1 in a default course, committed, with students s0..s<n-1> (their tokens)."""
    from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, User
    from grader.services.catalog import content_hash
    from grader.services.auth import issue_token

    tokens: dict[str, str] = {}
    with factory() as s:
        course = Course(key="c1", title="Course 1", is_default=True)
        data = yaml.safe_load(ASSIGNMENT_YAML)
        assignment = Assignment(key=data["id"], title=data["title"], course=course)
        s.add_all([course, assignment, AssignmentVersion(
            assignment=assignment, content_hash=content_hash(ASSIGNMENT_YAML), definition=data,
            source_text=ASSIGNMENT_YAML, source_path="hw1.yaml", is_current=True)])
        for i in range(students):
            user = User(email=f"s{i}@example.com", display_name=f"s{i}")
            s.add_all([user, Enrollment(user=user, course=course, role="student")])
            s.flush()
            tokens[f"s{i}"] = issue_token(s, user)
        s.commit()
    return Class(tokens)


def graded_count(factory: Any, ids: list[int]) -> int:
    from sqlalchemy import func, select

    from grader.db.models import Submission

    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(Submission)
                            .where(Submission.id.in_(ids), Submission.status == "graded")) or 0)
