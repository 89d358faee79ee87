"""Issue 12, finding 1, written as the attack: an instructor of one course registers an LTI
platform of their own for it, forges a launch claiming ``email=newta@x.org``, and waits for an
administrator to run ``grader admin create-user newta@x.org --role instructor --course intro-ml``.
The forger's session must gain nothing in intro-ml."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests
from flask.testing import FlaskClient

from lms_standin import LTI, form_fields  # type: ignore[import-not-found]
from grader.cli import main
from grader.db.models.lms import LtiPlatform, LtiUserLink
from grader.db.models import Course, Enrollment, User
from grader.services.auth import issue_token

pytestmark = pytest.mark.integration
TOOL = "https://tool.test"


class HttpsClient(FlaskClient):
    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", TOOL)
        return super().open(*args, **kwargs)


@pytest.fixture
def forger(settings, committed_factory, queue, lms, make_assignment, pg_url,  # type: ignore[no-untyped-def]
           monkeypatch) -> Iterator[FlaskClient]:
    """Course ``forge`` taught by mallory, with the stand-in registered as its platform (mallory
    holds its key); an empty course intro-ml; the CLI aimed at the same database."""
    from grader.app import create_app

    with committed_factory() as db:
        forge, intro = Course(key="forge", title="Forge"), Course(key="intro-ml", title="Intro ML")
        mallory = User(email="mallory@example.com")
        db.add_all([forge, intro, mallory, Enrollment(user=mallory, course=forge, role="instructor")])
        make_assignment(db, forge)
        issue_token(db, mallory)
        db.flush()
        db.add(LtiPlatform(course_id=forge.id, issuer=lms.issuer, client_id=lms.client_id,
                           deployment_id=lms.deployment_id, auth_login_url=lms.auth_url, token_url=lms.token_url,
                           jwks_url=lms.jwks_url))
        db.commit()
    lms.tool_redirect_uri = TOOL + "/lti/launch"
    monkeypatch.setenv("DATABASE_URL", pg_url)
    app = create_app(settings, session_factory=committed_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    app.test_client_class = HttpsClient
    yield app.test_client()


def _launch(client: FlaskClient, lms: Any) -> None:
    response = client.get("/lti/login", query_string=lms.login_params())
    location = response.headers["Location"]
    form = form_fields(requests.get(location, timeout=5).text)
    assert client.post("/lti/launch", data=form).status_code == 303


def test_a_forged_launch_email_never_becomes_an_instructor_elsewhere(forger, lms, committed_factory,  # type: ignore[no-untyped-def]
                                                                     capsys) -> None:
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}, "email": "NewTA@x.org",
                         LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}
    _launch(forger, lms)
    me = forger.get("/api/v1/me").get_json()
    assert me["email"].endswith("@lti.invalid")  # the claimed address was not given to the account
    assert [c["id"] for c in me["courses"]] == ["forge"]

    assert main(["admin", "create-user", "newta@x.org", "--role", "instructor", "--course", "intro-ml"]) == 0
    capsys.readouterr()

    me = forger.get("/api/v1/me").get_json()
    assert [c["id"] for c in me["courses"]] == ["forge"]  # nothing in intro-ml
    assert forger.get("/api/v1/assignments").status_code == 200
    with committed_factory() as db:
        link = db.query(LtiUserLink).filter_by(sub="lms-user-1").one()
        newta = db.query(User).filter_by(email="newta@x.org").one()
        assert link.user_id != newta.id
        assert [(e.course.key, e.role) for e in newta.enrollments] == [("intro-ml", "instructor")]
        intro = db.query(Course).filter_by(key="intro-ml").one()
        assert [e.user_id for e in db.query(Enrollment).filter_by(course_id=intro.id)] == [newta.id]


def test_create_user_refuses_an_existing_address_unless_told(forger, lms, committed_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["admin", "create-user", "Mallory@Example.com", "--role", "instructor",
                 "--course", "intro-ml"]) == 1
    err = capsys.readouterr().err
    assert "mallory@example.com already has an account" in err and "instructor in forge" in err
    assert "--existing" in err
    with committed_factory() as db:
        mallory = db.query(User).filter_by(email="mallory@example.com").one()
        assert [e.course.key for e in mallory.enrollments] == ["forge"]  # nothing changed

    assert main(["admin", "create-user", "mallory@example.com", "--role", "student", "--course", "intro-ml",
                 "--existing"]) == 0
    out = capsys.readouterr().out
    assert f"changing existing account #{mallory.id} mallory@example.com" in out
    assert "roles instructor in forge -> instructor in forge, student in intro-ml" in out


def test_a_deactivated_account_cannot_launch(forger, lms, committed_factory) -> None:  # type: ignore[no-untyped-def]
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    _launch(forger, lms)
    with committed_factory() as db:
        link = db.query(LtiUserLink).filter_by(sub="lms-user-1").one()
        db.get(User, link.user_id).is_active = False
        db.commit()
    assert forger.get("/api/v1/me").status_code == 401  # the session from the first launch ends too
    response = forger.get("/lti/login", query_string=lms.login_params())
    form = form_fields(requests.get(response.headers["Location"], timeout=5).text)
    refused = forger.post("/lti/launch", data=form)
    assert refused.status_code == 403 and "deactivated" in refused.get_data(as_text=True)
    assert forger.get("/api/v1/me").status_code == 401
