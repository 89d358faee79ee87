"""LTI 1.3 launch: OIDC login initiation, then the ``id_token`` the platform posts back.

The token is checked against the platform's JWKS (or stored public key): RS256 signature,
issuer, audience (and ``azp`` when there are several), expiry, deployment, the nonce stored with
the single-use ``state``. The roles claim gives student or instructor of the platform's course,
the resource link gives the assignment (custom parameter ``assignment`` or a stored mapping) and
the AGS claim's line item is kept for grade passback.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence
from urllib.parse import urlencode, urlsplit

import jwt

from grader.db.queries import lms as q
from grader.db.base import utcnow
from grader.db.models.lms import LtiLaunchLink, LtiLaunchState, LtiPlatform, LtiResourceLink, LtiUserLink
from grader.db.models import Assignment, Course, Enrollment, User
from grader.db.session import Session
from grader.lms_protocol import deep_linking as dl
from grader.lms_protocol.roles import course_role
from grader.services.lms.contexts import UnmappedContext, create_course, linkable_courses, mapped_course

STATE_TTL = timedelta(minutes=10)
LEEWAY_S = 30
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
MESSAGE_TYPES = ("LtiResourceLinkRequest", dl.REQUEST)



class LaunchError(Exception):
    """A login or launch we refuse (the page shows the message, status 400 or 401)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Launch:
    """A validated launch: who, in which course, with which role, for which assignment."""

    user: User
    course_id: int
    role: str
    assignment: Assignment | None  # None: an instructor's link not mapped yet, or a deep linking request
    lineitem_url: str | None
    platform_id: int = 0
    deployment_id: str = ""
    deep_link: dl.DeepLinkSettings | None = None  # an LtiDeepLinkingRequest: the instructor picks content
    # an instructor's first launch from an LMS course not mapped yet, who teaches these courses: they
    # choose a new course or one of these (``grader.services.lms.context_choice``), then the launch
    # goes on with ``claims`` (validated)
    link_choices: tuple[Course, ...] = ()
    claims: Mapping[str, Any] | None = None


