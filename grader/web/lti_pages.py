"""LTI pages under ``/lti`` beyond the launch: Deep Linking (the assignment picker an
``LtiDeepLinkingRequest`` launch shows, and the auto-submitted form that posts the signed answer to
the LMS's return URL) and Dynamic Registration (``/lti/register/<invitation>``).

The picker's form carries the request (platform, deployment, course, return URL, opaque data)
signed with the app's secret and valid for 10 minutes, so picking needs no cookie (the LMS frame
may have none) and a form from anywhere else is refused.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from grader.app import db_session
from grader.db.models import User
from grader.lms_protocol.deep_linking import DeepLinkSettings
from grader.services.errors import ServiceError
from grader.services.lms import deep_link
from grader.services.lms.launch import Launch

bp = Blueprint("lti_dl", __name__, url_prefix="/lti", template_folder="templates", static_folder="static",
               static_url_path="/assets")
REQUEST_MAX_AGE_S = 600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="lti-deep-linking")


def picker(result: Launch, course_key: str) -> str:
    """The picker page for a validated deep linking launch."""
    assert result.deep_link is not None
    token = _signer().dumps({"platform_id": result.platform_id, "deployment_id": result.deployment_id,
                             "course_id": result.course_id, "user_id": result.user.id,
                             "settings": asdict(result.deep_link)})
    return render_template("lti_deep_link.html", token=token, course_key=course_key,
                           choices=deep_link.choices(db_session(), result.course_id))


def _message(title: str, line: str, status: int) -> Response:
    return Response(render_template("lti_message.html", title=title, lines=[line], code=None), status=status)


@bp.post("/deep-link")
def pick() -> Any:
    """The instructor's choice: answer the LMS with the signed content item."""
    try:
        req = _signer().loads(request.form.get("request", ""), max_age=REQUEST_MAX_AGE_S)
    except BadSignature:
        return _message("This page has expired", "Open “add content” in the LMS again.", 400)
    session = db_session()
    user = session.get(User, req["user_id"])
    settings = DeepLinkSettings(**req["settings"])
    try:
        if user is None:
            raise ServiceError("the account is gone", status=403)
        jwt = deep_link.answer(session, user, platform_id=req["platform_id"], deployment_id=req["deployment_id"],
                               course_id=req["course_id"], settings=settings,
                               assignment_key=request.form.get("assignment", ""),
                               launch_url=url_for("lti.launch", _external=True))
    except ServiceError as exc:
        session.rollback()
        return _message("The assignment could not be added", exc.message, exc.status)
    session.commit()
    title = next((c.title for c in deep_link.choices(session, req["course_id"])
                  if c.key == request.form.get("assignment")), "")
    return render_template("lti_deep_link_return.html", return_url=settings.return_url, jwt=jwt, title=title)


# --- Dynamic Registration -------------------------------------------------------------------------

def _invites() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="lti-dynamic-registration")


def registration_url(course_id: int) -> str:
    """The URL an LMS administrator pastes into the LMS (signed for the course, expires)."""
    return url_for("lti_dl.register", invite=_invites().dumps({"course_id": course_id}), _external=True)


@bp.get("/register/<invite>")
def register(invite: str) -> Any:
    """LTI Dynamic Registration, opened by the LMS with ``openid_configuration`` and ``registration_token``."""
    from grader.db.models import Course
    from grader.security.egress_http import guarded_session
    from grader.web.lms_api import _egress
    from grader.lms_protocol.dynamic_registration import ToolUrls
    from grader.services.lms.dynamic_registration import INVITE_MAX_AGE_S, register as register_platform

    try:
        course_id = _invites().loads(invite, max_age=INVITE_MAX_AGE_S)["course_id"]
    except BadSignature:
        return _message("This registration link is not valid", "Ask the course's instructor for a new one.", 400)
    session = db_session()
    course = session.get(Course, course_id)
    if course is None:
        return _message("This registration link is not valid", "Its course no longer exists.", 404)
    tool = ToolUrls(login=url_for("lti.login", _external=True), launch=url_for("lti.launch", _external=True),
                    jwks=url_for("lti.jwks", _external=True))
    try:
        with guarded_session(_egress()) as http:  # the platform's URLs pass the egress fence
            platform = register_platform(session, http, course, tool=tool, egress=_egress(),
                                         openid_configuration=request.args.get("openid_configuration", ""),
                                         registration_token=request.args.get("registration_token", ""))
    except ServiceError as exc:
        session.rollback()
        return _message("The registration did not work", exc.message, exc.status)
    session.commit()
    return render_template("lti_registered.html", platform=platform, course=course.key)
