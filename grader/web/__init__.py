"""The server-rendered pages: log in/out, the student's assignment form, the instructor dashboard.

``register(app)`` is called by the app factory (``grader.app.BLUEPRINTS``). Blueprints are thin:
they check the request (CSRF, role), call a service, render a template. ``charts``, ``mathml``
and ``texmath`` do not import Flask.
"""

from __future__ import annotations

from typing import Any


def register(app: Any) -> None:
    """Attach the page blueprints, the CSRF guard and the template helpers to ``app``."""
    from grader.web import auth, checks, instructor, login_limits, student
    from grader.web.answer_help import help_for
    from grader.web.csrf import csrf_token
    from grader.web.feedback_math import feedback_html
    from grader.web.free_text import render_free_text
    from grader.web.mathml import answer_mathml, render_inline, render_prompt

    for module in (auth, student, instructor, checks):
        app.register_blueprint(module.bp)  # each checks CSRF on unsafe methods (set at import)
    settings = app.extensions["grader"].settings
    login_limits.install(app, per_account=settings.login_limit_per_account,
                         per_address=settings.login_limit_per_address, storage_url=settings.rate_limit_storage_url)
    app.jinja_env.globals.update(csrf_token=csrf_token, help_for=help_for)
    app.jinja_env.filters.update(prompt=render_prompt, inline_md=render_inline, answer_math=answer_mathml,
                                 feedback_math=feedback_html, json_answer=_json_answer,
                                 free_text=render_free_text, points=_points,
                                 deadline=_deadline)


def _points(x: Any) -> str:
    """3.0 -> "3", 2.5 -> "2.5", None -> "–"."""
    if x is None:
        return "–"
    value = round(float(x), 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


def _deadline(when: Any) -> str:
    """A deadline as written, with its own offset: ``2026-12-01 23:59 (UTC+01:00)``."""
    offset = when.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{when:%Y-%m-%d %H:%M} ({zone})"


def _json_answer(text: Any) -> Any:
    """A table answer stored as JSON text (the dashboard's groups) back as rows, else the text."""
    import json

    if not isinstance(text, str) or not text.startswith(("{", "[")):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text
