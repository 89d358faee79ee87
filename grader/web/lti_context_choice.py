"""The choice page of an instructor's first launch from an LMS course not mapped yet: "create a new
course for <LMS course>" or "link it to one of your courses" (``grader.services.lms.context_choice``).

The page's form carries the validated launch (platform, user, claims) signed with the app's secret
and valid for 10 minutes: it is the form's CSRF token (no other site can make one) and it lets the
choice work in an LMS frame whose cookies are blocked. It also carries a one-time token
(``grader.services.lms.continuation``, kind ``choice``) spent by the choice: a copy of the form
replayed afterwards, from any browser, is refused. A choice posted from a browser logged in as
someone else is refused too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from grader.app import SESSION_USER_KEY, db_session
from grader.services.lms import continuation
from grader.services.lms.continuation import ContinuationError
from grader.services.lms.context_choice import NEW, choose_course
from grader.services.lms.contexts import context_of
from grader.services.lms.launch import Launch, LaunchError
from grader.web.request_user import current_user

bp = Blueprint("lti_choice", __name__, url_prefix="/lti", template_folder="templates")
MAX_AGE_S = 600
ONCE = "choice"  # the kind of the form's one-time token
USED = "This choice was already made (the form works once). Open the tool from the LMS course again."


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="lti-context-choice")


def choice_page(result: Launch) -> str:
    """The page for a launch that waits for the instructor's choice."""
    assert result.claims is not None
    once = continuation.issue(db_session(), result.user, landing=url_for("lti_choice.choose"), lms="",
                              ttl_s=MAX_AGE_S, kind=ONCE)  # the caller commits
    token = _signer().dumps({"platform_id": result.platform_id, "user_id": result.user.id,
                             "claims": dict(result.claims), "once": once})
    context = context_of(result.claims)
    return render_template("lti_context_choice.html", token=token, courses=result.link_choices, new=NEW,
                           title=context.get("title") or context.get("label") or "this LMS course")


def _message(title: str, line: str, status: int) -> Response:
    return Response(render_template("lti_message.html", title=title, lines=[line], code=None), status=status)


@bp.post("/context-choice")
def choose() -> Any:
    """The instructor's choice; then the launch goes where it would have gone."""
    from flask import session as cookie

    from grader.web.lms import land

    try:
        launch = _signer().loads(request.form.get("launch", ""), max_age=MAX_AGE_S)
    except BadSignature:
        return _message("This page has expired", "Open the tool from the LMS course again.", 400)
    if cookie.get(SESSION_USER_KEY, launch["user_id"]) != launch["user_id"]:
        return _message("Not your launch", "This browser is logged in as someone else: open the tool from the "
                        "LMS course again.", 403)
    session = db_session()
    try:
        spent = continuation.redeem(session, str(launch.get("once", "")), kind=ONCE)
        if spent.user.id != launch["user_id"]:
            raise ContinuationError(continuation.UNKNOWN, 403)
    except ContinuationError as exc:
        session.rollback()
        signed_in = current_user()
        # a double click in the launch user's own signed-in browser goes on (the first choice stands)
        if str(exc) != continuation.USED or signed_in is None or signed_in.id != launch["user_id"]:
            if str(exc) == continuation.USED:
                return _message("This page was already used", USED, exc.status)
            return _message("This page has expired", "Open the tool from the LMS course again.", exc.status)
    try:
        result = choose_course(session, platform_id=launch["platform_id"], user_id=launch["user_id"],
                               claims=launch["claims"], choice=request.form.get("course", ""))
    except LaunchError as exc:
        session.rollback()
        return _message("The LMS course could not be connected", str(exc), exc.status)
    session.commit()
    return land(result)
