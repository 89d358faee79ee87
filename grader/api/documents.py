"""``POST /api/v1/assignments/<key>/documents``: the answers a written document holds (not graded).

The document comes as a file upload (``multipart/form-data``, field ``file``), as JSON
``{"document": "...", "filename": "..."}``, or as the raw body (``text/markdown``, ``text/plain``,
``application/x-tex``). The reply lists every question: found (answer, line, column, confidence,
preview) or missing (with the reason), and the ``document_id`` to send with the submission.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from grader.api.common import json_body, require_user
from grader.app import db_session, settings
from grader.services.documents import read_document_answers
from grader.services.errors import InvalidRequest

bp = Blueprint("documents", __name__)
TEXT_TYPES = ("text/markdown", "text/plain", "text/x-markdown", "text/x-tex", "application/x-tex",
              "application/x-latex")


def _document() -> tuple[bytes, str]:
    """(bytes, filename) from whichever of the three shapes the request uses."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InvalidRequest('send the document as the form field "file"', status=400)
        return upload.read(), upload.filename or ""
    if request.is_json:
        body = json_body()
        if not isinstance(body.get("document"), str):
            raise InvalidRequest('"document" must be the document\'s text', status=422)
        name = body.get("filename", "")
        return body["document"].encode("utf-8"), name if isinstance(name, str) else ""
    if request.mimetype in TEXT_TYPES:
        return request.get_data(cache=False), ""
    raise InvalidRequest("send the document as multipart/form-data (file), JSON, or text/markdown",
                         status=415)


@bp.post("/assignments/<key>/documents")
def read_document(key: str) -> Any:
    user = require_user()
    data, filename = _document()
    session = db_session()
    found = read_document_answers(session, user, key, data=data, filename=filename,
                                  max_bytes=settings().max_request_bytes)
    session.commit()
    return found
