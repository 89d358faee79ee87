"""The OpenAPI 3.1 document of ``/api/v1``, written as data next to the routes.

``tests/integration/test_api_openapi.py`` walks Flask's url_map and checks that every route is
documented here and every documented path exists.
"""

from __future__ import annotations

import copy
from typing import Any

from grader import __version__

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict[str, Any] | None = None, media: str = JSON) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema or {"type": "object"}}}}


def _error(description: str) -> dict[str, Any]:
    return _ok(description, _ref("Error"))


ERRORS = {
    "401": _error("missing or invalid credentials"),
    "404": _error("not found, or not visible to this user"),
}
STAFF_ERRORS = {**ERRORS, "403": _error("instructors only")}
KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "the assignment id (as written in its file)"}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


RESULT = {
    "type": "object",
    "properties": {
        "verdict": {"enum": ["correct", "incorrect", "invalid", "unanswered", "needs_review"]},
        "points": {"type": "number"}, "max_points": {"type": "number"},
        "feedback": {"type": "string"}, "method": {"type": "string"},
    },
}
SUBMISSION = {
    "type": "object",
    "required": ["id", "status", "assignment_id"],
    "properties": {
        "id": {"type": "integer"},
        "assignment_id": {"type": "string"},
        "version": {"type": "string", "description": "assignment version (content hash prefix)"},
        "user": {"type": "string"},
        "status": {"enum": ["queued", "grading", "graded"]},
        "source": {"enum": ["api", "web", "lms"]},
        "created_at": {"type": "string", "format": "date-time"},
        "graded_at": {"type": ["string", "null"], "format": "date-time"},
        "answers": {"type": "object"},
        "questions": {"type": "object", "additionalProperties": _ref("Result"),
                      "description": "current results per question id (once graded)"},
        "total": {"type": "number"},
        "max_total": {"type": "number"},
    },
}
ASSIGNMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "course": {"type": "string"},
        "description": {"type": "string"}, "version": {"type": "string"},
        "max_points": {"type": "number"}, "question_count": {"type": "integer"},
        "role": {"enum": ["student", "instructor", "admin"]},
        "variant": _ref("Variant"),
        "questions": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "id": {"type": "string"}, "type": {"type": "string"}, "points": {"type": "number"},
                "prompt": {"type": "string"}, "names": {"type": "array", "items": {"type": "string"}},
                "definition": {"type": "object", "description": "the whole question, keys included (instructors only)"},
            },
        }},
    },
}

VARIANT = {
    "type": "object",
    "description": "A parameterised assignment only: the user's own values (prompts, points and functions "
                   "of the questions are filled in with them). Drawn from the course's seed, the assignment "
                   "and the student, so the same on every request; an instructor may override them.",
    "properties": {
        "parameters": {"type": "object", "description": "assignment-level values, by name (e.g. x0: 0.3)"},
        "questions": {"type": "object", "description": "question id -> that question's own values "
                                                      "(a choice of objects as the object, e.g. act: {name: tanh, ...})"},
    },
}
STUDENT = {"name": "student_id", "in": "path", "required": True, "schema": {"type": "integer"},
           "description": "the student's user id"}
VARIANT_VIEW = _ok("the assignment as the student sees it, with student, overridden and variant", {
    "allOf": [_ref("Assignment"), {"type": "object", "properties": {
        "student": {"type": "object"}, "overridden": {"type": "boolean"}}}]})

