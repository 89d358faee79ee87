"""Students' variants of parameterised assignments: which values a student has, the concrete
assignment they are graded against, what the pages and the API show them, and overrides.

A variant is never stored: it is drawn again from (course seed, assignment key, student id) and
each scope's parameter spec (``grader.assignments.variants.spec.draw_variant``), so it is the
same on every page load, in every worker, after a regrade and after a restart. Only the course's
seed and an instructor's override are in the database. Editing a question's ``parameters``
redraws that question for everyone; editing anything else (a prompt, a key) keeps every value.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import TYPE_CHECKING, Any

from grader.db import Session
from grader.db.models import Assignment, AssignmentVersion, User
from grader.db.queries import users as qu
from grader.db.queries import variants as qv
from grader.services.catalog import STAFF_ROLES, assignment_definition, assignment_for
from grader.services.errors import InvalidRequest, NotFound

if TYPE_CHECKING:  # pragma: no cover
    from grader.assignments.model import AssignmentSpec as AssignmentDef
    from grader.assignments.variants.spec import Variant


def variant_of(base: "AssignmentDef", seed: tuple[str, ...], override: str = "") -> "Variant | None":
    """The variant drawn from ``seed`` (course seed, assignment key, student id), or the
    instructor's ``override`` (JSON text); None for an assignment without parameters."""
    from grader.assignments.variants.spec import Variant, draw_variant, in_spec_order

    if base.variants is None or not seed:
        return None
    if override:
        return in_spec_order(base.variants, Variant.from_json(json.loads(override)))
    return draw_variant(base.variants, *seed)


def concrete(base: "AssignmentDef", seed: tuple[str, ...], override: str = "") -> "AssignmentDef":
    """What a submission is graded against: ``base`` at the student's variant (cached)."""
    from grader.assignments.variants.instantiate import instantiate

    return instantiate(base, variant_of(base, seed, override))


def fingerprint(assignment: "AssignmentDef") -> str:
    """A short digest of the values ``assignment`` was instantiated with ("" without parameters):
    part of the verdict cache key, so students who drew the same values share verdicts and no
    verdict of one variant serves another."""
    variant = getattr(assignment, "variant", None)
    if getattr(assignment, "variants", None) is None or variant is None:
        return ""
    text = json.dumps(variant.to_json(), sort_keys=True)
    return "/" + hashlib.sha256(text.encode()).hexdigest()[:16]


def student_variant(session: Session, assignment: Assignment, version: AssignmentVersion,
                    user_id: int) -> "Variant | None":
    """The student's variant of the version (None when it has no parameters)."""
    seed, override = qv.variant_inputs(session, assignment, user_id, version.definition)
    return variant_of(assignment_definition(version), seed, override)


def student_assignment(session: Session, assignment: Assignment, version: AssignmentVersion,
                       user_id: int) -> "AssignmentDef":
    """The gradable assignment as this student has it (their variant's keys and contexts)."""
    from grader.assignments.variants.instantiate import instantiate

    return instantiate(assignment_definition(version), student_variant(session, assignment, version, user_id))


def student_definition(session: Session, assignment: Assignment, version: AssignmentVersion,
                       user_id: int) -> dict[str, Any]:
    """The version's definition as this student sees it: placeholders filled with their values
    (``version.definition`` itself when there are no parameters)."""
    variant = student_variant(session, assignment, version, user_id)
    if variant is None:
        return version.definition
    from grader.assignments.variants.instantiate import concrete_data

    base = assignment_definition(version)
    return concrete_data(base.variants, variant, base.source)


def student_questions(session: Session, assignment: Assignment, version: AssignmentVersion,
                      user_id: int) -> list[dict[str, Any]]:
    """The questions of ``student_definition`` (copies: callers may change them)."""
    return copy.deepcopy(list(student_definition(session, assignment, version, user_id).get("questions") or []))


def with_variant(view: dict[str, Any], session: Session, assignment: Assignment, version: AssignmentVersion,
                 user_id: int) -> dict[str, Any]:
    """An ``assignment_view`` with the student's prompts and points filled in and their
    ``"variant"`` (the view unchanged when the assignment has no parameters)."""
    variant = student_variant(session, assignment, version, user_id)
    if variant is None:
        return view
    from grader.assignments.variants.instantiate import concrete_data

    base = assignment_definition(version)
    data = concrete_data(base.variants, variant, base.source)
    out = {**view, "variant": variant.to_json()}
    if "questions" in view:
        questions = []
        for shown, concrete_q in zip(view["questions"], data["questions"], strict=True):
            questions.append({**shown, **{k: concrete_q[k] for k in shown if k in concrete_q and k != "definition"}})
        out["questions"] = questions
    return out


def _student_of(session: Session, staff: User, key: str, student_id: int) -> tuple[Assignment, AssignmentVersion, User]:
    assignment, version, _role = assignment_for(session, staff, key, staff=True)
    student = session.get(User, student_id)
    if student is None or qu.role_in_course(session, student_id, assignment.course_id) is None:
        raise NotFound(f"no student {student_id} in the course of {key!r}")
    return assignment, version, student


def preview(session: Session, staff: User, key: str, student_id: int) -> dict[str, Any]:
    """What the student sees (their variant, prompts and points) plus whether it is overridden:
    for the instructor's preview (``GET .../variants/<id>``)."""
    from grader.services.catalog import assignment_view

    assignment, version, student = _student_of(session, staff, key, student_id)
    view = assignment_view(assignment, version, include_keys=False)
    out = with_variant(view, session, assignment, version, student.id)
    out["student"] = {"id": student.id, "email": student.email}
    out["overridden"] = qv.override_of(session, assignment.id, student.id) is not None
    return out


def override(session: Session, staff: User, key: str, student_id: int, values: Any) -> dict[str, Any]:
    """Set some of a student's values (the rest keep their draw); 422 when they do not fit."""
    from grader.assignments.errors import AssignmentError
    from grader.assignments.variants.instantiate import build_variant
    from grader.assignments.variants.override import complete
    from grader.assignments.variants.parameters import ParameterError

    assignment, version, student = _student_of(session, staff, key, student_id)
    base = assignment_definition(version)
    if base.variants is None:
        raise InvalidRequest(f"assignment {key!r} has no parameters")
    seed, _override = qv.variant_inputs(session, assignment, student.id, version.definition)
    drawn = variant_of(base, seed)
    assert drawn is not None  # the version has parameters, so the student has a draw
    try:
        variant = complete(base.variants, values, drawn)
        build_variant(base.variants, variant, base.source)
    except ParameterError as exc:
        raise InvalidRequest(f"{exc.field}: {exc.message}") from None
    except AssignmentError as exc:
        raise InvalidRequest(str(exc)) from None
    qv.set_override(session, assignment.id, student.id, variant.to_json(), set_by=staff.id)
    return preview(session, staff, key, student_id)


def clear(session: Session, staff: User, key: str, student_id: int) -> dict[str, Any]:
    """Back to the student's own draw."""
    assignment, _version, student = _student_of(session, staff, key, student_id)
    qv.clear_override(session, assignment.id, student.id)
    return preview(session, staff, key, student_id)


__all__ = ["STAFF_ROLES", "clear", "concrete", "fingerprint", "override", "preview", "student_definition",
           "student_assignment", "student_questions", "student_variant", "variant_of", "with_variant"]
