"""Issue 14, problem 5: an LtiDeepLinkingRequest answered 400 and admins typed
``assignment=<key>`` as a custom parameter. Now the instructor picks an assignment in the tool,
which answers with a signed LtiResourceLink content item carrying a lineItem; the stand-in
platform verifies it as a platform would, creates the link, and scores reach its line item."""

from __future__ import annotations

import json
import re

import pytest
import requests

from lms_fixtures import AGS, SCORE_SCOPE, TOOL, add_platform, graded_submission, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import DL, LTI, form_fields  # type: ignore[import-not-found]
from grader.db.models.lms import LtiUserLink
from grader.lms_protocol.ags import TokenCache
from grader.lms_protocol.webhooks import Outcome
from grader.services.lms import notify, outbox
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {}
    return tool_client(create_app(settings, session_factory=db_factory, queue=queue,
                                  blueprints=[("grader.api", True), ("grader.web.lms", True)]))


def _pick(client, lms) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """An instructor's deep linking launch and choice of hw1; the return page's action and fields."""
    picker = launch(client, lms, **{LTI + "roles": INSTRUCTOR}, **lms.deep_linking_claims())
    assert picker.status_code == 200, picker.get_data(as_text=True)
    page = picker.get_data(as_text=True)
    assert "Logistic derivatives" in page and "3 points" in page
    fields = form_fields(page)
    answer = client.post("/lti/deep-link", data={"request": fields["request"], "assignment": "hw1"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    html = answer.get_data(as_text=True)
    assert "<script>" not in html and 'src="/lti/assets/lti_autosubmit.js"' in html  # no inline script (CSP)
    (action,) = re.findall(r'<form id="lti-return" method="post" action="([^"]+)"', html)
    return action, form_fields(html)


def test_deep_linking_round_trip_creates_a_graded_link(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    action, fields = _pick(client, lms)
    assert action == lms.url + "/deep-link-return"
    lms.tool_jwks = public_jwks(world.session)
    posted = requests.post(action, data=fields, timeout=5)  # what the auto-submitted form does
    assert posted.status_code == 200, posted.text
    (response,) = lms.deep_link_responses
    (item,) = response[DL + "content_items"]
    assert item == {"type": "ltiResourceLink", "title": "Logistic derivatives", "url": TOOL + "/lti/launch",
                    "custom": {"assignment": "hw1"},
                    "lineItem": {"scoreMaximum": 3.0, "label": "Logistic derivatives", "resourceId": "hw1"}}
    print("\nDEEP LINKING response (verified by the platform):",
          json.dumps({k.rsplit("/", 1)[-1]: v for k, v in response.items() if k not in ("iat", "exp", "nonce")},
                     indent=1))
    # the platform creates the link and its line item (n=5); a student launches it and is graded
    claims = {LTI + "resource_link": {"id": "dl-link-1"}, LTI + "custom": item["custom"],
              AGS: {"lineitem": lms.lineitem(5), "scope": [SCORE_SCOPE]}}
    assert launch(tool_client(client.application), lms, sub="stu-dl", **claims).status_code == 303
    world.users["stu-dl"] = world.session.query(LtiUserLink).filter_by(sub="stu-dl").one().user
    _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world, "stu-dl").id, regrade=False)
    world.session.commit()
    assert outbox.post_score(world.session, post_id, http=requests.Session(), cache=TokenCache(),
                             schedule=(0,) * 7)[0] is Outcome.DELIVERED
    (score,) = lms.of("score")
    assert score.path == "/lineitems/5/lineitem/scores" and score.json()["userId"] == "stu-dl"
    print("SCORE of the deep-linked link:", score.path, score.body.decode())


def test_a_student_cannot_deep_link(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    response = launch(client, lms, **lms.deep_linking_claims())
    assert response.status_code == 403 and "instructors" in response.get_data(as_text=True)


def test_a_forged_or_foreign_pick_is_refused(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    picker = launch(client, lms, **{LTI + "roles": INSTRUCTOR}, **lms.deep_linking_claims())
    token = form_fields(picker.get_data(as_text=True))["request"]
    assert client.post("/lti/deep-link", data={"request": token[:-2] + "xx", "assignment": "hw1"}).status_code == 400
    other = client.post("/lti/deep-link", data={"request": token, "assignment": "not-of-this-course"})
    assert other.status_code == 422


def test_a_platform_that_does_not_take_resource_links_gets_an_explanation(client, lms, world) -> None:  # type: ignore[no-untyped-def]
    claims = lms.deep_linking_claims()
    claims[DL + "deep_linking_settings"]["accept_types"] = ["file"]
    response = launch(client, lms, **{LTI + "roles": INSTRUCTOR}, **claims)
    assert response.status_code == 400 and "does not accept LTI resource links" in response.get_data(as_text=True)


def test_the_auto_submit_script_is_a_static_file(client) -> None:  # type: ignore[no-untyped-def]
    with client.get("/lti/assets/lti_autosubmit.js") as script:  # closes the file it streams
        assert script.status_code == 200 and "lti-return" in script.get_data(as_text=True)
