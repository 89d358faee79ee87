"""Issue 14, problem 3, the last fallback: after a launch in a browser that keeps no cookie in the
LMS iframe (no third-party and no partitioned cookie) every page after the launch bounced the
student to the login page. The launch now goes through a cookie check; without the cookie the
iframe offers a one-time continuation URL for a new window, which logs the launch's user in there.
The token is single use, expires, and is stored only as a hash.

Review of the continuation (login CSRF): the URL itself logged the browser in, so an attacker's own
launch's link, sent to a victim, signed the victim's browser in as the attacker. Now the URL shows
"continue as <user>?" and only its form (with a nonce kept in that browser's session) logs in."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest

from lms_fixtures import TOOL, add_platform, checked, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]

from grader.config import Settings
from grader.db.base import utcnow
from grader.db.models.lti_continuation import LtiContinuation

pytestmark = pytest.mark.integration
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


@pytest.fixture
def app(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    add_platform(world, lms, lineitem=False, link_users=())
    world.session.commit()
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    return create_app(settings.replace(lti_continuation_ttl_s=120), session_factory=db_factory, queue=queue)


def _cookieless_launch(app: Any, lms: Any, **claims: Any) -> tuple[Any, str]:
    """A launch whose session cookie the iframe did not keep: the check page (no cookie sent) and
    the continuation URL it offers."""
    iframe = tool_client(app)
    finished = launch(iframe, lms, **claims)
    assert finished.status_code == 303 and finished.headers["Location"].startswith("/lti/launch/check?t=")
    assert any(c.startswith("session=") for c in finished.headers.getlist("Set-Cookie"))  # set, but not kept:
    page = tool_client(app).get(finished.headers["Location"])  # ... the check arrives without it
    match = re.search(r'id="lti-open-new-window" href="([^"]+)" target="_blank"', page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)
    return page, unescape(match.group(1))


def _nonce(confirmation: Any) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', confirmation.get_data(as_text=True))
    assert match, confirmation.get_data(as_text=True)
    return match.group(1)


def _continue(window: Any, url: str) -> Any:
    """Open the continuation URL in ``window`` and press its Continue button; the button's answer."""
    confirmation = window.get(url)
    assert confirmation.status_code == 200, confirmation.get_data(as_text=True)
    return window.post("/lti/continue", data={"t": url.split("t=", 1)[1], "csrf_token": _nonce(confirmation)})


def _spent(world: Any) -> bool:
    world.session.expire_all()
    return world.session.query(LtiContinuation).one().used_at is not None


def test_without_the_cookie_the_iframe_offers_a_new_window_that_logs_the_student_in(app, lms) -> None:  # type: ignore[no-untyped-def]
    page, url = _cookieless_launch(app, lms, sub="stu-new-window", name="New Window")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your browser blocks cookies inside 127.0.0.1" in text  # the LMS, named by its issuer's host
    assert "open the grader in a new window" in text.lower() and "2 minutes" in text  # the TTL, 120 s
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    assert url.startswith("/lti/continue?t=")
    window = tool_client(app)  # a new top-level window: first party, keeps the cookie
    assert window.get("/assignments/hw1").status_code in (302, 303)  # not logged in before
    resumed = _continue(window, url)
    assert resumed.status_code == 303 and resumed.headers["Location"] == "/assignments/hw1"
    assert window.get("/assignments/hw1").status_code == 200  # logged in: the student's form
    assert "New Window" in window.get("/api/v1/me").get_data(as_text=True)


