"""The pages through Flask's test client on a migrated SQLite database (no browser, no broker)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.fakes import FakeQueue

ROOT = Path(__file__).resolve().parents[3]
KEY = "assignment-4"
PASSWORD = "pw-for-tests"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from grader.app import create_app
    from grader.config import Settings
    from grader.db.session import make_session_factory, session_scope
    from grader.services import provisioning as admin

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'db.sqlite'}"
    admin.migrate(url)
    factory = make_session_factory(url)
    with session_scope(factory) as s:
        admin.load_assignments(s, ROOT / "assignments")
        for email, role in [("stu@example.com", "student"), ("prof@example.com", "instructor"),
                            ("a@example.com", "student"), ("b@example.com", "student")]:
            admin.create_user(s, email, role, password=PASSWORD)
    # generous per-answer limits: a loaded CI machine must not turn answers into needs_review
    settings = Settings.from_env({}, database_url=url, secret_key="test", testing=True,
                                 answer_soft_time_s=60.0, answer_hard_time_s=120.0)
    queue = FakeQueue()
    app = create_app(settings, session_factory=factory, queue=queue)
    yield {"app": app, "factory": factory, "queue": queue, "settings": settings}
    factory.kw["bind"].dispose()


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def logged_in(env: dict[str, Any], email: str) -> Any:
    client = env["app"].test_client()
    token = token_of(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302, r.text
    return client


def grade_all(env: dict[str, Any]) -> None:
    from grader.services.grading import grade_submission_by_id

    while env["queue"].grading:
        grade_submission_by_id(env["factory"], env["queue"].grading.pop(), settings=env["settings"])


def submit(env: dict[str, Any], client: Any, fields: dict[str, str]) -> Any:
    page = client.get(f"/assignments/{KEY}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post(f"/assignments/{KEY}/submit",
                       data={"csrf_token": token_of(page), "idempotency_key": key, **fields})


def test_anonymous_visitors_are_sent_to_login(env: dict[str, Any]) -> None:
    r = env["app"].test_client().get(f"/assignments/{KEY}")
    assert r.status_code == 302 and "/login" in r.location


def test_wrong_password_is_refused(env: dict[str, Any]) -> None:
    client = env["app"].test_client()
    token = token_of(client.get("/login").text)
    r = client.post("/login", data={"email": "stu@example.com", "password": "nope", "csrf_token": token})
    assert r.status_code == 401 and "Wrong email or password" in r.text


def test_a_post_without_the_csrf_token_is_refused(env: dict[str, Any]) -> None:
    client = logged_in(env, "stu@example.com")
    r = client.post(f"/assignments/{KEY}/submit", data={"answer-1a": "2p_i - 2y_i"})
    assert r.status_code == 400
    assert env["queue"].grading == []


def test_every_input_of_the_form_has_a_label(env: dict[str, Any]) -> None:
    html = logged_in(env, "stu@example.com").get(f"/assignments/{KEY}").text
    ids = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids and set(ids) <= labelled
    assert "<math" in html


def test_submitting_queues_grading_and_shows_results_once_graded(env: dict[str, Any]) -> None:
    client = logged_in(env, "stu@example.com")
    r = submit(env, client, {"answer-1a": "2p_i - 2y_i", "answer-1f-why": "Because the gradient vanishes."})
    assert r.status_code == 302 and "/submissions/" in r.location
    assert len(env["queue"].grading) == 1
    assert "grading-progress" in client.get(r.location).text
    grade_all(env)
    page = client.get(r.location).text
    assert 'id="score"' in page and 'class="r-correct"' in page


def test_students_cannot_open_the_dashboard(env: dict[str, Any]) -> None:
    assert logged_in(env, "stu@example.com").get(f"/instructor/assignments/{KEY}").status_code == 403


def test_dashboard_groups_equivalent_wrong_answers_and_grades_by_hand(env: dict[str, Any]) -> None:
    for email, answer in [("a@example.com", "2p_i + 2y_i"), ("b@example.com", "2(y_i + p_i)")]:
        submit(env, logged_in(env, email), {"answer-1a": answer, "answer-1f-why": "Because."})
    grade_all(env)
    prof = logged_in(env, "prof@example.com")
    html = prof.get(f"/instructor/assignments/{KEY}").text
    assert "<svg" in html and 'class="bar"' in html
    group = re.search(r'id="wrong-1a".*?<span class="count"[^>]*>(\d+)×', html, re.S)
    assert group and group.group(1) == "2"
    token = token_of(html)
    r = prof.post(f"/instructor/assignments/{KEY}/feedback",
                  data={"csrf_token": token, "question_id": "1a", "answer": "2p_i + 2y_i", "feedback": "Sign!"})
    assert r.status_code == 302
    result_id = re.search(r"/instructor/results/(\d+)/grade", html).group(1)  # type: ignore[union-attr]
    too_many = prof.post(f"/instructor/results/{result_id}/grade",
                         data={"csrf_token": token, "assignment": KEY, "points": "99", "comment": ""})
    assert "must be between" in prof.get(too_many.location).text
    prof.post(f"/instructor/results/{result_id}/grade",
              data={"csrf_token": token, "assignment": KEY, "points": "1", "comment": "Good."})
    html = prof.get(f"/instructor/assignments/{KEY}").text
    assert "Attached feedback" in html and "Sign!" in html
    assert "Saved 1/1" in html
    # every dashboard input has a label, and no two labels read the same to a screen reader
    labels = {f: re.sub(r"<[^>]+>", "", text).strip()
              for f, text in re.findall(r'<label[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>', html, re.S)}
    ids = re.findall(r'<(?:input|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    assert ids and set(ids) <= set(labels)
    assert len(set(labels.values())) == len(labels), sorted(labels.values())
    # "Change grade" starts from the saved comment (an empty field would erase it)
    assert re.search(r'name="comment" type="text" size="50" value="Good\."', html), html


def test_regrade_button_creates_a_job(env: dict[str, Any]) -> None:
    prof = logged_in(env, "prof@example.com")
    token = token_of(prof.get(f"/instructor/assignments/{KEY}").text)
    r = prof.post(f"/instructor/assignments/{KEY}/regrade", data={"csrf_token": token})
    assert r.status_code == 302 and "job=" in r.location
    assert env["queue"].regrades


def test_the_app_with_the_pages_can_be_built_twice(env: dict[str, Any]) -> None:
    from grader.app import create_app

    first = create_app(env["settings"], session_factory=env["factory"], queue=FakeQueue())
    second = create_app(env["settings"], session_factory=env["factory"], queue=FakeQueue())
    assert {r.rule for r in first.url_map.iter_rules()} == {r.rule for r in second.url_map.iter_rules()}
    client = second.test_client()
    assert client.post("/logout").status_code == 400  # CSRF still checked, once


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example",
                                    "//evil.example", "/\\evil.example", "https://evil.example"])
def test_login_never_redirects_to_another_site(env: dict[str, Any], target: str) -> None:
    client = env["app"].test_client()
    token = token_of(client.get("/login").text)
    r = client.post("/login", data={"email": "stu@example.com", "password": PASSWORD, "csrf_token": token,
                                    "next": target})
    assert r.status_code == 302
    assert r.location == "/", r.location


def test_login_goes_back_to_a_local_page(env: dict[str, Any]) -> None:
    client = env["app"].test_client()
    token = token_of(client.get("/login").text)
    r = client.post("/login", data={"email": "stu@example.com", "password": PASSWORD, "csrf_token": token,
                                    "next": f"/assignments/{KEY}?x=1"})
    assert r.status_code == 302 and r.location == f"/assignments/{KEY}?x=1"


def test_the_form_applies_the_configured_answer_limits(env: dict[str, Any]) -> None:
    from grader.app import create_app

    small = env["settings"].replace(max_answer_chars=8)
    app = create_app(small, session_factory=env["factory"], queue=env["queue"])
    client = app.test_client()
    token = token_of(client.get("/login").text)
    client.post("/login", data={"email": "b@example.com", "password": PASSWORD, "csrf_token": token})
    before = list(env["queue"].grading)
    r = submit(env, client, {"answer-1a": "2*p_i - 2*y_i + 0"})
    assert env["queue"].grading == before  # nothing stored, nothing queued
    assert r.status_code == 302 and r.location.endswith(f"/assignments/{KEY}")
    assert "the limit is 8" in client.get(r.location).text


def test_the_same_form_posted_twice_is_one_submission_sent_once(env: dict[str, Any]) -> None:
    client = logged_in(env, "a@example.com")
    page = client.get(f"/assignments/{KEY}").text
    form = {"csrf_token": token_of(page), "answer-1a": "2p_i - 2y_i",
            "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)}  # type: ignore[union-attr]
    env["queue"].grading.clear()
    first = client.post(f"/assignments/{KEY}/submit", data=form)
    again = client.post(f"/assignments/{KEY}/submit", data=form)  # a double click
    assert first.status_code == again.status_code == 302 and first.location == again.location
    submission_id = int(first.location.rsplit("/", 1)[1])
    assert env["queue"].grading == [submission_id]


def new_student(env: dict[str, Any], email: str) -> Any:
    from grader.db.session import session_scope
    from grader.services import provisioning as admin

    with session_scope(env["factory"]) as s:
        admin.create_user(s, email, "student", password=PASSWORD)
    return logged_in(env, email)


def test_a_checked_question_comes_back_as_a_fragment_with_its_attempts(env: dict[str, Any]) -> None:
    client = new_student(env, "checks@example.com")
    r = submit(env, client, {"answer-1a": "2(p_i + y_i)", "answer-1d": "x_i"})
    sid = int(r.location.rsplit("/", 1)[1])
    grade_all(env)
    fragment = client.get(f"/submissions/{sid}/questions/1a/check")
    assert fragment.status_code == 200
    assert "v-incorrect" in fragment.text and "data-attempts" in fragment.text and "1 used" in fragment.text
    assert "<html" not in fragment.text  # a fragment, not a page
    other = logged_in(env, "b@example.com")
    assert other.get(f"/submissions/{sid}/questions/1a/check").status_code == 404
    assert client.get(f"/submissions/{sid}/questions/nope/check").status_code == 404


def test_a_second_submit_with_nothing_changed_is_not_sent(env: dict[str, Any]) -> None:
    client = new_student(env, "unchanged@example.com")
    submit(env, client, {"answer-1d": "x_i"})
    grade_all(env)
    before = len(env["queue"].grading)
    r = submit(env, client, {"answer-1d": "x_i "})
    assert r.status_code == 302 and r.location.endswith(f"/assignments/{KEY}")
    assert len(env["queue"].grading) == before
    assert "Nothing changed" in client.get(r.location).text
    r = submit(env, client, {"answer-1b": "exp(-a_i)/(1+exp(-a_i))^2"})  # 1d is carried over, unchanged
    grade_all(env)
    page = client.get(f"/assignments/{KEY}").text
    assert re.search(r'id="attempts-1d">Unlimited attempts\s*· 1 used', page), "1d cost a second attempt"
    assert 'value="x_i"' in page
