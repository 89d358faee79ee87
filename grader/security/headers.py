"""Security headers on every response (pages, API, LTI), set by one ``after_request`` hook.

A small hook rather than flask-talisman: Talisman's defaults force HTTPS redirects and rewrite
session-cookie flags, which the embedded default (plain HTTP on loopback) and the LTI iframe
cookie (``SameSite=None; Secure`` only over HTTPS, see ``grader.web.lms``) decide for
themselves; with those switched off, what is left is the handful of headers below.

The pages run only same-origin scripts (``grader.js``) and stylesheets, draw charts as inline
SVG and formulas as MathML, so the policy needs no ``'unsafe-inline'`` for scripts or style
elements. ``style-src-attr 'unsafe-inline'`` lets the dashboard's bar widths (``style="--p: 40%"``)
through; it cannot run code. ``frame-ancestors`` comes from ``FRAME_ANCESTORS`` (LMS embedding).
"""

from __future__ import annotations

from typing import Any

CSP_BASE = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)


def content_security_policy(frame_ancestors: str) -> str:
    """The CSP header value, with the configured ``frame-ancestors`` sources."""
    return "; ".join((*CSP_BASE, "frame-ancestors " + (frame_ancestors or "'self'")))


def install(app: Any, *, frame_ancestors: str) -> None:
    """Add the headers to every response of ``app`` (a Flask app, called by its factory; values
    already set by a view are kept). No Flask import here: the hook only touches ``response.headers``."""
    csp = content_security_policy(frame_ancestors)
    same_origin_only = frame_ancestors.strip() in ("'self'", "")

    def add_headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if same_origin_only:  # older browsers that ignore frame-ancestors
            headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    app.after_request(add_headers)