def begin_login(session: Session, params: Mapping[str, str], *, redirect_uri: str, state: str | None = None
                ) -> tuple[str, str]:
    """Store a state (``state``, or a new random one) and a nonce; return (the platform's auth URL to
    redirect to, the state)."""
    issuer, login_hint = params.get("iss", ""), params.get("login_hint", "")
    platforms = q.platforms_by_issuer(session, issuer, params.get("client_id") or None)
    if not issuer or not login_hint or len(platforms) != 1:
        raise LaunchError("unknown platform or missing login parameters", status=400)
    platform = platforms[0]
    deployment = params.get("lti_deployment_id")
    accepted = q.deployments_of(session, platform.id) or ([platform.deployment_id] if platform.deployment_id else [])
    if deployment and accepted and deployment not in accepted:
        raise LaunchError("this deployment is not registered with the tool", status=400)
    target = params.get("target_link_uri")
    if target and urlsplit(target).netloc != urlsplit(redirect_uri).netloc:
        raise LaunchError("the target link is not on this tool", status=400)
    state, nonce = state or secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session.add(LtiLaunchState(state=state, nonce=nonce, platform_id=platform.id, expires_at=utcnow() + STATE_TTL))
    query = {
        "scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
        "client_id": platform.client_id, "redirect_uri": redirect_uri, "login_hint": login_hint,
        "state": state, "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + separator + urlencode(query), state


_jwk_clients: dict[str, jwt.PyJWKClient] = {}
_jwk_lock = threading.Lock()


def _signing_key(platform: LtiPlatform, token: str) -> Any:
    if platform.public_key_pem:
        return platform.public_key_pem
    if not platform.jwks_url:
        raise LaunchError("the platform has neither a JWKS URL nor a public key", status=400)
    with _jwk_lock:
        client = _jwk_clients.setdefault(platform.jwks_url, jwt.PyJWKClient(platform.jwks_url, lifespan=300,
                                                                             timeout=10))
    try:
        return client.get_signing_key_from_jwt(token).key
    except jwt.PyJWTError as exc:
        raise LaunchError(f"id_token key not found: {exc}") from None


def validate_id_token(platform: LtiPlatform, token: str, *, nonce: str, deployments: Sequence[str] = ()
                      ) -> dict[str, Any]:
    """The claims of a genuine, current id_token for this platform and nonce, from one of the
    accepted ``deployments`` (none given: the registration's own, if it names one); LaunchError otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, _signing_key(platform, token), algorithms=["RS256"], audience=platform.client_id,
            issuer=platform.issuer, leeway=LEEWAY_S,
            options={"require": ["iss", "aud", "exp", "iat", "nonce"]},
        )
    except jwt.PyJWTError as exc:
        raise LaunchError(f"invalid id_token: {exc}") from None
    aud = claims["aud"]
    several = isinstance(aud, list) and len(aud) > 1
    # OIDC: azp is required with several audiences and, whenever present, must be this tool
    if (several or "azp" in claims) and claims.get("azp") != platform.client_id:
        raise LaunchError("invalid id_token: azp does not name this tool")
    if not secrets.compare_digest(str(claims["nonce"]), nonce):
        raise LaunchError("invalid id_token: nonce does not match")
    accepted = set(deployments) or ({platform.deployment_id} if platform.deployment_id else set())
    if accepted and claims.get(CLAIM + "deployment_id") not in accepted:
        raise LaunchError("invalid id_token: unknown deployment")
    if claims.get(CLAIM + "version") != "1.3.0" or claims.get(CLAIM + "message_type") not in MESSAGE_TYPES:
        raise LaunchError("not an LTI 1.3 resource link or deep linking launch", status=400)
    return claims


NO_COOKIE = ("The login cookie did not come back: this browser blocks the tool's cookies inside the LMS page. "
             "Open the activity in a new window or tab (or ask the LMS administrator to set the tool to open "
             "in a new window) and it will work there.")
NO_SUB = ("The LMS sent this launch without a user identifier (an anonymous launch). The grader needs to "
          "know who you are to keep your work: ask your LMS administrator to send the user's id to this tool.")
NO_ROLE = ("The LMS did not say what your role in this course is (the launch carried no roles, or only roles "
           "such as observer that have no access here). Ask your instructor or LMS administrator to check "
           "your enrolment in the LMS course.")


def role_of(claims: Mapping[str, Any]) -> str:
    """``instructor`` or ``student`` by the roles claim (``grader.lms_protocol.roles``); LaunchError
    (an explanation, no account) when the launch names nobody or no role with access."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise LaunchError(NO_SUB, status=400)
    role = course_role(claims.get(CLAIM + "roles"))
    if role is None:
        raise LaunchError(NO_ROLE, status=403)
    return role


def complete_launch(session: Session, *, id_token: str, state: str, cookie_state: str | None,
                    now: datetime | None = None, frame_nonce: str | None = None) -> Launch:
    """Validate the posted id_token and state; link the user, enrol them, map the resource link.

    ``cookie_state`` is this browser's copy of the state (its cookie, or the platform storage
    frame's); with the frame, ``frame_nonce`` is the frame's copy of the nonce and must be the stored one."""
    if state and not cookie_state:
        raise LaunchError(NO_COOKIE)
    if not state or not cookie_state or not secrets.compare_digest(state, cookie_state):
        raise LaunchError("state does not match this browser's login")
    row = q.take_launch_state(session, state, now=now or utcnow())
    if row is None:
        raise LaunchError("unknown, expired or already used state")
    if frame_nonce is not None and not secrets.compare_digest(frame_nonce, row.nonce):
        raise LaunchError("the nonce kept by the LMS page does not match this login")
    platform = session.get(LtiPlatform, row.platform_id)
    assert platform is not None
    claims = validate_id_token(platform, id_token, nonce=row.nonce, deployments=q.deployments_of(session, platform.id))
    role = role_of(claims)
    try:
        course_id = mapped_course(session, platform, claims, staff=role == "instructor")
    except UnmappedContext as exc:
        raise LaunchError(str(exc), status=409) from None
    user = _linked_user(session, platform.issuer, str(claims["sub"]), claims)
    if not user.is_active:
        raise LaunchError("this account is deactivated", status=403)
    if course_id is None:  # an instructor's first launch from this LMS course
        choices = tuple(linkable_courses(session, user.id))
        if choices:
            return Launch(user=user, course_id=0, role=role, assignment=None, lineitem_url=None,
                          platform_id=platform.id, deployment_id=str(claims.get(CLAIM + "deployment_id") or ""),
                          link_choices=choices, claims=claims)
        course_id = create_course(session, platform, claims)
    return finish_launch(session, platform, claims, user, course_id=course_id)


def finish_launch(session: Session, platform: LtiPlatform, claims: Mapping[str, Any], user: User, *,
                  course_id: int) -> Launch:
    """The rest of a validated launch in its course: enrol the user, then the deep linking request
    or the resource link's assignment."""
    role = role_of(claims)
    _enrol(session, user, course_id, role)
    deployment_id = str(claims.get(CLAIM + "deployment_id") or "")
    if claims.get(CLAIM + "message_type") == dl.REQUEST:
        if role != "instructor":
            raise LaunchError("Only the course's instructors can add grader assignments to the LMS course.",
                              status=403)
        try:
            settings = dl.settings_of(claims)
        except dl.DeepLinkingError as exc:
            raise LaunchError(str(exc), status=400) from None
        return Launch(user=user, course_id=course_id, role=role, assignment=None, lineitem_url=None,
                      platform_id=platform.id, deployment_id=deployment_id, deep_link=settings)
    assignment, lineitem = _resource(session, platform, claims, user, course_id=course_id, staff=role == "instructor")
    return Launch(user=user, course_id=course_id, role=role, assignment=assignment, lineitem_url=lineitem,
                  platform_id=platform.id, deployment_id=deployment_id)


def burn_state(session: Session, state: str) -> None:
    """Use up a state whose launch was refused (one try per login)."""
    if state:
        q.take_launch_state(session, state, now=utcnow())


def _linked_user(session: Session, issuer: str, sub: str, claims: Mapping[str, Any]) -> User:
    """The account bound to the platform's (issuer, sub), created on the first launch.

    The account's address is always a synthetic ``lti-<hash>@lti.invalid``, never the launch's
    ``email`` claim: a platform can claim any address (an instructor may register a platform of
    their own), and an account holding a real address could later be handed roles elsewhere by
    ``grader admin create-user`` on that address. The account gets roles only through launches
    of the platforms that registered it, in the courses their LMS contexts map to.
    """
    link = q.user_link(session, issuer, sub)
    if link is not None:
        return link.user
    digest = hashlib.sha256(f"{issuer}\0{sub}".encode()).hexdigest()[:20]
    user = User(email=f"lti-{digest}@lti.invalid", display_name=str(claims.get("name") or "")[:200],
                password_hash=None)
    if not q.insert_once(session, user):  # a concurrent first launch made it (same synthetic address)
        user = q.user_by_email(session, user.email) or user
    if user.id is not None:
        q.insert_once(session, LtiUserLink(issuer=issuer, sub=sub, user_id=user.id))
    linked = q.user_link(session, issuer, sub)
    if linked is None:
        raise LaunchError("could not link the LMS user; try again", status=409)
    return linked.user


def _enrol(session: Session, user: User, course_id: int, role: str) -> None:
    enrolment = q.enrollment(session, user.id, course_id)
    if enrolment is None:
        session.add(Enrollment(user_id=user.id, course_id=course_id, role=role))
    elif enrolment.role != "admin":
        enrolment.role = role  # the platform decides roles in its course
    session.flush()


def _resource(session: Session, platform: LtiPlatform, claims: Mapping[str, Any], user: User, *,
              course_id: int, staff: bool) -> tuple[Assignment | None, str | None]:
    """The assignment of the launch's resource link; remembers that link and this launch's line item
    as the place for this user's scores (a launch without an AGS line item: no passback). None for
    an instructor's link not mapped yet (they land on the course page)."""
    link_id = str((claims.get(CLAIM + "resource_link") or {}).get("id") or "")
    if not link_id:
        raise LaunchError("the launch has no resource link", status=400)
    deployment_id = str(claims.get(CLAIM + "deployment_id") or "")
    context_id = str((claims.get(CLAIM + "context") or {}).get("id") or "")
    custom = claims.get(CLAIM + "custom") or {}
    ags = claims.get(AGS_CLAIM)
    lineitem = ags.get("lineitem") if isinstance(ags, dict) else None
    lineitem = lineitem if isinstance(lineitem, str) and lineitem else None
    stored = q.resource_link(session, platform.id, link_id, deployment_id=deployment_id, context_id=context_id)
    assignment: Assignment | None = None
    key = custom.get("assignment") if isinstance(custom, dict) else None
    if isinstance(key, str) and key:
        assignment = q.assignment_by_key(session, key)
    elif stored is not None:
        assignment = stored.assignment
    if assignment is None or assignment.course_id != course_id:
        if staff:
            return None, None
        raise LaunchError("this link is not mapped to an assignment of the course", status=400)
    if stored is None:
        stored = LtiResourceLink(platform_id=platform.id, deployment_id=deployment_id, context_id=context_id,
                                 resource_link_id=link_id, assignment_id=assignment.id)
        if not q.insert_once(session, stored):  # a concurrent first launch of the link stored it
            stored = q.resource_link(session, platform.id, link_id, deployment_id=deployment_id,
                                     context_id=context_id)
            assert stored is not None
    stored.assignment_id = assignment.id
    stored.lineitem_url = lineitem or stored.lineitem_url
    stored.updated_at = utcnow()
    session.flush()
    _remember_launch_link(session, platform, user, assignment, stored, lineitem)
    return assignment, lineitem


def _remember_launch_link(session: Session, platform: LtiPlatform, user: User, assignment: Assignment,
                          link: LtiResourceLink, lineitem: str | None) -> None:
    row = q.launch_link(session, platform.id, user.id, assignment.id)
    if row is None:
        row = LtiLaunchLink(platform_id=platform.id, user_id=user.id, assignment_id=assignment.id,
                            resource_link_pk=link.id, lineitem_url=lineitem)
        if q.insert_once(session, row):
            return
        row = q.launch_link(session, platform.id, user.id, assignment.id)
        assert row is not None
    row.resource_link_pk, row.lineitem_url, row.launched_at = link.id, lineitem, utcnow()
    session.flush()
