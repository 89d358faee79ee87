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

from tests.unit.security.authz_matrix import seed
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
