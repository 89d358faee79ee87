"""The launch's last cookie fallback (``grader.services.lms.continuation``): ``/lti/launch/check``
tells whether the iframe kept the session cookie; if not, it offers ``/lti/continue`` in a new
window, which logs the launch's user in there (first party, so the cookie sticks)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from grader.app import db_session, settings
from grader.db.models import User
from grader.db.session import Session
from grader.services.lms import continuation
from grader.services.lms.continuation import ContinuationError
from grader.web.request_user import current_user, login_user

bp = Blueprint("lti_continue", __name__, url_prefix="/lti", template_folder="templates")


def check_redirect(session: Session, user: User, *, landing: str, issuer: str) -> Response:
    """The launch's answer: on to the check URL with a fresh token (the caller commits)."""
    token = continuation.issue(session, user, landing=landing, lms=continuation.lms_name(issuer),
                               ttl_s=settings().lti_continuation_ttl_s)
    return _private(redirect(url_for("lti_continue.check", t=token), code=303))


def _private(response: Response) -> Response:
    # the URL carries a one-time token: no Referer, no cache keeps it
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(exc: ContinuationError) -> Response:
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(error=str(exc))
    else:
        response = Response(render_template("lti_message.html", title="This link cannot be used",
                                            lines=[str(exc)], code=None))
    response.status_code = exc.status
    return _private(response)


@bp.get("/launch/check")
def check() -> Any:
    """Did the session cookie the launch set come back? Yes: on to the landing page (the token is
    spent). No: the page that opens the continuation in a new window."""
    session = db_session()
    token = request.args.get("t", "")
    try:
        found = continuation.peek(session, token)
        user = current_user()
        if user is not None and user.id == found.user.id:
            continuation.redeem(session, token)  # not needed any more: nobody can open it elsewhere
            session.commit()
            return _private(redirect(found.landing, code=303))
    except ContinuationError as exc:
        session.rollback()
        return _refused(exc)
    ttl_min = max(1, settings().lti_continuation_ttl_s // 60)
    return _private(Response(render_template("lti_new_window.html", lms=found.lms_name, ttl_min=ttl_min,
                                             url=url_for("lti_continue.resume", t=token))))


@bp.get("/continue")
def resume() -> Any:
    """Spend the token, log its user in (this window keeps the cookie) and go on to the landing."""
    session = db_session()
    try:
        found = continuation.redeem(session, request.args.get("t", ""))
    except ContinuationError as exc:
        session.rollback()
        return _refused(exc)
    login_user(found.user)
    session.commit()
    return _private(redirect(found.landing, code=303))
