"""OpenAPI entries of the LTI Advantage endpoints for instructors: LMS contexts connected to a
course, the Dynamic Registration URL, the NRPS roster, AGS line items and the passback status
(merged into ``openapi_spec.document`` when the LMS blueprint is served)."""

from __future__ import annotations

from typing import Any

from grader.api.openapi_lti_manage import LTI_MANAGE_PATHS
from grader.api.openapi_revocation import COURSE, DELETED, LMS_ERRORS, _body, _error, _id, _ok

KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}, "description": "assignment key"}
LIST = {"type": "array", "items": {"type": "object"}}
REMOTE = {"409": _error("the LMS offered no such service for this course"),
          "502": _error("the LMS refused or failed the call")}
SCOPED = {"403": _error("not the course's instructor, or the newest launch from the LMS course did not grant the "
                        "AGS scope (reading: lineitem or lineitem.readonly; creating: lineitem)"),
          "409": _error("the LMS offered no line item service here, or no launch said which scopes it grants")}

LTI_PATHS: dict[str, Any] = {
    "/api/v1/lms/courses/{course}/lti-contexts": {
        "get": {"summary": "Instructors: the LMS courses (LTI contexts) connected to this course", "parameters": [COURSE],
                "responses": {"200": _ok("contexts", {"contexts": LIST}), **LMS_ERRORS}},
        "post": {"summary": "Instructors: connect an LMS course (issuer, deployment, context id) to this course",
                 "parameters": [COURSE],
                 "requestBody": _body({"platform_id": {"type": "integer"}, "deployment_id": {"type": "string"},
                                       "context_id": {"type": "string"}, "title": {"type": "string"}},
                                      ["platform_id", "deployment_id", "context_id"]),
                 "responses": {"201": _ok("the connection"), "409": _error("already connected"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-contexts/{context_pk}": {"delete": {
        "summary": "Instructors: disconnect an LMS course", "parameters": [COURSE, _id("context_pk")],
        "responses": {**DELETED, **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitems": {
        "get": {"summary": "Instructors: the LMS course's line items (AGS)", "parameters": [COURSE, _id("context_pk")],
                "responses": {"200": _ok("line items", {"lineitems": LIST}), **REMOTE, **LMS_ERRORS, **SCOPED}},
        "post": {"summary": "Instructors: create a gradebook column for an assignment in the LMS course (AGS)",
                 "parameters": [COURSE, _id("context_pk")],
                 "requestBody": _body({"assignment": {"type": "string"}}, ["assignment"]),
                 "responses": {"201": _ok("the platform's line item"), **REMOTE, **LMS_ERRORS, **SCOPED}}},
    "/api/v1/lms/courses/{course}/lti-registration-url": {"post": {
        "summary": "Instructors: a Dynamic Registration URL for the LMS administrator (expires in 7 days)",
        "parameters": [COURSE],
        "responses": {"201": _ok("the URL", {"url": {"type": "string"}}), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/roster/sync": {"post": {
        "summary": "Instructors: fetch the LMS rosters (Names and Role Provisioning) of the connected LMS courses",
        "parameters": [COURSE],
        "responses": {"200": _ok("what was fetched", {"contexts": {"type": "integer"}, "members": {"type": "integer"},
                                                      "errors": {"type": "array", "items": {"type": "string"}}}),
                      **LMS_ERRORS}}},
    "/api/v1/lms/assignments/{key}/passback": {"get": {
        "summary": "Instructors: per student, the LMS line item the score goes to or why none; who has not submitted",
        "parameters": [KEY],
        "responses": {"200": _ok("passback status", {"students": LIST, "not_submitted": {
            "type": "array", "items": {"type": "string"}}}), **LMS_ERRORS}}},
}
LTI_PATHS.update(LTI_MANAGE_PATHS)  # deployments, line item update and delete (grader.web.lms_manage)
