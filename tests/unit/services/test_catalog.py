"""What students see of an assignment: prompts and points, never a key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.config import REPO_ROOT
from grader.db import Session
from grader.services import provisioning as admin
from grader.services.catalog import assignment_view

KEY_FIELDS = ("key", "derivative_of", "check_against", "anticipated_errors", "cases", "value", "limit_of",
              "rubric", "sample_answer", "definition")


@pytest.fixture(autouse=True)
def _needs_parser() -> None:
    if not hasattr(pytest.importorskip("grader.engine.parsing"), "parse"):
        pytest.skip("the engine's parser has not landed yet")


def test_the_repository_assignments_show_no_keys_to_students(session: Session) -> None:
    folder = REPO_ROOT / "assignments"
    if not any(folder.glob("*.yaml")):
        pytest.skip("no assignment files yet")
    versions = admin.load_assignments(session, folder)
    assert versions
    for version in versions:
        student = assignment_view(version.assignment, version, include_keys=False)
        for question in student["questions"]:
            assert not set(question) & set(KEY_FIELDS), question["id"]
        staff = assignment_view(version.assignment, version, include_keys=True)
        assert all("definition" in q for q in staff["questions"])
        json.dumps(student)


def test_users_join_the_course_the_first_file_names(session: Session, tmp_path: Path, assignment_yaml: str) -> None:
    (tmp_path / "hw1.yaml").write_text("course: intro-ml\n" + assignment_yaml)
    [version] = admin.load_assignments(session, tmp_path)
    user, _token = admin.create_user(session, "s@example.com", "student")
    assert version.assignment.course.key == "intro-ml" and version.assignment.course.is_default
    assert [e.course.key for e in user.enrollments] == ["intro-ml"]
