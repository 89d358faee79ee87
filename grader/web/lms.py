"""LTI endpoints: ``/lti/login``, ``/lti/launch``, ``/lti/jwks.json`` and the landing pages after a
launch (the ``/api/v1/lms`` routes are in ``grader.web.lms_api``).

``register(app)`` (called by the app factory) adds every LMS blueprint and makes the session cookie
``SameSite=None; Secure`` on HTTPS requests, so a login made inside the LMS iframe sticks.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.routing import BuildError

from grader.app import db_session
from grader.db.models.lms import LtiPlatform
from grader.db.models import Course, User
from grader.services.lms import client_storage, course_settings as admin
from grader.services.lms.launch import Launch, LaunchError, begin_login, burn_state, complete_launch
from grader.services.lms.tool_keys import public_jwks
from grader.web import lti_continuation
from grader.web.request_user import current_user, login_user
from grader.services.errors import ServiceError

lti_bp = Blueprint("lti", __name__, url_prefix="/lti", template_folder="templates")
STATE_COOKIE = "lti_state_"
STORAGE_TIMEOUT_MS = 2000  # how long the pages wait for the LMS's storage frame to answer


class IframeSessionInterface(SecureCookieSessionInterface):
    """On HTTPS the session cookie is ``SameSite=None; Secure`` (sent inside the LMS iframe)."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if request and request.is_secure else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if request and request.is_secure else super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        # CHIPS: a browser that blocks third-party cookies still keeps a partitioned one for the
        # tool inside the LMS page (partitioned by the LMS site)
        return True if request and request.is_secure else super().get_cookie_partitioned(app)


def register(app: Flask) -> None:
    """Add the LMS blueprints to ``app`` (the factory calls this)."""
    # lms_manage: list / revoke / edit what instructors registered
    from grader.web import lms_api, lms_manage, lti_context_choice, lti_pages

    app.register_blueprint(lti_bp)
    app.register_blueprint(lms_api.api_bp)
    app.register_blueprint(lms_manage.bp)
    app.register_blueprint(lti_pages.bp)
    app.register_blueprint(lti_continuation.bp)
    app.register_blueprint(lti_context_choice.bp)
    if "instructor" in app.blueprints:  # the pages are installed: add the LMS pages to them
        from grader.web import lms_pages

        app.register_blueprint(lms_pages.bp)
        app.jinja_env.globals["lms_roster_card"] = lms_pages.roster_card  # the dashboard's LMS roster section
        app.jinja_env.globals["lms_pages"] = True  # the dashboard links to the page
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = IframeSessionInterface()


# --- LTI ----------------------------------------------------------------------------------------

@lti_bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """OIDC login initiation: remember state and nonce, send the browser to the platform. With
    ``lti_storage_target`` a page first puts them in the platform's storage frame (no cookie needed)."""
    session = db_session()
    secret = str(current_app.secret_key or "")
    try:
        signed = client_storage.storage_state(secret, request.values.get("lti_storage_target"))
        url, state = begin_login(session, request.values, redirect_uri=url_for("lti.launch", _external=True),
                                 state=signed)
    except LaunchError as exc:
        return _refuse(exc)
    session.commit()
    page = client_storage.page(session, secret, state) if signed else None
    response = _storage_page("login", page, next_url=url) if page else redirect(url, code=302)
    # the partitioned cookie also when the frame is used: the fallback if the frame does not answer
    response.set_cookie(STATE_COOKIE + state, state, max_age=600, path="/lti/", secure=True,
                        httponly=True, samesite="None", partitioned=True)
    return response


@lti_bp.post("/launch")
def launch() -> Any:
    """The platform posts the id_token here; a valid one logs the user in. Without the state
    cookie, a storage login's launch gets a page that fetches state and nonce from the LMS frame."""
    state = request.form.get("state", "")
    cookie_state = request.cookies.get(STATE_COOKIE + state) if state else None
    if state and not cookie_state:
        id_token = request.form.get("id_token", "")
        page = client_storage.page(db_session(), str(current_app.secret_key or ""), state, id_token=id_token)
        if page is not None:
            return _storage_page("launch", page, id_token=id_token)
    return _complete(state, cookie_state)


@lti_bp.post("/launch/storage")
def storage_launch() -> Any:
    """The launch page's post: the id_token with the state and nonce the LMS's storage frame kept."""
    state = request.form.get("state", "")
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin" or \
            request.headers.get("Origin", request.host_url.rstrip("/")) != request.host_url.rstrip("/"):
        # only the tool's own launch page posts here (another site's form could log a browser in as
        # someone else: the login CSRF the state cookie prevents in a cookie launch)
        return _refuse(LaunchError("this launch was not posted by the tool's launch page", status=403))
    try:
        client_storage.check_frame_state(str(current_app.secret_key or ""), state, request.form.get("frame_state", ""))
    except LaunchError as exc:
        return _refuse(exc)
    return _complete(state, request.form.get("frame_state", ""), frame_nonce=request.form.get("frame_nonce", ""))


