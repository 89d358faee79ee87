"""The authorization matrix: every route (the OpenAPI document's paths and the page routes) ×
{anonymous, student A, student B, instructor of the course, instructor of another course, LMS
signature} gives the status in ``EXPECTED``. A route without a row fails the test.

Objects named in paths belong to course c1 and to student A (her submission, her token, ...).
Pages are asked with the login cookie (and the form's CSRF token), the API with bearer tokens,
the LMS with a Standard Webhooks signature and no user credentials. Each route runs on a fresh
database, the roles in the order of ``ROLES`` (the owner and the instructor last: they may delete).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.unit.security.authz_matrix import (FORMS, JSON_BODIES, ROLES, WHO, fill, inbound_body, seed, signed,
                                             uploads)

# (method, path): statuses for (anonymous, student A, student B, instructor, other instructor, LMS).
# Pages send anonymous visitors to /login (302); a signed LMS request carries no CSRF token (400 on
# forms); objects of course c1 are 404 to the other course's instructor, 403 to its students on
# instructor-only routes; student A's submission and token are hers alone.
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ('GET', '/'): (302, 200, 200, 200, 200, 302),
    ('GET', '/api/v1/assignments'): (401, 200, 200, 200, 200, 401),
    ('GET', '/api/v1/assignments/{key}'): (401, 200, 200, 200, 404, 401),
    ('GET', '/api/v1/assignments/{key}/gradebook.csv'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/assignments/{key}/regrade'): (401, 403, 403, 202, 404, 401),
    ('GET', '/api/v1/assignments/{key}/stats'): (401, 403, 403, 200, 404, 401),
    # a document is read for whoever may submit to the assignment (nothing is graded or stored as a submission)
    ('POST', '/api/v1/assignments/{key}/documents'): (401, 200, 200, 200, 404, 401),
    # a student's variant (of c1's parameterised assignment): the course's instructors only
    ('GET', '/api/v1/assignments/{key}/variants/{student_id}'): (401, 403, 403, 200, 404, 401),
    ('PUT', '/api/v1/assignments/{key}/variants/{student_id}'): (401, 403, 403, 200, 404, 401),
    ('DELETE', '/api/v1/assignments/{key}/variants/{student_id}'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/assignments/{key}/submissions'): (401, 202, 202, 202, 404, 401),
    ('GET', '/api/v1/assignments/{key}/submissions'): (401, 403, 403, 200, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/deliveries'): (401, 403, 403, 200, 404, 401),
    ('GET', '/api/v1/lms/assignments/{key}/passback'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/lti-registration-url'): (401, 403, 403, 201, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/roster/sync'): (401, 403, 403, 200, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/lti-contexts'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/lti-contexts'): (401, 403, 403, 422, 404, 401),  # {}: no platform
    # no LMS course connected in the seed: the course's instructor gets 404 for the row
    ('DELETE', '/api/v1/lms/courses/{course}/lti-contexts/{context_pk}'): (401, 403, 403, 404, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitems'): (401, 403, 403, 404, 404, 401),
    # one line item of an LMS course (?id=<its URL>): the course's instructors only (context 999999: 404)
    ('PUT', '/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitem'): (401, 403, 403, 404, 404, 401),
    ('DELETE', '/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitem'): (401, 403, 403, 404, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitems'): (401, 403, 403, 404, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/deliveries/{delivery_id}/redeliver'): (401, 403, 403, 202, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/inbound-secrets'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/inbound-secrets'): (401, 403, 403, 201, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/inbound-secrets/rotate'): (401, 403, 403, 201, 404, 401),
    ('DELETE', '/api/v1/lms/courses/{course}/inbound-secrets/{secret_id}'): (401, 403, 403, 200, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/lti-platforms'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/lti-platforms'): (401, 403, 403, 201, 404, 401),
    ('PATCH', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}'): (401, 403, 403, 200, 404, 401),
    ('DELETE', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}'): (401, 403, 403, 204, 404, 401),
    # a registration's deployments (it has two: deleting one is allowed)
    ('GET', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments'): (401, 403, 403, 201, 404, 401),
    ('PATCH', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments/{deployment_pk}'): (
        401, 403, 403, 200, 404, 401),
    ('DELETE', '/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments/{deployment_pk}'): (
        401, 403, 403, 200, 404, 401),
    ('GET', '/api/v1/lms/courses/{course}/webhooks'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/webhooks'): (401, 403, 403, 201, 404, 401),
    ('DELETE', '/api/v1/lms/courses/{course}/webhooks/{endpoint_id}'): (401, 403, 403, 204, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/webhooks/{endpoint_id}/disable'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/courses/{course}/webhooks/{endpoint_id}/enable'): (401, 403, 403, 200, 404, 401),
    ('POST', '/api/v1/lms/submissions'): (401, 401, 401, 401, 401, 202),
    ('GET', '/api/v1/me'): (401, 200, 200, 200, 200, 401),
    ('GET', '/api/v1/openapi.json'): (200, 200, 200, 200, 200, 200),
    ('GET', '/api/v1/regrade-jobs/{job_id}'): (401, 404, 404, 200, 404, 401),
    ('GET', '/api/v1/submissions/{submission_id}'): (401, 200, 404, 200, 404, 401),
    ('GET', '/api/v1/tokens'): (401, 200, 200, 200, 200, 401),
    ('POST', '/api/v1/tokens'): (401, 201, 201, 201, 201, 401),
    ('DELETE', '/api/v1/tokens/{token_id}'): (401, 200, 404, 404, 404, 401),
    ('POST', '/api/v1/validate'): (401, 200, 200, 200, 200, 401),
    ('GET', '/assignments/{key}'): (302, 200, 200, 200, 404, 302),
    ('POST', '/assignments/{key}/document'): (302, 200, 200, 200, 404, 400),
    ('GET', '/help/documents'): (302, 200, 200, 200, 200, 302),
    ('POST', '/assignments/{key}/submit'): (302, 302, 302, 302, 404, 400),
    ('GET', '/instructor/assignments/{key}'): (302, 403, 403, 200, 404, 302),
    ('POST', '/instructor/assignments/{key}/feedback'): (302, 403, 403, 302, 404, 400),
    ('POST', '/instructor/assignments/{key}/regrade'): (302, 403, 403, 302, 404, 400),
    ('GET', '/instructor/assignments/{key}/students/{user_id}'): (302, 403, 403, 200, 404, 302),
    ('POST', '/instructor/results/{result_id}/grade'): (302, 404, 404, 302, 404, 400),
    ('GET', '/login'): (200, 302, 302, 302, 302, 200),
    ('POST', '/login'): (401, 401, 401, 401, 401, 400),
    ('POST', '/logout'): (302, 302, 302, 302, 302, 400),
    ('GET', '/instructor/assignments/{key}/lms'): (302, 403, 403, 200, 404, 302),
    # the course's LMS page: connected LMS courses, their rosters, the sync button (c1 has no LMS course: a message)
    ('GET', '/instructor/courses/{course}/lms'): (302, 403, 403, 200, 404, 302),
    ('POST', '/instructor/courses/{course}/lms/roster-sync'): (302, 403, 403, 302, 404, 400),
    ('POST', '/instructor/courses/{course}/lms/contexts/{context_pk}/unlink'): (302, 403, 403, 404, 404, 400),
    # the first-launch choice: only with the launch signed into the page (none here)
    ('POST', '/lti/context-choice'): (400, 400, 400, 400, 400, 400),
    ('GET', '/lti/assets/{filename}'): (200, 200, 200, 200, 200, 200),
    # an instructor's landing page names a course: "hw1" is none (404 to everyone)
    ('GET', '/lti/course/{key}'): (404, 404, 404, 404, 404, 404),
    # Deep Linking and Dynamic Registration carry their own signed request / invitation
    ('POST', '/lti/deep-link'): (400, 400, 400, 400, 400, 400),
    ('GET', '/lti/register/{invite}'): (400, 400, 400, 400, 400, 400),
    ('GET', '/lti/jwks.json'): (200, 200, 200, 200, 200, 200),
    ('POST', '/lti/launch'): (401, 401, 401, 401, 401, 401),
    ('POST', '/lti/launch/storage'): (401, 401, 401, 401, 401, 401),  # no signed state from the platform's frame
    # the cookie check and the new window's continuation carry a one-time token (none here: 404 to everyone)
    ('GET', '/lti/launch/check'): (404, 404, 404, 404, 404, 404),
    ('GET', '/lti/continue'): (404, 404, 404, 404, 404, 404),
    # the form with this browser's nonce: an unknown token (404); the LMS's request carries no nonce (403)
    ('POST', '/lti/continue'): (404, 404, 404, 404, 404, 403),
    ('GET', '/lti/login'): (400, 400, 400, 400, 400, 400),
    ('POST', '/lti/login'): (400, 400, 400, 400, 400, 400),
    ('GET', '/static/{filename}'): (200, 200, 200, 200, 200, 200),
    ('GET', '/submissions/{submission_id}'): (302, 200, 404, 200, 404, 302),
    ('GET', '/submissions/{submission_id}/questions/{question_id}/check'): (302, 200, 404, 200, 404, 302),
}
ORDER = ("anonymous", "lms", "other_instructor", "student_b", "student_a", "instructor")


def _routes(app: Any) -> set[tuple[str, str]]:
    """The OpenAPI document's operations and every other (page, LTI) route of the app."""
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {(m.upper(), p) for p, item in doc["paths"].items() for m in item if m in ("get", "post", "patch", "delete", "put")}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(m, path) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return routes


