"""The JSON API under ``/api/v1``: one blueprint per area, nested in ``bp``.

Routes are thin: check the request, call a service, shape the reply. Every error is JSON
``{"error": message}`` (services raise ``ServiceError``; HTTP errors are turned into JSON by the
app factory for every path under ``/api/``).
"""

from __future__ import annotations

from flask import Blueprint

from grader.api import assignments, documents, instructor, me, openapi, submissions, tokens, validate, variants
from grader.api.common import service_error
from grader.services.errors import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
for _child in (validate, assignments, documents, submissions, instructor, openapi, me, variants, tokens):
    bp.register_blueprint(_child.bp)
bp.register_error_handler(ServiceError, service_error)
