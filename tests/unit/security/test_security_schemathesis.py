"""Schemathesis against /api/v1/openapi.json, authenticated as each role: whatever it generates
(bounded, derandomised examples), the API never answers 5xx, and every answer's status, content
type and body match the document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from tests.unit.security.authz_matrix import VARIANTS_KEY, seed
from grader.api.openapi_spec import document

MAX_EXAMPLES = 8  # per operation and role: bounded, the whole run takes about a minute
ROLES = {"anonymous": None, "student": "alice", "instructor": "teacher", "other_instructor": "eve"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# A LaTeX document is text: serialised like text/plain (else Schemathesis skips the media type with a
# warning, an error under the project's filterwarnings).
schemathesis.serializer.alias("application/x-tex", "text/plain")

# The document the app serves at /api/v1/openapi.json with every blueprint (the test below checks
# that it is the one served); each test sends the generated requests to its own app (WSGI).
schema = schemathesis.openapi.from_dict(document())


@pytest.fixture
def seeded(site: dict[str, Any]) -> dict[str, Any]:
    """The site with a graded submission, a regrade job and LMS registrations (once per test:
    the generated examples share it)."""
    seed(site["factory"])
    return site


def test_the_fuzzed_document_is_the_served_one(site: dict[str, Any]) -> None:
    assert site["app"].test_client().get("/api/v1/openapi.json").get_json()["paths"] == document()["paths"]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_document(case: Any, seeded: dict[str, Any]) -> None:
    """Each generated request is sent once per role (anonymous, student, instructor of the
    course, instructor of another course)."""
    for who in ROLES.values():
        headers = {"Authorization": f"Bearer {seeded['tokens'][who]}"} if who else {}
        case.call_and_validate(app=seeded["app"], headers=headers, checks=CHECKS)


# Operations whose generated examples rarely name an existing row: asked once more with the seeded
# rows (the regrade job with lost's progress fields, a graded submission, a student's variant, a
# read document, a token), as their owner or instructor, so their bodies are checked too.
SEEDED = [
    ("GET", "/api/v1/regrade-jobs/{job_id}", "teacher", {}),
    ("GET", "/api/v1/submissions/{submission_id}", "alice", {}),
    ("GET", "/api/v1/assignments/{key}/variants/{student_id}", "teacher", {}),
    ("PUT", "/api/v1/assignments/{key}/variants/{student_id}", "teacher",
     {"body": {"parameters": {"x0": 0.3, "w0": 0.5, "b0": 0.1}}}),
    ("POST", "/api/v1/assignments/{key}/documents", "alice",
     {"body": {"document": "## q1\n\n$2x$\n", "filename": "hw1.md"}, "media_type": "application/json"}),
    ("DELETE", "/api/v1/tokens/{token_id}", "alice", {}),
]


@pytest.mark.parametrize(("method", "path", "who", "extra"), SEEDED, ids=[f"{m} {p}" for m, p, _w, _e in SEEDED])
def test_answers_about_seeded_rows_keep_to_the_document(site: dict[str, Any], method: str, path: str, who: str,
                                                         extra: dict[str, Any]) -> None:
    ids = seed(site["factory"])
    values = {"job_id": ids.job, "submission_id": ids.submission, "student_id": ids.student, "token_id": ids.token,
              "key": VARIANTS_KEY if "/variants/" in path else "hw1"}
    names = {p for p in values if "{" + p + "}" in path}
    case = schema[path][method].Case(path_parameters={n: values[n] for n in names}, **extra)
    response = case.call_and_validate(app=site["app"], headers={"Authorization": f"Bearer {site['tokens'][who]}"},
                                      checks=CHECKS)
    assert response.status_code < 300, response.text
