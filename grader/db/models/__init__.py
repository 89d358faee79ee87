"""Every model, importable from one place (``from grader.db.models import Submission``)."""

from grader.db.base import Base
from grader.db.models.assignments import Assignment, AssignmentVersion
from grader.db.models.documents import HandedInDocument
from grader.db.models.courses import ROLES, ApiToken, Course, Enrollment, Role, User
from grader.db.models.submissions import SOURCES, GradingResult, RegradeJob, Submission, SubmissionStatus
from grader.db.models.variants import CourseVariantSeed, VariantOverride

__all__ = [
    "ROLES", "SOURCES", "ApiToken", "Assignment", "AssignmentVersion", "Base", "Course", "CourseVariantSeed",
    "Enrollment", "GradingResult", "HandedInDocument", "RegradeJob", "Role", "Submission", "SubmissionStatus", "User",
    "VariantOverride",
]
