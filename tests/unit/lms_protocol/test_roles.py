"""Roles by the LTI 1.3 specification (issue 14, problem 4: the short names Administrator and
TeachingAssistant mapped to student, and a launch without a roles claim was a student)."""

from __future__ import annotations

import pytest

from grader.lms_protocol.roles import course_role

M = "http://purl.imsglobal.org/vocab/lis/v2/membership"
I = "http://purl.imsglobal.org/vocab/lis/v2/institution/person"
S = "http://purl.imsglobal.org/vocab/lis/v2/system/person"


@pytest.mark.parametrize(("roles", "expected"), [
    (["Instructor"], "instructor"),
    (["TeachingAssistant"], "instructor"),
    (["ContentDeveloper"], "instructor"),
    (["Administrator"], "instructor"),
    ([f"{M}#Instructor"], "instructor"),
    ([f"{M}/Instructor#TeachingAssistant"], "instructor"),
    ([f"{M}#ContentDeveloper"], "instructor"),
    ([f"{M}#Administrator"], "instructor"),
    ([f"{M}#Learner"], "student"),
    (["Learner"], "student"),
    ([f"{M}/Learner#Learner"], "student"),
    ([f"{M}#Learner", f"{M}/Instructor#TeachingAssistant"], "instructor"),
    # institution roles count only where no context role is present
    ([f"{I}#Faculty"], "instructor"),
    ([f"{I}#Administrator"], "instructor"),
    ([f"{I}#Student"], "student"),
    ([f"{M}#Learner", f"{I}#Faculty"], "student"),
    ([f"{M}#Learner", f"{I}#Administrator", f"{S}#Administrator"], "student"),
    # nothing that gives access
    ([], None),
    (None, None),
    ("Instructor", None),
    ([f"{M}#Mentor"], None),
    ([f"{M}#Mentor", f"{I}#Faculty"], None),
    ([f"{S}#SysAdmin"], None),
    ([f"{S}#Administrator"], None),
    ([42], None),
])
def test_roles_claim_gives_the_course_role_of_the_specification(roles: object, expected: str | None) -> None:
    assert course_role(roles) == expected
