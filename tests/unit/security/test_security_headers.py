"""Security headers on every response: pages, API, LTI, errors; frame-ancestors configurable."""

from __future__ import annotations

from typing import Any

import pytest

from grader.config import Settings


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/api/v1/me", "/lti/jwks.json", "/nowhere",
                                  "/api/v1/nowhere", "/static/grader.js"])
def test_every_response_carries_the_security_headers(site: dict[str, Any], path: str) -> None:
    response = site["app"].test_client().get(path)
    response.close()  # a static file's handle
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'self'" and directives["style-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_frame_ancestors_lets_the_lms_embed_the_pages(site: dict[str, Any]) -> None:
    from grader.app import create_app

    settings = site["settings"].replace(frame_ancestors="'self' https://canvas.example.edu")
    response = create_app(settings, session_factory=site["factory"]).test_client().get("/login")
    assert "frame-ancestors 'self' https://canvas.example.edu" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers  # it cannot name the LMS: CSP decides


def test_frame_ancestors_comes_from_the_environment_and_cannot_inject_directives() -> None:
    env = {"FRAME_ANCESTORS": "'self', https://canvas.example.edu", "SECRET_KEY": "k"}
    assert Settings.from_env(env).frame_ancestors == "'self' https://canvas.example.edu"
    with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
        Settings.from_env({"FRAME_ANCESTORS": "* ; script-src *", "SECRET_KEY": "k"})


def test_the_pages_have_no_inline_script_or_style_element(site: dict[str, Any], login: Any) -> None:
    """What the CSP would block: inline <script> bodies, <style> elements, on* handlers."""
    import re

    client = site["app"].test_client()
    login(client, "teacher")
    for path in ("/login", "/", "/assignments/hw1", "/instructor/assignments/hw1"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and not re.search(r"\son[a-z]+\s*=", html), path
