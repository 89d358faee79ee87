"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document (data in ``openapi_spec``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from grader.api.openapi_spec import document

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def openapi() -> Any:
    return document(server_url=request.host_url.rstrip("/"))
