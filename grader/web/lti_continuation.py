"""The launch's last cookie fallback (``grader.services.lms.continuation``): ``/lti/launch/check``
tells whether the iframe kept the session cookie; if not, it offers ``/lti/continue`` in a new
window. There a page asks "continue as <user>?" and its form logs the launch's user in (first
party, so the cookie sticks). The GET never logs in: a link sent to someone else (login CSRF)
shows them whose account it is and spends nothing; the form's nonce lives in the window's own
session, so another site's auto-submitting form cannot post it."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask import session as cookie

from grader.app import db_session, settings
from grader.db.models import User
from grader.db.session import Session
from grader.services.lms import continuation
from grader.services.lms.continuation import ContinuationError
from grader.web import csrf
from grader.web.request_user import current_user, login_user

bp = Blueprint("lti_continue", __name__, url_prefix="/lti", template_folder="templates")
NO_NONCE = ("This page expired or did not come from this site. Open the link of the activity's page again, "
            "or go back to the LMS and open the activity again.")


def check_redirect(session: Session, user: User, *, landing: str, issuer: str, place: str = "") -> Response:
    """The launch's answer: on to the check URL with a fresh token (the caller commits)."""
    token = continuation.issue(session, user, landing=landing, lms=continuation.lms_name(issuer), place=place,
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
    user = current_user()
    try:
        found = continuation.peek(session, token)
    except ContinuationError as exc:
        # a reload after the token was spent, in the browser signed in as its user: no error
        landing = continuation.landing_of(session, token, user) if user is not None else None
        return _private(redirect(landing, code=303)) if landing else _refused(exc)
    if user is not None and user.id == found.user.id:
        continuation.redeem(session, token)  # not needed any more: nobody can open it elsewhere
        session.commit()
        return _private(redirect(found.landing, code=303))
    ttl_min = max(1, settings().lti_continuation_ttl_s // 60)
    return _private(Response(render_template("lti_new_window.html", lms=found.lms_name, ttl_min=ttl_min,
                                             url=url_for("lti_continue.confirm", t=token))))


@bp.get("/continue")
def confirm() -> Any:
    """Ask "continue as <user>?" (the token stays usable); the form posts to ``resume``."""
    token = request.args.get("t", "")
    try:
        found = continuation.peek(db_session(), token)
    except ContinuationError as exc:
        return _refused(exc)
    signed_in = current_user()
    other = _who(signed_in) if signed_in is not None and signed_in.id != found.user.id else None
    return _private(Response(render_template("lti_continue.html", found=found, who=_who(found.user), other=other,
                                             token=token, nonce=csrf.csrf_token())))


def _who(user: User) -> str:
    if not user.display_name:
        return user.email
    # an LMS account's address is synthetic (``lti-<hash>@lti.invalid``): its name says enough
    return user.display_name if user.email.endswith(".invalid") else f"{user.display_name} ({user.email})"


@bp.post("/continue")
def resume() -> Any:
    """The confirmation's form: check its nonce, spend the token, log its user in (this window keeps
    the cookie) and go on to the landing."""
    expected, sent = cookie.get(csrf.SESSION_KEY), request.form.get(csrf.FIELD, "")
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        return _refused(ContinuationError(NO_NONCE, 403))
    session = db_session()
    try:
        found = continuation.redeem(session, request.form.get("t", ""))
    except ContinuationError as exc:
        session.rollback()
        return _refused(exc)
    login_user(found.user)
    session.commit()
    return _private(redirect(found.landing, code=303))
