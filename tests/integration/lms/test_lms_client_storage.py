"""Issue 14, problem 3, the missing part: with every cookie blocked (not even a partitioned one
kept) an iframe launch could not complete. A platform that offers the 1EdTech client-side storage
frame (``lti_storage_target``) now keeps state and nonce; these tests play the browser's part
(what the pages' script puts into and gets from the frame) and check the server's side."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from lms_fixtures import add_platform, checked, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI, form_fields  # type: ignore[import-not-found]

pytestmark = pytest.mark.integration
TOOL = "https://tool.test"


@pytest.fixture
def client(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    lms.tool_redirect_uri = TOOL + "/lti/launch"
    return tool_client(create_app(settings, session_factory=db_factory, queue=queue,
                                  blueprints=[("grader.api", True), ("grader.web.lms", True)]))


def _data(html: str) -> dict[str, str]:
    """The storage page's data-* attributes (what its script reads)."""
    box = re.search(r'<div id="lti-storage"(.*?)></div>', html, re.S)
    assert box is not None, html
    return {k: unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', box.group(1))}


def _storage_login(client: Any, lms: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Login with a storage target: (the login page's data, the form the platform posts back)."""
    login = client.get("/lti/login", query_string={**lms.login_params(), "lti_storage_target": "_parent"})
    assert login.status_code == 200 and login.mimetype == "text/html", login.get_data(as_text=True)
    page = _data(login.get_data(as_text=True))
    form = form_fields(requests.get(page["next"], timeout=5).text)
    return page, form


def test_a_storage_login_page_puts_state_and_nonce_for_the_platform_origin(client, lms) -> None:  # type: ignore[no-untyped-def]
    page, form = _storage_login(client, lms)
    query = parse_qs(urlsplit(page["next"]).query)
    assert page["mode"] == "login" and page["target"] == "_parent"
    assert page["origin"] == lms.url  # the OIDC auth endpoint's origin
    assert page["state"] == query["state"][0] == form["state"] and page["nonce"] == query["nonce"][0]
    assert page["state-key"] == "state_" + page["state"] and page["nonce-key"] == "nonce_" + page["nonce"]
    from grader.web.lms import STORAGE_TIMEOUT_MS

    assert page["timeout-ms"] == str(STORAGE_TIMEOUT_MS)  # the frame's answer is awaited that long, no longer
    assert "<script>" not in client.get("/lti/login", query_string={
        **lms.login_params(), "lti_storage_target": "_parent"}).get_data(as_text=True)  # no inline script


def test_a_launch_without_cookies_completes_with_what_the_frame_kept(client, lms) -> None:  # type: ignore[no-untyped-def]
    page, form = _storage_login(client, lms)
    blocked = tool_client(client.application)  # a browser that keeps no cookie at all
    launch_page = blocked.post("/lti/launch", data=form)
    assert launch_page.status_code == 200, launch_page.get_data(as_text=True)
    asked = _data(launch_page.get_data(as_text=True))
    assert asked["mode"] == "launch" and asked["state-key"] == page["state-key"]
    assert asked["nonce-key"] == page["nonce-key"]  # named from the id_token's nonce
    posted = form_fields(launch_page.get_data(as_text=True))
    posted.update(frame_state=page["state"], frame_nonce=page["nonce"])  # what the frame gave back
    done = blocked.post("/lti/launch/storage", data=posted)
    landed = checked(blocked, done)  # the test client kept the session cookie: on to the landing
    assert landed.status_code == 303 and landed.headers["Location"].endswith("/api/v1/assignments/hw1")
    again = tool_client(client.application).post("/lti/launch/storage", data=posted)
    assert again.status_code == 401  # single use
    replayed = tool_client(client.application).post("/lti/launch", data=form)
    assert replayed.status_code == 401 and "Open the activity in a new window" in replayed.get_data(as_text=True)


@pytest.mark.parametrize("change", ["frame_state", "frame_nonce", "state"])
def test_a_storage_launch_is_refused_when_the_frame_does_not_agree(client, lms, change) -> None:  # type: ignore[no-untyped-def]
    page, form = _storage_login(client, lms)
    blocked = tool_client(client.application)
    posted = form_fields(blocked.post("/lti/launch", data=form).get_data(as_text=True))
    posted.update(frame_state=page["state"], frame_nonce=page["nonce"])
    posted[change] = posted[change][:-2] + "xx"
    refused = blocked.post("/lti/launch/storage", data=posted)
    assert refused.status_code == 401 and "did not work" in refused.get_data(as_text=True)


def test_a_state_the_tool_did_not_sign_gets_no_storage_page(client, lms) -> None:  # type: ignore[no-untyped-def]
    """A cookie login's (unsigned) state, or a forged one, is never served by the frame path."""
    login = client.get("/lti/login", query_string=lms.login_params())  # no storage target: the cookie
    assert login.status_code == 302
    form = form_fields(requests.get(login.headers["Location"], timeout=5).text)
    blocked = tool_client(client.application)
    response = blocked.post("/lti/launch", data=form)
    assert response.status_code == 401 and "Open the activity in a new window" in response.get_data(as_text=True)
    forged = blocked.post("/lti/launch/storage", data={**form, "frame_state": form["state"], "frame_nonce": "n"})
    assert forged.status_code == 401


def test_a_bad_storage_target_falls_back_to_the_cookie(client, lms) -> None:  # type: ignore[no-untyped-def]
    login = client.get("/lti/login", query_string={**lms.login_params(), "lti_storage_target": "a b<script>"})
    assert login.status_code == 302 and any(c.startswith("lti_state_") for c in login.headers.getlist("Set-Cookie"))


def test_a_storage_launch_with_the_cookie_kept_needs_no_frame(client, lms) -> None:  # type: ignore[no-untyped-def]
    _page, form = _storage_login(client, lms)
    response = client.post("/lti/launch", data=form)  # the same client: the partitioned cookie came back
    assert response.status_code == 303


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.test"}, {"Sec-Fetch-Site": "cross-site"}])
def test_a_storage_launch_posted_from_another_site_is_refused(client, lms, headers) -> None:  # type: ignore[no-untyped-def]
    """Another site's form with its own (valid) state, frame values and id_token would log the
    browser in as that site's user: only the tool's own page may post the frame's values."""
    page, form = _storage_login(client, lms)
    blocked = tool_client(client.application)
    posted = form_fields(blocked.post("/lti/launch", data=form).get_data(as_text=True))
    posted.update(frame_state=page["state"], frame_nonce=page["nonce"])
    assert blocked.post("/lti/launch/storage", data=posted, headers=headers).status_code == 403
    same = blocked.post("/lti/launch/storage", data=posted, headers={"Origin": TOOL, "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 303