def _csrf(client: Any) -> str:
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    return found.group(1) if found else ""


def _ask(site: dict[str, Any], role: str, method: str, path: str, url: str, login: Any) -> int:
    client = site["app"].test_client()
    headers: dict[str, str] = {}
    key = (method, path)
    kwargs: dict[str, Any] = {}
    if role == "lms":
        body = inbound_body() if path == "/api/v1/lms/submissions" else b"{}"
        headers.update(signed(body))
        kwargs["data"] = body
    elif path.startswith("/api/") and role != "anonymous":
        headers["Authorization"] = f"Bearer {site['tokens'][WHO[role]]}"
    elif role != "anonymous":
        login(client, WHO[role])
    if role != "lms":
        if key in JSON_BODIES:
            kwargs["json"] = JSON_BODIES[key]
        elif key in FORMS:
            kwargs["data"] = {**FORMS[key], "csrf_token": _csrf(client), **uploads(key)}
        elif method != "GET" and path.startswith("/api/"):
            kwargs["json"] = {}
    response = client.open(url, method=method, headers=headers, **kwargs)
    response.close()
    return int(response.status_code)


def _all_routes() -> list[tuple[str, str]]:
    from grader.app import create_app
    from grader.config import Settings

    app = create_app(Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True))
    return sorted(_routes(app))


