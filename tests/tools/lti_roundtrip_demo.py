"""Issue 14's closing demonstration, as a printed transcript (exit status 1 if an expectation fails):

(a) a Deep Linking round trip with the independent ``lti1p3platform`` platform: its
    LtiDeepLinkingRequest launch, the instructor's pick, the tool's signed answer decoded and
    verified by the platform library with the tool's JWKS;
(b) one registration (issuer + client id), one deployment, two LMS courses (contexts), each with
    its own resource link and AGS line item: a student of each launches, submits, is graded, and
    the platform shows which line item each score was POSTed to.

    PYTHONPATH=. .venv/bin/python tests/tools/lti_roundtrip_demo.py

Loopback only: a fresh PostgreSQL database on the test server (``GRADER_TEST_PG_URL``, dropped
at the end), the tool app in process (Flask's test client, as the LMS tests do) and the platform's
token and score endpoints on an ephemeral 127.0.0.1 port (``ServiceEndpoints``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[2]
for extra in (REPO, REPO / "tests", REPO / "tests" / "integration" / "lms"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ANSWERS = {"right": {"q1": "2*p_i - 2*y_i", "q2": "x_i"}, "half": {"q1": "2*p_i - 2*y_i", "q2": "w"}}


class Demo:
    """The tool (in process), the independent platform and its endpoints, and the transcript."""

    def __init__(self, app: Any, factory: Any, platform: Any, svc: Any, out: Callable[[str], None]) -> None:
        self.app, self.factory, self.platform, self.svc, self.out = app, factory, platform, svc, out
        self.failures: list[str] = []
        self.last_id_token = ""
        self.tool_kids = [k.get("kid") for k in platform.get_registration().get_tool_key_set()["keys"]]

    def expect(self, ok: bool, what: str) -> None:
        self.out(f"    [{'ok' if ok else 'FAILED'}] {what}")
        if not ok:
            self.failures.append(what)

    def launch(self, user: str, roles: list[str], **claims: Any) -> tuple[Any, Any]:
        """OIDC login initiation, the platform's auth step and the signed launch posted to the tool."""
        from independent_platform import launch_form, login_url
        from lms_fixtures import TOOL, tool_client

        client = tool_client(self.app)
        start = login_url(self.platform, user=user)
        redirect = client.get(start[len(TOOL):])
        assert redirect.status_code == 302, redirect.get_data(as_text=True)
        form = launch_form(self.platform, redirect.headers["Location"], user=user, roles=roles, **claims)
        self.last_id_token = form["id_token"]
        return client, client.post("/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})

    def deep_link(self, instructor: str, context: str, title: str, key: str, *, verbose: bool) -> dict[str, Any]:
        """An instructor's LtiDeepLinkingRequest; picks ``key``; the platform verifies the answer."""
        import jwt
        from independent_platform import ISSUER
        from lms_fixtures import TOOL
        from lms_standin import form_fields

        self.out(f"  platform -> tool: LtiDeepLinkingRequest from {instructor!r} (Instructor) in context {context!r}")
        client, picker = self.launch(instructor, [M + "Instructor"], context=context, context_title=title,
                                     deep_link=ISSUER + "/deep-link-return")
        if verbose:
            self.show("the platform's signed id_token (claims of interest)", self.last_id_token, keep=(
                "iss", "aud", "sub", LTI + "message_type", LTI + "deployment_id", LTI + "context", LTI + "roles",
                DL + "deep_linking_settings"))
        self.expect(picker.status_code == 200, f"the tool shows its assignment picker (HTTP {picker.status_code})")
        offered = re.findall(r'<input[^>]*name="assignment"[^>]*value="([^"]+)"', picker.get_data(as_text=True))
        self.out(f"  instructor picks {key!r} (offered: {', '.join(offered) or 'see page'})")
        answer = client.post("/lti/deep-link", data={
            "request": form_fields(picker.get_data(as_text=True))["request"], "assignment": key})
        html = answer.get_data(as_text=True)
        (action,) = re.findall(r'<form id="lti-return" method="post" action="([^"]+)"', html)
        token = form_fields(html)["JWT"]
        header = jwt.get_unverified_header(token)
        self.out(f"  tool -> platform: auto-submitted form to {action}, field JWT ({len(token)} chars)")
        if verbose:
            self.show("the tool's LtiDeepLinkingResponse JWT, decoded", token)
        (item,) = self.platform.validate_deeplinking_resp({"JWT": token})  # the library's signature and claim checks
        self.out("  platform (lti1p3platform.validate_deeplinking_resp, tool JWKS): signature and claims valid")
        self.out(f"    content item: type={item['type']} url={item['url']} title={item['title']!r}")
        self.out(f"    lineItem: {json.dumps(item['lineItem'], sort_keys=True)}  custom: {json.dumps(item.get('custom'))}")
        self.expect(item["type"] == "ltiResourceLink" and item["url"] == TOOL + "/lti/launch"
                    and item["lineItem"] == {"scoreMaximum": 3.0, "label": item["title"], "resourceId": key}
                    and item.get("custom") == {"assignment": key},
                    f"an ltiResourceLink to the tool's launch URL with lineItem{{scoreMaximum 3, label, resourceId {key}}}")
        self.expect(action == ISSUER + "/deep-link-return" and header.get("kid") in self.tool_kids,
                    f"returned to the platform's deep_link_return_url, signed with the tool's key {header.get('kid')}")
        return dict(item)

    def show(self, title: str, token: str, keep: tuple[str, ...] = ()) -> None:
        """A JWT's header and claims (``keep``: only those), claim URIs shortened."""
        import jwt

        claims = jwt.decode(token, options={"verify_signature": False})
        shown = {k.replace(DL, "dl:").replace(LTI, "lti:"): v for k, v in claims.items() if not keep or k in keep}
        self.out(f"    {title}: header {json.dumps(jwt.get_unverified_header(token))}")
        for line in json.dumps(shown, indent=2, sort_keys=True).splitlines():
            self.out(f"      {line}")

    def create_link(self, context: str, link: str, item: dict[str, Any]) -> str:
        """What the LMS does with the content item: a resource link and its gradebook column."""
        url = f"{self.svc.url}/{context}/lineitems/1/lineitem"
        self.svc.lineitems[url] = {"id": url, **item["lineItem"], "resourceLinkId": link}
        self.out(f"  platform creates resource link {link!r} in {context!r} and its line item {url}")
        return url

    def student(self, sub: str, context: str, link: str, lineitem: str, item: dict[str, Any], answers: str) -> None:
        """A student launches the link, opens the assignment page and submits through the tool."""
        from lms_fixtures import checked

        client, response = self.launch(sub, [M + "Learner"], context=context, resource_link=link,
                                       custom=item.get("custom") or {}, ags=lineitem,
                                       lineitems=lineitem.rsplit("/", 2)[0])
        landing = checked(client, response)
        page = client.get(landing.headers["Location"])
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
        key = (item.get("custom") or {}).get("assignment", "")
        submitted = client.post(f"/api/v1/assignments/{key}/submissions", json={"answers": ANSWERS[answers]},
                                headers={"X-CSRF-Token": csrf.group(1) if csrf else ""})
        self.out(f"  {sub!r} launches {link!r} in {context!r} (AGS lineitem {lineitem}) -> "
                 f"{page.status_code} {landing.headers['Location']}; submits -> HTTP {submitted.status_code}")
        self.expect(page.status_code == 200 and submitted.status_code == 202, f"{sub} is in and submitted")


def _world(factory: Any) -> Any:
    """Course c1 with hw1 and its instructor (who registers the platform); returns their token."""
    from grader.db.models import Course, Enrollment, User
    from grader.services.auth import issue_token
    from tests.integration.conftest import add_assignment

    with factory() as db:
        course = Course(key="c1", title="Calculus A", is_default=True)
        teacher = User(email="teacher@example.com", display_name="Teacher")
        db.add_all([course, teacher, Enrollment(user=teacher, course=course, role="instructor")])
        add_assignment(db, course)
        token = issue_token(db, teacher)
        db.commit()
    return token


def _grade_and_post(demo: Demo, queue: Any, settings: Any) -> None:
    """Run the queued grading, then the score posts it queued (what the Celery tasks do)."""
    from grader.db.session import session_scope
    from grader.lms_protocol.ags import TokenCache
    from grader.security.egress import EgressPolicy
    from grader.security.egress_http import guarded_session
    from grader.services.grading import grade_submission_by_id
    from grader.services.lms import outbox

    for submission_id in list(queue.grading):
        graded = grade_submission_by_id(demo.factory, submission_id, settings=settings, queue=queue)
        demo.out(f"  grading submission {submission_id}: {'graded' if graded else 'NOT graded'}")
    cache = TokenCache()
    with guarded_session(EgressPolicy(allowed_hosts=settings.webhook_allowed_hosts)) as http:
        for post_id in list(queue.score_posts):
            with session_scope(demo.factory) as session:
                result = outbox.post_score(session, post_id, http=http, cache=cache, schedule=(0,) * 7)
            demo.out(f"  score post {post_id}: {result[0].value if result else 'not due'}")


def run(out: Callable[[str], None] = print) -> int:
    """The whole demonstration; 0 when every expectation held."""
    from sqlalchemy.orm import sessionmaker

    from grader.app import create_app
    from grader.config import Settings
    from grader.db import make_engine
    from grader.services.lms.tool_keys import public_jwks
    from grader.services.provisioning import migrate
    from independent_platform import AUTH_URL, ISSUER, Platform, ServiceEndpoints, public_pem
    from lms_fixtures import TOOL
    from lms_standin import new_rsa_pem
    from tests.integration.conftest import create_database, drop_database
    from tests.support.fakes import FakeQueue

    url = create_database("grader_lti_demo")
    engine = make_engine(url)
    try:
        migrate(url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        settings = Settings.from_env({}, database_url=url, secret_key="demo-secret", testing=True
                                     ).replace(webhook_allowed_hosts=("127.0.0.1",))
        queue = FakeQueue()
        app = create_app(settings, session_factory=factory, queue=queue)
        token = _world(factory)
        with factory() as db:
            tool_jwks = public_jwks(db)
            db.commit()
        private = new_rsa_pem()
        platform = Platform(tool=TOOL, private_pem=private, tool_jwks=tool_jwks)
        with ServiceEndpoints(platform) as svc:
            demo = Demo(app, factory, platform, svc, out)
            return _story(demo, token, queue, settings, ISSUER, AUTH_URL, public_pem(private))
    finally:
        engine.dispose()
        drop_database(url)


def _story(demo: Demo, token: str, queue: Any, settings: Any, issuer: str, auth_url: str, public_key: str) -> int:
    from grader.db.models import Course
    from grader.db.models.lms import LtiContext, ScorePost
    from tests.integration.conftest import ASSIGNMENT_YAML
    from tests.support.db import add_assignment

    out, api = demo.out, demo.app.test_client()
    teacher = {"Authorization": f"Bearer {token}"}
    out("== Setup: one registration, one deployment, two LMS courses ==")
    registered = api.post("/api/v1/lms/courses/c1/lti-platforms", headers=teacher, json={
        "issuer": issuer, "client_id": "indep-client", "deployment_id": "indep-dep", "auth_login_url": auth_url,
        "token_url": demo.svc.url + "/token", "public_key_pem": public_key})
    out(f"  registered issuer={issuer} client_id=indep-client deployment=indep-dep "
        f"token_url={demo.svc.url}/token -> HTTP {registered.status_code}")
    linked = api.post("/api/v1/lms/courses/c1/lti-contexts", headers=teacher, json={
        "platform_id": registered.get_json()["id"], "deployment_id": "indep-dep", "context_id": "ctx-1"})
    out(f"  context 'ctx-1' (LMS course Calculus A) linked to tool course c1 -> HTTP {linked.status_code}")
    _, first = demo.launch("prof-2", [M + "Instructor"], context="ctx-2", context_title="Calculus B",
                           resource_link="ctx-2-tool-home")
    if first.status_code != 303:
        demo.expect(False, f"the first instructor launch from ctx-2: {first.status_code} {first.get_data(as_text=True)}")
        return 1
    with demo.factory() as db:
        course_2 = db.get(Course, db.query(LtiContext).filter_by(context_id="ctx-2").one().course_id)
        add_assignment(db, course_2, ASSIGNMENT_YAML.replace("id: hw1", "id: hw1b").replace(
            "title: Logistic derivatives", "title: Logistic derivatives (B)"))
        db.commit()
        key_2 = course_2.key
    out(f"  context 'ctx-2' (LMS course Calculus B): first instructor launch -> HTTP {first.status_code}, "
        f"made tool course {key_2!r}; its assignment hw1b loaded")
    demo.expect(registered.status_code == 201 and linked.status_code == 201 and first.status_code == 303,
                "one registration, two contexts mapped to two tool courses")

    out("\n== (a) Deep Linking round trip (context ctx-1) ==")
    item_1 = demo.deep_link("prof-1", "ctx-1", "Calculus A", "hw1", verbose=True)
    out("\n== (a') the same in context ctx-2, under the same client id ==")
    item_2 = demo.deep_link("prof-2", "ctx-2", "Calculus B", "hw1b", verbose=False)

    out("\n== (b) Two links in two contexts, one client id: launches, submissions, grading ==")
    line_1 = demo.create_link("ctx-1", "link-A", item_1)
    line_2 = demo.create_link("ctx-2", "link-B", item_2)
    demo.student("stu-1", "ctx-1", "link-A", line_1, item_1, "right")
    demo.student("stu-2", "ctx-2", "link-B", line_2, item_2, "half")
    _grade_and_post(demo, queue, settings)

    out("\n== Score POSTs the platform received (bearer token checked by lti1p3platform) ==")
    for path, score in demo.svc.scores:
        out(f"  POST {demo.svc.url}{path}")
        out(f"    userId={score['userId']} scoreGiven={score['scoreGiven']} scoreMaximum={score['scoreMaximum']} "
            f"activityProgress={score.get('activityProgress')} gradingProgress={score.get('gradingProgress')}")
    got = sorted((demo.svc.url + path, s["userId"], s["scoreGiven"], s["scoreMaximum"]) for path, s in demo.svc.scores)
    demo.expect(got == sorted([(line_1 + "/scores", "stu-1", 3.0, 3.0), (line_2 + "/scores", "stu-2", 2.0, 3.0)]),
                "stu-1's 3/3 went to link-A's line item only, stu-2's 2/3 to link-B's only, nothing else was posted")
    demo.expect(demo.svc.refused == [], f"the platform refused nothing ({demo.svc.refused})")
    out("\n== The tool's own record (its score post outbox) ==")
    with demo.factory() as db:
        for row in db.query(ScorePost).order_by(ScorePost.id):
            out(f"  score post {row.id}: {row.payload['userId']} {row.payload['scoreGiven']}/"
                f"{row.payload['scoreMaximum']} -> {row.lineitem_url} [{row.status}]")
    out(f"\n{'ALL EXPECTATIONS MET' if not demo.failures else 'FAILED: ' + '; '.join(demo.failures)}")
    return 0 if not demo.failures else 1


def main() -> int:
    return run()


if __name__ == "__main__":
    sys.exit(main())