def test_opening_the_continuation_url_neither_signs_in_nor_spends_the_token(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    """The failure: GET /lti/continue?t= logged the browser in as the token's user (an attacker's
    link, sent to a victim, signed the victim in as the attacker). Now it only asks."""
    _page, url = _cookieless_launch(app, lms, sub="stu-asked", name="Asked Student")
    victim = tool_client(app)
    for _ in range(2):  # opening it again changes nothing either
        asked = victim.get(url)
        text = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "Continue as Asked Student?" in text
        assert "in “" in text and 'id="lti-continue-other"' not in text  # the place; nobody signed in before
        assert asked.headers["Referrer-Policy"] == "no-referrer" and asked.headers["Cache-Control"] == "no-store"
    assert victim.get("/api/v1/me").status_code == 401 and victim.get("/assignments/hw1").status_code in (302, 303)
    assert not _spent(world)


def test_the_confirmation_says_when_this_browser_is_signed_in_as_someone_else(app, lms) -> None:  # type: ignore[no-untyped-def]
    victim = tool_client(app)
    checked(victim, launch(victim, lms, sub="stu-victim", name="The Victim"))  # the victim's own session
    _page, url = _cookieless_launch(app, lms, sub="stu-attacker", name="The Attacker")
    asked = victim.get(url)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Continue as The Attacker" in text
    assert 'id="lti-continue-other"' in text and "This browser is signed in as The Victim" in text
    assert victim.get("/api/v1/me").get_json()["name"] == "The Victim"  # still the victim


def test_a_post_without_the_pages_nonce_is_refused_and_spends_nothing(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    """Another site's auto-submitting form cannot know the nonce kept in this browser's session."""
    _page, url = _cookieless_launch(app, lms, sub="stu-csrf")
    token = url.split("t=", 1)[1]
    attacked = tool_client(app)
    assert attacked.post("/lti/continue", data={"t": token}).status_code == 403  # no nonce at all
    assert attacked.post("/lti/continue", data={"t": token, "csrf_token": "x" * 43}).status_code == 403
    nonce = _nonce(attacked.get(url))  # the page was opened: a nonce in the session, but a wrong one sent
    refused = attacked.post("/lti/continue", data={"t": token, "csrf_token": nonce[::-1]})
    assert refused.status_code == 403 and "did not come from this site" in refused.get_data(as_text=True)
    assert attacked.get("/api/v1/me").status_code == 401 and not _spent(world)
    assert attacked.post("/lti/continue", data={"t": token, "csrf_token": nonce}).status_code == 303
    assert _spent(world)


def test_the_form_refuses_an_unknown_or_used_token(app, lms) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="stu-form")
    window = tool_client(app)
    nonce = _nonce(window.get(url))
    assert window.post("/lti/continue", data={"t": "nope", "csrf_token": nonce}).status_code == 404
    assert window.post("/lti/continue", data={"t": url.split("t=", 1)[1], "csrf_token": nonce}).status_code == 303
    other = tool_client(app)
    with other.session_transaction(base_url=TOOL) as cookie:
        cookie["csrf_token"] = nonce
    again = other.post("/lti/continue", data={"t": url.split("t=", 1)[1], "csrf_token": nonce})
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)


def test_the_instructor_continues_to_the_dashboard(app, lms) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="prof-new-window", **{LTI + "roles": INSTRUCTOR})
    window = tool_client(app)
    resumed = _continue(window, url)
    assert resumed.status_code == 303 and resumed.headers["Location"] == "/instructor/assignments/hw1"
    assert window.get("/instructor/assignments/hw1").status_code == 200


def test_a_continuation_url_works_once(app, lms) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="stu-once")
    assert _continue(tool_client(app), url).status_code == 303
    replayed = tool_client(app).get(url)  # another browser given the link (or the same one, again)
    assert replayed.status_code == 410 and "already been used" in replayed.get_data(as_text=True)
    assert "session=" not in replayed.headers.get("Set-Cookie", "")  # nobody logged in
    check_again = tool_client(app).get(url.replace("/lti/continue?", "/lti/launch/check?"))
    assert check_again.status_code == 410  # the check page cannot hand it out again either


def test_an_expired_continuation_url_is_refused(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="stu-late")
    row = world.session.query(LtiContinuation).one()
    assert row.expires_at - row.created_at == timedelta(seconds=120)  # LTI_CONTINUATION_TTL_S
    row.expires_at = utcnow() - timedelta(seconds=1)  # the student came back after the TTL
    world.session.commit()
    late = tool_client(app).get(url)
    assert late.status_code == 410 and "expired" in late.get_data(as_text=True)
    assert tool_client(app).get(url, headers={"Accept": "application/json"}).json == {
        "error": "This link has expired. Go back to the LMS and open the activity again."}


def test_an_unknown_or_altered_token_is_refused(app, lms) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="stu-forge")
    for bad in (url[:-2] + ("AA" if not url.endswith("AA") else "BB"), "/lti/continue", "/lti/continue?t="):
        response = tool_client(app).get(bad)
        assert response.status_code == 404 and "not valid" in response.get_data(as_text=True), bad
    assert tool_client(app).get("/lti/launch/check?t=nope").status_code == 404
    assert _continue(tool_client(app), url).status_code == 303  # the real one still works


