"""LTI 1.3 roles (LTI Core 1.3, section A.2): which course role a launch's roles claim gives.

Context roles decide: Instructor, TeachingAssistant, ContentDeveloper and Administrator (and their
sub-roles) give course staff rights; Learner gives student rights. Institution roles count only
when no context role is present. Simple names (``Instructor``) are context roles (section 5.3.7.1);
system roles and other context roles (Mentor, Member, ...) give nothing.

>>> course_role(["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"])
'instructor'
>>> course_role(["Learner", "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"])
'student'
>>> course_role([]) is None
True
"""

from __future__ import annotations

from typing import Any

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
STAFF_CONTEXT_ROLES = frozenset({"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator"})
STUDENT_CONTEXT_ROLES = frozenset({"Learner"})
STAFF_INSTITUTION_ROLES = frozenset({"Faculty", "Instructor", "Administrator", "Staff"})
STUDENT_INSTITUTION_ROLES = frozenset({"Student", "Learner"})


def _context_role(role: str) -> str | None:
    """The principal context role a URI or simple name stands for (a sub-role counts as its role,
    except TeachingAssistant, which names itself); None for other vocabularies."""
    if role.startswith(MEMBERSHIP + "#"):
        return role[len(MEMBERSHIP) + 1:]
    if role.startswith(MEMBERSHIP + "/"):  # membership/Instructor#TeachingAssistant
        principal, _, sub = role[len(MEMBERSHIP) + 1:].partition("#")
        return "TeachingAssistant" if sub == "TeachingAssistant" else principal
    if "/" not in role and ":" not in role and "#" not in role:
        return role  # a simple name
    return None


def course_role(roles: Any) -> str | None:
    """``instructor``, ``student`` or None (no role that gives access: the launch is refused)."""
    if not isinstance(roles, list):
        return None
    names = [r for r in roles if isinstance(r, str)]
    context = {c for c in (_context_role(r) for r in names) if c}
    if context:
        if context & STAFF_CONTEXT_ROLES:
            return "instructor"
        return "student" if context & STUDENT_CONTEXT_ROLES else None
    institution = {r[len(INSTITUTION):] for r in names if r.startswith(INSTITUTION)}
    if institution & STAFF_INSTITUTION_ROLES:
        return "instructor"
    return "student" if institution & STUDENT_INSTITUTION_ROLES else None
