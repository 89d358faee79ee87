"""``/api/v1/tokens``: the caller's own API tokens (list, create with an optional expiry, revoke)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from grader.api.common import json_body, require_user
from grader.app import db_session
from grader.services import tokens

bp = Blueprint("tokens", __name__)


@bp.get("/tokens")
def list_tokens() -> Any:
    return jsonify(tokens=tokens.list_tokens(db_session(), require_user()))


@bp.post("/tokens")
def create_token() -> Any:
    user = require_user()
    body = json_body()
    out = tokens.create_token(db_session(), user, label=body.get("label", ""),
                              expires_in_days=body.get("expires_in_days"))
    db_session().commit()
    return jsonify(out), 201


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int) -> Any:
    out = tokens.revoke_token(db_session(), require_user(), token_id)
    db_session().commit()
    return jsonify(out)