def test_only_the_tokens_hash_is_stored(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    _page, url = _cookieless_launch(app, lms, sub="stu-hash")
    token = url.split("t=", 1)[1]
    (row,) = world.session.query(LtiContinuation).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash


def test_when_the_cookie_comes_back_the_check_goes_on_and_spends_the_token(app, lms) -> None:  # type: ignore[no-untyped-def]
    iframe = tool_client(app)  # keeps the cookie (a browser that allows partitioned cookies)
    finished = launch(iframe, lms, sub="stu-cookie")
    check_url = finished.headers["Location"]
    on = checked(iframe, finished)
    assert on.status_code == 303 and on.headers["Location"] == "/assignments/hw1"
    # the token cannot log anybody in elsewhere afterwards
    assert tool_client(app).get(check_url.replace("/lti/launch/check?", "/lti/continue?")).status_code == 410


def test_reloading_the_check_in_the_signed_in_browser_goes_on_to_the_landing(app, lms) -> None:  # type: ignore[no-untyped-def]
    """The failure: a reload of the spent check URL answered 410 although this browser holds the
    launch user's session."""
    iframe = tool_client(app)
    finished = launch(iframe, lms, sub="stu-reload")
    assert checked(iframe, finished).status_code == 303
    reloaded = iframe.get(finished.headers["Location"])
    assert reloaded.status_code == 303 and reloaded.headers["Location"] == "/assignments/hw1"
    assert tool_client(app).get(finished.headers["Location"]).status_code == 410  # not in another browser
    other = tool_client(app)
    checked(other, launch(other, lms, sub="stu-not-reload"))
    assert other.get(finished.headers["Location"]).status_code == 410  # nor as another user


def test_the_check_is_bound_to_the_launchs_user(app, lms) -> None:  # type: ignore[no-untyped-def]
    """A cookie of another user (an older login in the frame) is not the launch's: the check does
    not send that user on with this launch's landing, and the new window logs in the launch's user."""
    other = tool_client(app)
    checked(other, launch(other, lms, sub="stu-first"))  # logged in as stu-first
    finished = launch(tool_client(app), lms, sub="stu-second", name="Second Student")
    page = other.get(finished.headers["Location"])  # the check arrives with stu-first's cookie
    assert page.status_code == 200 and 'id="lti-open-new-window"' in page.get_data(as_text=True)


def test_a_deactivated_user_cannot_continue(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    from grader.db.models import User

    _page, url = _cookieless_launch(app, lms, sub="stu-gone", email="gone@example.com")
    world.session.expire_all()
    user = world.session.query(LtiContinuation).one().user_id
    world.session.get(User, user).is_active = False
    world.session.commit()
    assert tool_client(app).get(url).status_code == 404


def test_the_sweep_forgets_expired_continuations(app, lms, world) -> None:  # type: ignore[no-untyped-def]
    from grader.services.lms.notify import sweep_due

    _cookieless_launch(app, lms, sub="stu-sweep")
    world.session.query(LtiContinuation).one().expires_at = utcnow() - timedelta(days=2)
    world.session.commit()
    sweep_due(world.session)
    world.session.commit()
    assert world.session.query(LtiContinuation).count() == 0


def test_the_ttl_is_a_setting() -> None:
    env = {"SECRET_KEY": "k"}  # no key file made for the embedded default
    assert Settings.from_env(env).lti_continuation_ttl_s == 300
    assert Settings.from_env({**env, "LTI_CONTINUATION_TTL_S": "90"}).lti_continuation_ttl_s == 90
    from grader.bootstrap import settings_from_environment  # how the processes read it

    assert settings_from_environment({**env, "LTI_CONTINUATION_TTL_S": "45"}).lti_continuation_ttl_s == 45
    for bad in ("0", "-5", "soon"):
        with pytest.raises(ValueError, match="LTI_CONTINUATION_TTL_S"):
            Settings.from_env({**env, "LTI_CONTINUATION_TTL_S": bad})


def test_the_lms_is_named_by_its_issuers_host() -> None:
    from grader.services.lms.continuation import lms_name

    assert lms_name("https://canvas.instructure.com") == "canvas.instructure.com"
    assert lms_name("moodle-issuer") == "moodle-issuer" and lms_name("") == "the LMS"


def test_of_concurrent_redemptions_exactly_one_wins(committed_factory) -> None:  # type: ignore[no-untyped-def]
    """The new window's request and a copy of the link at the same moment: one login, not two."""
    import threading

    from grader.db.models import User
    from grader.services.lms import continuation
    from grader.services.lms.continuation import ContinuationError

    with committed_factory() as db:
        user = User(email="race@example.com")
        db.add(user)
        db.flush()
        token = continuation.issue(db, user, landing="/assignments/hw1", lms="lms.test", ttl_s=60)
        db.commit()
    copies, barrier, outcomes = 8, threading.Barrier(8), []

    def redeem() -> None:
        with committed_factory() as db:
            barrier.wait()
            try:
                outcomes.append(continuation.redeem(db, token).landing)
                db.commit()
            except ContinuationError as exc:
                outcomes.append(exc.status)

    threads = [threading.Thread(target=redeem) for _ in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(map(str, outcomes)) == ["/assignments/hw1"] + ["410"] * (copies - 1)


def test_a_token_expires_after_its_ttl(db) -> None:  # type: ignore[no-untyped-def]
    from grader.db.models import User
    from grader.services.lms import continuation
    from grader.services.lms.continuation import ContinuationError

    user = User(email="ttl@example.com")
    db.add(user)
    db.flush()
    issued = utcnow()
    token = continuation.issue(db, user, landing="/x", lms="lms.test", ttl_s=90, now=issued)
    assert continuation.peek(db, token, now=issued + timedelta(seconds=89)).landing == "/x"
    with pytest.raises(ContinuationError) as refused:
        continuation.redeem(db, token, now=issued + timedelta(seconds=90))
    assert refused.value.status == 410 and "expired" in str(refused.value)
    with pytest.raises(ValueError):
        continuation.issue(db, user, landing="//evil.example/x", lms="lms.test", ttl_s=90)
