"""Assignments in the database: loading files as versions, access checks, what students see."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any


from grader.db import Session
from grader.db.models import Assignment, AssignmentVersion, Course, User
from grader.db.queries import assignments as qa
from grader.db.queries import users as qu
from grader.db.queries import variants as qv
from grader.services.compiled_assignments import assignment_of
from grader.services.errors import Forbidden, NotFound

if TYPE_CHECKING:  # pragma: no cover
    from grader.assignments.model import AssignmentSpec
    from grader.assignments.model import Question

DEFAULT_COURSE_KEY = "default"
STAFF_ROLES = ("instructor", "admin")
# Fields of a question a student may see (everything else can give the answer away).
STUDENT_FIELDS = (
    "id", "type", "points", "prompt", "attempts_allowed", "function", "inputs", "point", "part", "graph_from",
    "due", "late",
)


def content_hash(text: str) -> str:
    """SHA-256 of a file's text: the identity of an assignment version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_default_course(session: Session) -> Course:
    """The default course, created (key ``default``) when there is none."""
    course = qu.default_course(session)
    if course is None:
        course = Course(key=DEFAULT_COURSE_KEY, title="Default course", is_default=True)
        session.add(course)
        session.flush()
    return course


def _course_for(session: Session, key: str | None) -> Course:
    if not key:
        return ensure_default_course(session)
    course = qu.course_by_key(session, key)
    if course is None:
        # The first course an assignment file names becomes the default one (for create-user).
        course = Course(key=key, title=key, is_default=not qu.has_flagged_default(session))
        session.add(course)
        session.flush()
    return course


def load_assignment_file(session: Session, path: Path) -> AssignmentVersion:
    """Load one file: a new content becomes a new current version; a known one becomes current
    again. Raises ``grader.assignments.errors.AssignmentError`` for an invalid file."""
    from grader.assignments.loader import load_text, read_yaml

    text = path.read_text(encoding="utf-8")
    parsed = load_text(text, source=str(path))
    definition = read_yaml(text)
    assignment = qa.assignment_by_key(session, parsed.id)
    if assignment is None:
        course = _course_for(session, parsed.course)
        assignment = Assignment(key=parsed.id, title=parsed.title, course=course)
        session.add(assignment)
        session.flush()
    assignment.title = parsed.title
    digest = content_hash(text)
    version = qa.version_by_hash(session, assignment.id, digest)
    if version is None:
        version = AssignmentVersion(
            assignment=assignment, content_hash=digest, definition=definition, source_text=text,
            source_path=str(path),
        )
        session.add(version)
        session.flush()
    qa.make_current(session, version)
    if qv.declares_parameters(definition):   # every student's variant is drawn from it
        qv.course_seed(session, assignment.course_id)
    session.flush()
    return version


def load_assignments(session: Session, directory: str | Path) -> list[AssignmentVersion]:
    """Load every ``*.yaml``/``*.yml`` under ``directory``; returns each file's current version."""
    from grader.assignments.loader import assignment_files

    return [load_assignment_file(session, path) for path in assignment_files([Path(directory)])]


def assignment_definition(version: AssignmentVersion) -> "AssignmentSpec":
    """The gradable ``grader.assignments`` object of a stored version (cached by content)."""
    return assignment_of(version)


def role_for(session: Session, user: User, assignment: Assignment) -> str | None:
    """The user's role in the assignment's course (None when not enrolled)."""
    return qu.role_in_course(session, user.id, assignment.course_id)


def visible_assignments(session: Session, user: User) -> list[tuple[Assignment, str]]:
    """(assignment, role) for every assignment of the user's courses."""
    roles = qu.roles_by_course(session, user.id)
    return [(a, roles[a.course_id]) for a in qa.assignments_in_courses(session, roles)]


def assignment_for(
    session: Session, user: User, key: str, *, staff: bool = False
) -> tuple[Assignment, AssignmentVersion, str]:
    """The assignment, its current version and the user's role; 404 when absent or not in the
    user's courses, 403 when ``staff`` is required and the user is a student."""
    assignment = qa.assignment_by_key(session, key)
    role = role_for(session, user, assignment) if assignment is not None else None
    if assignment is None or role is None:
        raise NotFound(f"assignment {key!r} not found")
    version = qa.current_version(session, assignment.id)
    if version is None:
        raise NotFound(f"assignment {key!r} has no version")
    if staff and role not in STAFF_ROLES:
        raise Forbidden("instructors only")
    return assignment, version, role


def question_names(question: "Question") -> list[str]:
    """Symbols a question's context names (so a form can list them)."""
    spec = question.context
    names = [name for name, _ in spec.definitions] + [name for name, _ in spec.domain]
    names += list(spec.allowed or ())
    return sorted({n for n in names if "(" not in n})


def question_view(version: AssignmentVersion, index: int, *, include_key: bool) -> dict[str, Any]:
    """One question as the API shows it; instructors (``include_key``) get the whole definition."""
    raw = version.definition["questions"][index]
    view = {k: raw[k] for k in STUDENT_FIELDS if k in raw}
    question = assignment_definition(version).questions[index]
    view["names"] = question_names(question)
    if include_key:
        view["definition"] = raw
    return view


def assignment_view(
    assignment: Assignment, version: AssignmentVersion, *, include_keys: bool, with_questions: bool = True
) -> dict[str, Any]:
    """The JSON of an assignment for ``GET /api/v1/assignments[/<key>]``."""
    definition = version.definition
    questions = definition.get("questions", [])
    out: dict[str, Any] = {
        "id": assignment.key,
        "title": assignment.title,
        "course": assignment.course.key,
        "description": definition.get("description", ""),
        "version": version.content_hash[:12],
        "max_points": sum(float(q.get("points", 0)) for q in questions),
        "question_count": len(questions),
        "due": definition.get("due"),   # ISO 8601 as written; each question may have its own
        "late": definition.get("late", "accept"),
    }
    if with_questions:
        out["questions"] = [question_view(version, i, include_key=include_keys) for i in range(len(questions))]
    return out
