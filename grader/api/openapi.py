"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document (data in ``openapi_spec``)."""

from __future__ import annotations

from typing import Any

import re

from flask import Blueprint, current_app, request

from grader.api.openapi_spec import document

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def openapi() -> Any:
    served = {re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", rule.rule) for rule in current_app.url_map.iter_rules()}
    return document(server_url=request.host_url.rstrip("/"), served=served)
