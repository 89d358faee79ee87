"""The deployments of one LTI registration (issuer + client id), managed by the instructors of
the course that registered it: list, add, rename, delete.

A registration lists the deployments it accepts launches from (a registration listing none
accepts every deployment its platform signs for, so the last one cannot be deleted: delete the
registration instead). ``LtiPlatform.deployment_id`` is kept equal to the oldest listed
deployment (the one given at registration), which the launch falls back to.

Deleting a deployment: launches and logins through it are refused from then on; its LMS course
mappings (contexts) and resource links are forgotten, so its students' scores are no longer
posted; its pending score posts are marked ``disabled`` (kept, with the reason). Courses,
submissions and grades are never deleted, and nothing of another deployment is touched.
"""

from __future__ import annotations

from typing import Any

from grader.db.base import utcnow
from grader.db.models import Course
from grader.db.models.lms import LtiContext, LtiDeployment, LtiPlatform
from grader.db.queries import lms as q
from grader.db.queries import lms_manage as qm
from grader.db.session import Session
from grader.services.errors import InvalidRequest, NotFound

MAX_DEPLOYMENT_ID = 200
IN_USE = ("deployment {!r} is already in use by another course: that course's LTI registration of this LMS has "
          "course mappings under it (a deployment id names one deployment of the LMS; check the id, or ask that "
          "course's instructors)")
LAST_ONE = ("this is the registration's only deployment: a registration without deployments accepts launches "
            "from every deployment of its platform, so add the deployment that replaces it first (or delete the "
            "LTI platform)")


def _platform(session: Session, course: Course, platform_id: int) -> LtiPlatform:
    row = session.get(LtiPlatform, platform_id)
    if row is None or row.course_id != course.id:
        raise NotFound(f"LTI platform {platform_id} not found")
    return row


def _deployment(session: Session, platform: LtiPlatform, deployment_pk: int) -> LtiDeployment:
    row = session.get(LtiDeployment, deployment_pk)
    if row is None or row.platform_id != platform.id:
        raise NotFound(f"deployment {deployment_pk} not found")
    return row


def _deployment_id(body: dict[str, Any]) -> str:
    value = body.get("deployment_id")
    if (not isinstance(value, str) or not value.strip() or value != value.strip() or len(value) > MAX_DEPLOYMENT_ID
            or not value.isprintable()):
        raise InvalidRequest(f'"deployment_id" is required: the LMS\'s deployment id, 1 to {MAX_DEPLOYMENT_ID} '
                             "printable characters without surrounding spaces")
    return value


def deployment_view(platform: LtiPlatform, row: LtiDeployment) -> dict[str, Any]:
    return {"id": row.id, "platform_id": platform.id, "deployment_id": row.deployment_id,
            "primary": row.deployment_id == platform.deployment_id,
            "created_at": row.created_at.isoformat() if row.created_at else None}


def list_deployments(session: Session, course: Course, platform_id: int) -> list[dict[str, Any]]:
    platform = _platform(session, course, platform_id)
    return [deployment_view(platform, r) for r in qm.deployment_rows(session, platform.id)]


def add_deployment(session: Session, course: Course, platform_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Accept launches from one more deployment (its contexts map their own courses)."""
    platform = _platform(session, course, platform_id)
    deployment_id = _deployment_id(body)
    _materialise_primary(session, platform)
    if deployment_id in q.deployments_of(session, platform.id):
        raise InvalidRequest(f"deployment {deployment_id!r} is already registered for this platform", status=409)
    refuse_foreign(session, platform, deployment_id)
    row = LtiDeployment(platform_id=platform.id, deployment_id=deployment_id)
    if not q.insert_once(session, row):  # a concurrent request added it
        raise InvalidRequest(f"deployment {deployment_id!r} is already registered for this platform", status=409)
    _keep_primary(session, platform)
    return deployment_view(platform, row)


def rename_deployment(session: Session, course: Course, platform_id: int, deployment_pk: int,
                      body: dict[str, Any]) -> dict[str, Any]:
    """Correct a deployment's id: its LMS course mappings and resource links follow it."""
    platform = _platform(session, course, platform_id)
    row = _deployment(session, platform, deployment_pk)
    unknown = sorted(set(body) - {"deployment_id"})
    if unknown:
        raise InvalidRequest(f'only "deployment_id" can be changed (not {", ".join(unknown)})')
    new_id = _deployment_id(body)
    if new_id == row.deployment_id:
        return deployment_view(platform, row)
    if new_id in q.deployments_of(session, platform.id):
        raise InvalidRequest(f"deployment {new_id!r} is already registered for this platform", status=409)
    refuse_foreign(session, platform, new_id)
    _move(session, platform, row, new_id)
    return deployment_view(platform, row)


def change_primary(session: Session, platform: LtiPlatform, new_id: Any) -> None:
    """A platform edit that changes ``deployment_id``: the primary deployment is renamed (added
    when the registration listed none), so the column and the list never disagree."""
    new_id = _deployment_id({"deployment_id": new_id})
    if new_id == platform.deployment_id:
        return
    refuse_foreign(session, platform, new_id)
    _materialise_primary(session, platform)
    rows = {r.deployment_id: r for r in qm.deployment_rows(session, platform.id)}
    if new_id in rows:
        platform.deployment_id = new_id  # already listed: it becomes the primary one
    elif platform.deployment_id in rows:
        _move(session, platform, rows[platform.deployment_id], new_id)
    else:
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=new_id))
        platform.deployment_id = new_id
    session.flush()