def _storage_page(mode: str, page: client_storage.StoragePage, **extra: str) -> Response:
    from grader.services.lms.launch import NO_COOKIE

    return Response(render_template("lti_storage.html", mode=mode, page=page, timeout_ms=STORAGE_TIMEOUT_MS,
                                    no_storage=NO_COOKIE, **extra))


def _complete(state: str, cookie_state: str | None, *, frame_nonce: str | None = None) -> Any:
    """Validate the launch, log the user in and send them on (or explain why not)."""
    session = db_session()
    try:
        result = complete_launch(session, id_token=request.form.get("id_token", ""), state=state,
                                 cookie_state=cookie_state, frame_nonce=frame_nonce)
    except LaunchError as exc:
        session.rollback()
        burn_state(session, state)
        session.commit()
        return _refuse(exc)
    login_user(result.user)
    session.commit()
    if result.link_choices:  # an instructor's first launch from this LMS course: a new course, or one of theirs?
        from grader.web.lti_context_choice import choice_page

        response = Response(choice_page(result))
        session.commit()  # the page's one-time token
    else:
        response = land(result)
    response.delete_cookie(STATE_COOKIE + state, path="/lti/", secure=True, httponly=True, samesite="None",
                           partitioned=True)
    return response


def land(result: Launch) -> Response:
    """Where a completed launch goes: the deep linking picker, the course page (an instructor's link
    not mapped yet) or the assignment's page for the role."""
    session = db_session()
    course_row = session.get(Course, result.course_id)
    assert course_row is not None
    if result.deep_link is not None:  # the instructor picks an assignment for a new LMS link
        from grader.web.lti_pages import picker

        return Response(picker(result, course_row.key))
    if result.assignment is None:  # an instructor's link not mapped yet: the course page says what to do
        target, place = url_for("lti.course", key=course_row.key), f"“{course_row.title}”"
    else:
        target = _landing(result.role, result.assignment.key)
        place = f"“{result.assignment.title}” ({course_row.title})"
    # not straight to the landing: the check URL first tells whether this browser kept the session
    # cookie, and if it did not, offers the landing in a new window (grader.web.lti_continuation)
    platform = session.get(LtiPlatform, result.platform_id)
    response = lti_continuation.check_redirect(session, result.user, landing=target, place=place,
                                               issuer=platform.issuer if platform else "")
    session.commit()
    return response


@lti_bp.get("/jwks.json")
def jwks() -> Any:
    """The tool's public keys (platforms verify our client assertions with these)."""
    session = db_session()
    document = public_jwks(session)
    session.commit()
    response = jsonify(document)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _landing(role: str, assignment_key: str) -> str:
    """The assignment's page for the role (the JSON view when the pages are not installed)."""
    endpoint = "instructor.dashboard" if role == "instructor" else "student.assignment"
    try:
        return url_for(endpoint, key=assignment_key)
    except BuildError:
        return f"/api/v1/assignments/{assignment_key}"


def _refuse(exc: LaunchError) -> Response:
    """An explanation page for the browser in the LMS frame (JSON for a client that asks for it)."""
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(error=str(exc))
    else:
        response = Response(render_template("lti_message.html", title="This launch did not work",
                                            lines=[str(exc), "Go back to the LMS and open the activity again; if "
                                                   "this repeats, tell your instructor or LMS administrator."],
                                            code=None))
    response.status_code = exc.status
    return response


@lti_bp.get("/course/<key>")
def course(key: str) -> Any:
    """Where an instructor lands from an LMS link that names no assignment of the course yet."""
    user = current_user()
    try:
        found = admin.staff_course(db_session(), user, key) if isinstance(user, User) else None
    except ServiceError:
        found = None
    if found is None:
        return Response(render_template("lti_message.html", title="Not found", lines=["No such course."],
                                        code=None), status=404)
    lines = [f"The LMS course is connected to the grader course \"{found.title}\" (key {found.key}).",
             "This LMS link does not name an assignment of this course yet. Give the assignment files "
             f"\"course: {found.key}\" and load them (the command below), then either add the custom parameter "
             "assignment=<assignment id> to the LMS link or create the link with Deep Linking (the LMS's "
             "\"select content\" button)."]
    return render_template("lti_message.html", title="Course connected", lines=lines,
                           code="grader admin load-assignments DIRECTORY")
