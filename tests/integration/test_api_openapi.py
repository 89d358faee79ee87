"""The OpenAPI document matches the routes: every /api/v1 route documented, and vice versa."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.integration

METHODS = {"get", "post", "put", "patch", "delete"}


def flask_routes(app: Any) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    return routes


def test_every_route_is_documented_and_every_documented_route_exists(client: Any, app: Any) -> None:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = resp.json
    assert doc["openapi"].startswith("3.1") and doc["servers"][0]["url"].startswith("http")
    documented = {(path, m) for path, item in doc["paths"].items() for m in item if m in METHODS}
    assert flask_routes(app) == documented


def test_documented_parameters_match_the_path_and_refs_resolve(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, op in item.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)
            assert op["responses"], (path, method)
    for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(doc).replace("'", '"')):
        assert ref in schemas


def test_the_full_app_documents_its_lms_routes_too(settings: Any, db_factory: Any, queue: Any) -> None:
    """``make run`` and gunicorn serve every blueprint: the document must cover /api/v1/lms as well."""
    from grader.app import create_app

    full = create_app(settings, session_factory=db_factory, queue=queue)
    doc = full.test_client().get("/api/v1/openapi.json").json
    documented = {(path, m) for path, item in doc["paths"].items() for m in item if m in METHODS}
    assert any(path.startswith("/api/v1/lms/") for path, _m in flask_routes(full))
    assert flask_routes(full) == documented