ROUTES = _all_routes()


def test_every_route_has_a_row() -> None:
    missing = sorted(set(ROUTES) - set(EXPECTED))
    extra = sorted(set(EXPECTED) - set(ROUTES))
    assert not missing and not extra, f"routes without a row: {missing}; rows without a route: {extra}"


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_the_matrix(site: dict[str, Any], login: Any, route: tuple[str, str]) -> None:
    method, path = route
    ids = seed(site["factory"])
    statuses = {role: _ask(site, role, method, path, fill(path, ids), login) for role in ORDER}
    got = tuple(statuses[r] for r in ROLES)
    assert got == EXPECTED.get(route), dict(zip(ROLES, got, strict=True))


def _bearer(site: dict[str, Any], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site['tokens'][who]}"}


def test_a_variant_is_set_only_by_the_courses_instructors(site: dict[str, Any]) -> None:
    """A student cannot choose their own numbers (403), another course's instructor cannot even
    see the assignment (404): nothing is stored either way; the course's instructor can."""
    from grader.db.models import VariantOverride

    ids = seed(site["factory"])
    url = fill("/api/v1/assignments/{key}/variants/{student_id}", ids)
    body = JSON_BODIES[("PUT", "/api/v1/assignments/{key}/variants/{student_id}")]
    client = site["app"].test_client()
    for who, status in (("alice", 403), ("bob", 403), ("eve", 404)):
        assert client.put(url, json=body, headers=_bearer(site, who)).status_code == status, who
        with site["factory"]() as s:
            assert s.query(VariantOverride).count() == 0
    answer = client.put(url, json=body, headers=_bearer(site, "teacher"))
    assert answer.status_code == 200 and answer.get_json()["overridden"] is True


def test_a_document_is_read_for_the_courses_members_only(site: dict[str, Any]) -> None:
    """A student of the course gets the answers found (200) or a 422 for a body that is not a
    document; another course's instructor gets 404 and anonymous 401, with nothing stored."""
    from grader.db.models import HandedInDocument

    ids = seed(site["factory"])
    url = fill("/api/v1/assignments/{key}/documents", ids)
    body = JSON_BODIES[("POST", "/api/v1/assignments/{key}/documents")]
    client = site["app"].test_client()
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=_bearer(site, "eve")).status_code == 404
    assert client.post(url, json={"document": 5}, headers=_bearer(site, "alice")).status_code == 422
    with site["factory"]() as s:
        assert s.query(HandedInDocument).count() == 0
    found = client.post(url, json=body, headers=_bearer(site, "alice"))
    assert found.status_code == 200 and found.get_json()["document_id"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_student_id_too_large_for_the_database_is_a_404(site: dict[str, Any], method: str) -> None:
    """Found by Schemathesis: PUT and DELETE answered 405 (one route per method)."""
    url = "/api/v1/assignments/hw1/variants/73159867202987720704"
    response = site["app"].test_client().open(url, method=method, json={},
                                              headers={"Authorization": f"Bearer {site['tokens']['teacher']}"})
    assert response.status_code == 404
