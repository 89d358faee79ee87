"""OpenAPI entries of the revocation endpoints: the caller's API tokens, and a course's webhook
endpoints, inbound secrets and LTI platforms (merged into ``openapi_spec.document``)."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ok(description: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if properties:
        schema["properties"] = properties
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"required": bool(required), "content": {JSON: {"schema": schema}}}


COURSE = {"name": "course", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "the course key"}
TOKEN = {"type": "object", "properties": {
    "id": {"type": "integer"}, "label": {"type": "string"}, "state": {"enum": ["active", "expired", "revoked"]},
    "created_at": {"type": ["string", "null"]}, "expires_at": {"type": ["string", "null"]},
    "revoked_at": {"type": ["string", "null"]}}}
ERRORS = {"401": _error("missing or invalid credentials")}
LMS_ERRORS = {"400": _error("the body is not a JSON object"), "401": _error("missing or invalid credentials"),
              "403": _error("instructors of the course only"), "404": _error("no such course or row"),
              "422": _error("bad request fields")}
DELETED = {"204": {"description": "deleted"}}

TOKEN_PATHS: dict[str, Any] = {
    "/api/v1/tokens": {
        "get": {"summary": "The caller's API tokens (never the tokens themselves)",
                "responses": {"200": _ok("tokens", {"tokens": {"type": "array", "items": TOKEN}}), **ERRORS}},
        "post": {"summary": "A new API token for the caller, with an optional expiry (the token is shown once)",
                 "requestBody": _body({"label": {"type": "string", "maxLength": 100},
                                       "expires_in_days": {"type": "integer", "minimum": 1, "maximum": 3650}}),
                 "responses": {"201": _ok("the token", {**TOKEN["properties"], "token": {"type": "string"}}),
                               "400": _error("the body is not a JSON object"),
                               "415": _error("not JSON"), "422": _error("bad fields"), **ERRORS}},
    },
    "/api/v1/tokens/{token_id}": {"delete": {
        "summary": "Revoke one of the caller's API tokens",
        "parameters": [_id("token_id")],
        "responses": {"200": _ok("the revoked token", TOKEN["properties"]),
                      "404": _error("not one of the caller's tokens"), **ERRORS}}},
}

MANAGE_PATHS: dict[str, Any] = {
    "/api/v1/lms/courses/{course}/webhooks": {"get": {
        "summary": "Instructors: the course's webhook endpoints (without secrets)", "parameters": [COURSE],
        "responses": {"200": _ok("endpoints", {"webhooks": {"type": "array", "items": {"type": "object"}}}),
                      **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/webhooks/{endpoint_id}": {"delete": {
        "summary": "Instructors: delete an endpoint and its deliveries", "parameters": [COURSE, _id("endpoint_id")],
        "responses": {**DELETED, **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/webhooks/{endpoint_id}/enable": {"post": {
        "summary": "Instructors: re-enable an endpoint (e.g. after a 410)", "parameters": [COURSE, _id("endpoint_id")],
        "responses": {"200": _ok("the endpoint"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/webhooks/{endpoint_id}/disable": {"post": {
        "summary": "Instructors: stop delivering to an endpoint", "parameters": [COURSE, _id("endpoint_id")],
        "responses": {"200": _ok("the endpoint"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/inbound-secrets": {"get": {
        "summary": "Instructors: the course's inbound secrets (ids and state, never the secrets)",
        "parameters": [COURSE],
        "responses": {"200": _ok("secrets", {"secrets": {"type": "array", "items": {"type": "object"}}}),
                      **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/inbound-secrets/rotate": {"post": {
        "summary": "Instructors: a new inbound secret (shown once); the others keep working for overlap_hours",
        "parameters": [COURSE],
        "requestBody": _body({"overlap_hours": {"type": "number", "minimum": 0, "maximum": 720}}),
        "responses": {"201": _ok("the new secret"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/inbound-secrets/{secret_id}": {"delete": {
        "summary": "Instructors: stop accepting an inbound secret now", "parameters": [COURSE, _id("secret_id")],
        "responses": {"200": _ok("the retired secret"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-platforms": {"get": {
        "summary": "Instructors: the course's LTI platform registrations", "parameters": [COURSE],
        "responses": {"200": _ok("platforms", {"platforms": {"type": "array", "items": {"type": "object"}}}),
                      **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}": {
        "patch": {"summary": "Instructors: change a platform registration (checked like a new one)",
                  "parameters": [COURSE, _id("platform_id")],
                  "requestBody": _body({k: {"type": "string"} for k in (
                      "issuer", "client_id", "deployment_id", "auth_login_url", "token_url", "jwks_url",
                      "public_key_pem", "lineitem_url")}),
                  "responses": {"200": _ok("the platform"), "409": _error("conflicts with another registration"),
                                **LMS_ERRORS}},
        "delete": {"summary": "Instructors: delete a platform registration", "parameters": [COURSE, _id("platform_id")],
                   "responses": {**DELETED, **LMS_ERRORS}}},
}