PATHS: dict[str, Any] = {
    "/api/v1/validate": {"post": {
        "summary": "Parse one answer without grading it (the form's preview; no attempt counted)",
        "requestBody": {"required": True, "content": {JSON: {"schema": {
            "type": "object", "required": ["answer"],
            "properties": {
                "answer": {"type": "string"}, "syntax": {"enum": ["auto", "text", "latex"]},
                "assignment_id": {"type": "string"}, "question_id": {"type": "string"},
            },
        }}}},
        "responses": {
            "200": _ok("what was read (ok true) or the syntax error and its 1-based column (ok false)", {
                "type": "object", "required": ["ok"],
                "properties": {
                    "ok": {"type": "boolean"}, "latex": {"type": "string"},
                    "mathml": {"type": "string", "description": "presentation MathML"},
                    "text": {"type": "string"}, "syntax": {"type": "string"},
                    "error": {"type": "string"}, "column": {"type": ["integer", "null"]},
                    "typed_mathml": {"type": "string", "description":
                                     "presentation MathML of the answer as typed (own factors, fractions and order)"},
                    "typed_text": {"type": "string", "description": "the answer as typed, notation normalised"},
                    "symbols": {"type": "array", "items": {"type": "string"}, "description": "symbols found"},
                    "status": {"enum": ["ok", "warning", "error"],
                               "description": "the preview's colour: error when unreadable or a flag is an error"},
                    "flags": {"type": "array", "description": "what will be graded wrong or should be checked", "items": {
                        "type": "object", "required": ["level", "kind", "message"],
                        "properties": {
                            "level": {"enum": ["error", "warning"]},
                            "kind": {"enum": ["unknown_symbol", "not_allowed", "word_product", "not_numeric"]},
                            "message": {"type": "string"},
                            "symbol": {"type": ["string", "null"]},
                            "suggestion": {"type": ["string", "null"], "description": "the known name meant (p -> p_i)"},
                        },
                    }},
                },
            }),
            "400": _error("malformed body"), "413": _error("answer longer than MAX_ANSWER_CHARS"),
            "415": _error("not JSON"), "422": _error("bad request fields"),
            **ERRORS,
        },
    }},
    "/api/v1/me": {"get": {
        "summary": "The authenticated user and their courses",
        "responses": {"200": _ok("the user"), "401": ERRORS["401"]},
    }},
    "/api/v1/assignments": {"get": {
        "summary": "Assignments of the user's courses",
        "responses": {"200": _ok("list", {"type": "object", "properties": {
            "items": {"type": "array", "items": _ref("Assignment")}}}), "401": ERRORS["401"]},
    }},
    "/api/v1/assignments/{key}": {"get": {
        "summary": "One assignment: questions, prompts, points, types (keys for instructors only); for a "
                   "parameterised one, the user's own variant and prompts filled in with it",
        "parameters": [KEY],
        "responses": {"200": _ok("the assignment", _ref("Assignment")), **ERRORS},
    }},
    "/api/v1/assignments/{key}/variants/{student_id}": {
        "get": {
            "summary": "Instructors: preview one student's variant (their numbers and prompts)",
            "parameters": [KEY, STUDENT],
            "responses": {"200": VARIANT_VIEW, **STAFF_ERRORS},
        },
        "put": {
            "summary": "Instructors: override some of a student's values (the others keep their draw); "
                       "grading and regrades use them from then on",
            "parameters": [KEY, STUDENT],
            "requestBody": {"required": True, "content": {JSON: {"schema": {**VARIANT, "examples": [
                {"parameters": {"x0": 0.3, "w0": 0.5, "b0": 0.1}, "questions": {"1b": {"act": "tanh"}}}]}}}},
            "responses": {"200": VARIANT_VIEW, "400": _error("malformed body"), "415": _error("not JSON"),
                          "422": _error("a value that does not fit its parameter, or breaks a where condition"),
                          **STAFF_ERRORS},
        },
        "delete": {
            "summary": "Instructors: remove an override (back to the student's own draw)",
            "parameters": [KEY, STUDENT],
            "responses": {"200": VARIANT_VIEW, **STAFF_ERRORS},
        },
    },
    "/api/v1/assignments/{key}/submissions": {
        "post": {
            "summary": "Submit answers; graded asynchronously",
            "parameters": [KEY, {"name": "Idempotency-Key", "in": "header", "required": False,
                                 "schema": {"type": "string", "maxLength": 200},
                                 "description": "the same key again returns the same submission"}],
            "requestBody": {"required": True, "content": {JSON: {"schema": {
                "type": "object", "required": ["answers"],
                "properties": {"answers": {
                    "type": "object",
                    "description": "question id -> answer: text, or for an AD table a list of rows "
                                   "{name, expr, value} / {rows, adjoints}"},
                               "document_id": {"type": "integer", "description": "the handed-in document "
                                               "these answers came from (stored with the submission)"}},
            }}}},
            "responses": {
                "202": _ok("queued; Location points at the submission", _ref("Submission")),
                "200": _ok("replay of an Idempotency-Key: the stored submission", _ref("Submission")),
                "400": _error("malformed body"), "409": _error("Idempotency-Key reused with other answers"),
                "413": _error("answer or body too large"), "415": _error("not JSON"),
                "422": _error("unknown question id or bad answer type"), **ERRORS,
            },
        },
        "get": {
            "summary": "Instructors: an assignment's submissions, newest first",
            "parameters": [
                KEY,
                {"name": "student", "in": "query", "schema": {"type": "string"}, "description": "email"},
                {"name": "status", "in": "query", "schema": {"enum": ["queued", "grading", "graded"]}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {"200": _ok("a page", {"type": "object", "properties": {
                "items": {"type": "array", "items": _ref("Submission")}, "total": {"type": "integer"},
                "limit": {"type": "integer"}, "offset": {"type": "integer"},
                "next_offset": {"type": "integer"}}}), "400": _error("bad filter"), **STAFF_ERRORS},
        },
    },
    "/api/v1/assignments/{key}/documents": {"post": {
        "summary": "Find the answers in a written document (Markdown, LaTeX, text); nothing is graded",
        "parameters": [KEY],
        "requestBody": {"required": True, "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                               "properties": {"file": {"type": "string", "format": "binary"}}}},
            JSON: {"schema": {"type": "object", "required": ["document"], "properties": {
                "document": {"type": "string"}, "filename": {"type": "string"}}}},
            "text/markdown": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/x-tex": {"schema": {"type": "string"}},
        }},
        "responses": {
            "200": _ok("every question: found (answer, line, column, confidence, preview) or missing (reason)", {
                "type": "object", "required": ["document_id", "answers", "questions", "missing", "notes"],
                "properties": {
                    "document_id": {"type": "integer"}, "answers": {"type": "object"},
                    "questions": {"type": "array", "items": {"type": "object", "required": ["id", "found"]}},
                    "missing": {"type": "object", "additionalProperties": {"type": "string"}},
                    "notes": {"type": "array", "items": {"type": "string"}},
                },
            }),
            "400": _error("no file in the form, or bad JSON"), "413": _error("document over the request limit"),
            "415": _error("another content type"), "422": _error("not an answer document (empty, binary, no labels)"),
            **ERRORS,
        },
    }},
    "/api/v1/submissions/{submission_id}": {"get": {
        "summary": "A submission's status and current per-question results",
        "parameters": [_id("submission_id")],
        "responses": {"200": _ok("the submission", _ref("Submission")), **ERRORS},
    }},
    "/api/v1/assignments/{key}/stats": {"get": {
        "summary": "Instructors: per question count, percent correct, mean points, invalid rate",
        "parameters": [KEY],
        "responses": {"200": _ok("statistics"), **STAFF_ERRORS},
    }},
    "/api/v1/assignments/{key}/gradebook.csv": {"get": {
        "summary": "Instructors: one row per student, latest submission's points per question and total",
        "parameters": [KEY],
        "responses": {"200": _ok("CSV", {"type": "string"}, media="text/csv"), **STAFF_ERRORS},
    }},
    "/api/v1/assignments/{key}/regrade": {"post": {
        "summary": "Instructors: regrade every submission (new result rows; old ones kept)",
        "parameters": [KEY],
        "responses": {"202": _ok("job created", {"type": "object", "properties": {
            "job_id": {"type": "integer"}, "status": {"type": "string"}, "total": {"type": "integer"}}}),
            **STAFF_ERRORS},
    }},
    "/api/v1/regrade-jobs/{job_id}": {"get": {
        "summary": "Instructors: progress of a regrade job",
        "parameters": [_id("job_id")],
        "responses": {"200": _ok("progress", {"type": "object", "properties": {
            "status": {"enum": ["queued", "running", "done", "failed"]},
            "total": {"type": "integer"}, "done": {"type": "integer"},
            "failed_submissions": {"type": "array", "items": {"type": "integer"},
                                   "description": "submissions that could not be regraded"},
            "error": {"type": ["string", "null"], "description": "why the job failed"}}}), **ERRORS},
    }},
    "/api/v1/openapi.json": {"get": {
        "summary": "This document", "security": [],
        "responses": {"200": _ok("OpenAPI 3.1")},
    }},
}

COURSE = {"name": "course", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "the course key"}
LMS_ERRORS = {"401": _error("missing or invalid credentials"), "403": _error("instructors of the course only"),
              "404": _error("no such course"), "422": _error("bad request fields")}
# The LMS endpoints (grader.web.lms; docs/lms.md), documented when the app serves them.
LMS_PATHS: dict[str, Any] = {
    "/api/v1/lms/submissions": {"post": {
        "summary": "Inbound submission from an LMS, signed the Standard Webhooks way with the course's secret",
        "security": [],
        "parameters": [{"name": n, "in": "header", "required": True, "schema": {"type": "string"}}
                       for n in ("webhook-id", "webhook-timestamp", "webhook-signature")],
        "requestBody": {"required": True, "content": {JSON: {"schema": {
            "type": "object", "required": ["course", "assignment", "student", "answers"],
            "properties": {
                "course": {"type": "string"}, "assignment": {"type": "string"},
                "student": {"type": "object", "properties": {"lms_id": {"type": "string"},
                                                             "email": {"type": "string"}}},
                "answers": {"type": "object"},
            },
        }}}},
        "responses": {
            "202": _ok("created and queued", {"type": "object", "properties": {
                "submission_id": {"type": "integer"}, "status": {"type": "string"},
                "replayed": {"type": "boolean"}}}),
            "200": _ok("a replayed webhook-id: the stored submission"),
            "401": _error("bad or stale signature"), "404": _error("unknown course, assignment or student"),
            "422": _error("bad request fields"),
        },
    }},
    "/api/v1/lms/courses/{course}/webhooks": {"post": {
        "summary": "Instructors: register an outbound webhook endpoint (returns its signing secret once)",
        "parameters": [COURSE],
        "requestBody": {"required": True, "content": {JSON: {"schema": {
            "type": "object", "required": ["url"],
            "properties": {"url": {"type": "string", "format": "uri"},
                           "events": {"type": "array", "items": {"type": "string"}}},
        }}}},
        "responses": {"201": _ok("the endpoint and its secret"), **LMS_ERRORS},
    }},
    "/api/v1/lms/courses/{course}/inbound-secrets": {"post": {
        "summary": "Instructors: a new shared secret for inbound submissions (returned once)",
        "parameters": [COURSE],
        "responses": {"201": _ok("the secret"), **LMS_ERRORS},
    }},
    "/api/v1/lms/courses/{course}/lti-platforms": {"post": {
        "summary": "Instructors: register an LTI 1.3 platform",
        "parameters": [COURSE],
        "requestBody": {"required": True, "content": {JSON: {"schema": {
            "type": "object", "required": ["issuer", "client_id"],
            "properties": {k: {"type": "string"} for k in (
                "issuer", "client_id", "deployment_id", "auth_login_url", "token_url", "jwks_url",
                "public_key_pem", "lineitem_url")},
        }}}},
        "responses": {"201": _ok("the platform"), "200": _ok("a new deployment added to the same registration"),
                      "409": _error("already registered"), **LMS_ERRORS},
    }},
    "/api/v1/lms/courses/{course}/deliveries": {"get": {
        "summary": "Instructors: the outbound webhook delivery log",
        "parameters": [COURSE],
        "responses": {"200": _ok("deliveries", {"type": "object", "properties": {
            "deliveries": {"type": "array", "items": {"type": "object"}}}}), **LMS_ERRORS},
    }},
    "/api/v1/lms/courses/{course}/deliveries/{delivery_id}/redeliver": {"post": {
        "summary": "Instructors: send a delivery again",
        "parameters": [COURSE, _id("delivery_id")],
        "responses": {"202": _ok("queued again"), "409": _error("the endpoint is disabled"), **LMS_ERRORS},
    }},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "grader API",
        "version": __version__,
        "description": "Auto-grading of derivative answers. Errors are always JSON {\"error\": message}.",
    },
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "API token from grader admin"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session", "description": "login session"},
        },
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Result": RESULT,
            "Submission": SUBMISSION,
            "Assignment": ASSIGNMENT,
            "Variant": VARIANT,
        },
    },
    "security": [{"bearer": []}, {"session": []}],
}


def document(server_url: str | None = None, *, served: set[str] | None = None) -> dict[str, Any]:
    """A copy of the document, with ``servers`` set when the base URL is known. ``served``: the
    app's OpenAPI-style paths; the LMS paths are documented only when the app serves them."""
    from grader.api.openapi_lti import LTI_PATHS
    from grader.api.openapi_revocation import MANAGE_PATHS, TOKEN_PATHS

    doc = copy.deepcopy(DOCUMENT)
    doc["paths"].update(copy.deepcopy(TOKEN_PATHS))
    for paths in (LMS_PATHS, MANAGE_PATHS, LTI_PATHS):
        for path, item in paths.items():
            if served is None or path in served:
                doc["paths"].setdefault(path, {}).update(copy.deepcopy(item))
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
