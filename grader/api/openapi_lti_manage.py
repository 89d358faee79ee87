"""OpenAPI entries of the LTI management endpoints in ``grader.web.lms_manage``: a registration's
deployments and the update and delete of an LMS course's line items (merged into ``LTI_PATHS``)."""

from __future__ import annotations

from typing import Any

from grader.api.openapi_revocation import COURSE, LMS_ERRORS, _body, _error, _id, _ok

DEPLOYMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "platform_id": {"type": "integer"}, "deployment_id": {"type": "string"},
    "primary": {"type": "boolean", "description": "the one the registration's deployment_id names"},
    "created_at": {"type": ["string", "null"]}}}
DEPLOYMENT_BODY = _body({"deployment_id": {"type": "string", "maxLength": 200}}, ["deployment_id"])
PLATFORM = [COURSE, _id("platform_id")]
LINEITEM_ID = {"name": "id", "in": "query", "required": True, "schema": {"type": "string", "format": "uri"},
               "description": "the line item's URL (its AGS id), as listed by GET .../lineitems"}
LINEITEM_ERRORS = {"403": _error("not the course's instructor, or the LMS did not grant the lineitem scope"),
                   "404": _error("no such course, context, or line item in the context's line items container"),
                   "409": _error("the LMS offered no line item service here, or no launch said which it grants"),
                   "502": _error("the LMS refused or failed the call")}

LTI_MANAGE_PATHS: dict[str, Any] = {
    "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments": {
        "get": {"summary": "Instructors: the deployments a platform registration accepts launches from",
                "parameters": PLATFORM,
                "responses": {"200": _ok("deployments", {"deployments": {"type": "array", "items": DEPLOYMENT}}),
                              **LMS_ERRORS}},
        "post": {"summary": "Instructors: accept launches from one more deployment of the registration",
                 "parameters": PLATFORM, "requestBody": DEPLOYMENT_BODY,
                 "responses": {"201": _ok("the deployment", DEPLOYMENT["properties"]),
                               "409": _error("already registered"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments/{deployment_pk}": {
        "patch": {"summary": "Instructors: correct a deployment's id (its course mappings and links follow)",
                  "parameters": [*PLATFORM, _id("deployment_pk")], "requestBody": DEPLOYMENT_BODY,
                  "responses": {"200": _ok("the deployment", DEPLOYMENT["properties"]),
                                "409": _error("the id is taken"), **LMS_ERRORS}},
        "delete": {"summary": "Instructors: stop accepting a deployment: its launches are refused, its course "
                              "mappings and resource links forgotten, its pending score posts disabled; grades kept",
                   "parameters": [*PLATFORM, _id("deployment_pk")],
                   "responses": {"200": _ok("what was removed", {
                       "deleted": DEPLOYMENT, "contexts_removed": {"type": "integer"},
                       "resource_links_removed": {"type": "integer"}, "score_posts_disabled": {"type": "integer"}}),
                       "409": _error("the registration's only deployment"), **LMS_ERRORS}}},
    "/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitem": {
        "put": {"summary": "Instructors: change a line item of the LMS course (AGS PUT to its URL)",
                "parameters": [COURSE, _id("context_pk"), LINEITEM_ID],
                "requestBody": _body({"label": {"type": "string"}, "scoreMaximum": {"type": "number"},
                                      "resourceId": {"type": ["string", "null"]}, "tag": {"type": ["string", "null"]},
                                      "startDateTime": {"type": ["string", "null"], "format": "date-time"},
                                      "endDateTime": {"type": ["string", "null"], "format": "date-time"}}),
                "responses": {"200": _ok("the platform's line item"), **LMS_ERRORS, **LINEITEM_ERRORS}},
        "delete": {"summary": "Instructors: delete a line item of the LMS course (AGS DELETE); no score is "
                              "posted to it again",
                   "parameters": [COURSE, _id("context_pk"), LINEITEM_ID],
                   "responses": {"200": _ok("what was done", {
                       "deleted": {"type": "string"}, "label": {"type": "string"},
                       "students_affected": {"type": "integer"}, "score_posts_disabled": {"type": "integer"}}),
                       **LMS_ERRORS, **LINEITEM_ERRORS}}},
}