def _materialise_primary(session: Session, platform: LtiPlatform) -> None:
    """A registration whose column names a deployment but whose list is empty accepts exactly that
    one: list it before the list changes, so adding another does not silently drop it."""
    if platform.deployment_id and not q.deployments_of(session, platform.id):
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=platform.deployment_id))
        session.flush()


def _move(session: Session, platform: LtiPlatform, row: LtiDeployment, new_id: str) -> None:
    old_id = row.deployment_id
    contexts = _own_contexts(session, platform, old_id)
    for context in contexts:
        if q.lti_context(session, platform.issuer, new_id, context.context_id) is not None:
            raise InvalidRequest(f"LMS course {context.context_id!r} is already connected under deployment "
                                 f"{new_id!r}", status=409)
    links = qm.resource_links_of_deployment(session, platform.id, old_id)
    if any(q.resource_link(session, platform.id, link.resource_link_id, deployment_id=new_id,
                           context_id=link.context_id) is not None for link in links):
        raise InvalidRequest(f"a resource link is already stored under deployment {new_id!r}", status=409)
    for context in contexts:
        context.deployment_id = new_id
    for link in links:
        link.deployment_id = new_id
    row.deployment_id = new_id
    if platform.deployment_id == old_id:
        platform.deployment_id = new_id
    session.flush()


def delete_deployment(session: Session, course: Course, platform_id: int, deployment_pk: int) -> dict[str, Any]:
    """Stop accepting a deployment and forget what hangs on it (see the module docstring); what was done."""
    platform = _platform(session, course, platform_id)
    row = _deployment(session, platform, deployment_pk)
    if len(q.deployments_of(session, platform.id)) <= 1:
        raise InvalidRequest(LAST_ONE, status=409)
    dep = row.deployment_id
    links = qm.resource_links_of_deployment(session, platform.id, dep)
    lineitems = qm.lineitems_of_links(session, [link.id for link in links])
    lineitems -= qm.lineitems_of_other_deployments(session, platform.id, dep)  # shared: still in use there
    posts = qm.pending_score_posts(session, platform.id, lineitems)
    now = utcnow()
    for post in posts:
        post.status, post.next_attempt_at = "disabled", None
        post.last_error = f"not sent: deployment {dep!r} was removed from the LTI registration on {now.isoformat()}"
    contexts = _own_contexts(session, platform, dep)
    for item in (*contexts, *links):  # launch links go with their resource links (ON DELETE CASCADE)
        session.delete(item)
    session.delete(row)
    session.flush()
    _keep_primary(session, platform)
    return {"deleted": deployment_view(platform, row), "contexts_removed": len(contexts),
            "resource_links_removed": len(links), "score_posts_disabled": len(posts)}


def _own_contexts(session: Session, platform: LtiPlatform, deployment_id: str) -> list[LtiContext]:
    """The LMS course mappings of this registration's deployment. Deployment ids are unique per
    issuer (LTI 1.3 core), so a mapping with this issuer and id is this deployment's, unless it was
    made through another registration of the issuer that also lists the id."""
    sharing = {p.id for p in q.platforms_by_issuer(session, platform.issuer)
               if p.id != platform.id and deployment_id in q.deployments_of(session, p.id)}
    return [c for c in qm.contexts_of_deployment(session, platform.issuer, deployment_id)
            if c.platform_id == platform.id
            or (c.platform_id is None and c.course_id == platform.course_id and not sharing)]


def refuse_foreign(session: Session, platform: LtiPlatform, deployment_id: str) -> None:
    """409 when another course already maps LMS courses under this issuer's ``deployment_id``.

    Launches resolve a context by (issuer, deployment, context) through any registration of the
    issuer, so listing such a deployment would let this course's instructors rename or delete
    another course's mappings. A mapping belongs to the course whose registration last launched
    from it (a first launch may map another course: that is still the registration's own), or,
    without one (linked in advance, or its registration deleted), to the course it maps."""
    for context in qm.contexts_of_deployment(session, platform.issuer, deployment_id):
        owner = session.get(LtiPlatform, context.platform_id) if context.platform_id is not None else None
        if (owner.course_id if owner is not None else context.course_id) != platform.course_id:
            raise InvalidRequest(IN_USE.format(deployment_id), status=409)


def _keep_primary(session: Session, platform: LtiPlatform) -> None:
    """``LtiPlatform.deployment_id``: the oldest deployment still listed (the launch's fallback)."""
    accepted = q.deployments_of(session, platform.id)
    if accepted and platform.deployment_id not in accepted:
        platform.deployment_id = accepted[0]
    session.flush()
