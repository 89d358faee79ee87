"""End to end in Chromium: two students open the same question of Assignment 4's variant edition
and each sees their own numbers (in the prompt and in the table's point), the ones the API gives
them; the instructor sees a student's variant on the dashboard's student page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from tests.browser.test_browser_pages import login

pytestmark = pytest.mark.browser
LiveServer = Any
KEY = "assignment-4-variants"


def _api(server: LiveServer, email: str, method: str, path: str, **kw: Any) -> Any:
    r = requests.request(method, f"{server.url}/api/v1{path}", timeout=30,
                         headers={"Authorization": f"Bearer {server.tokens[email]}"}, **kw)
    assert r.status_code == 200, r.text
    return r.json()


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _student_id(server: LiveServer, email: str) -> int:
    return int(_api(server, email, "GET", "/me")["id"])


def test_two_students_see_their_own_numbers_on_the_same_question(page: Any, live_server: LiveServer,
                                                                  shot: Callable[..., Path]) -> None:
    for email in ("vera@example.com", "walt@example.com"):
        live_server.tokens.get(email) or live_server.create_user(email, "student")
    vera = _api(live_server, "vera@example.com", "GET", f"/assignments/{KEY}")["variant"]["parameters"]
    # walt's point is set by the instructor to one that is surely not vera's (her own is a draw)
    walt_point = {"x0": 0.2 if vera["x0"] != 0.2 else 0.4, "w0": 1, "b0": 0.3}
    _api(live_server, "instructor@example.com", "PUT",
         f"/assignments/{KEY}/variants/{_student_id(live_server, 'walt@example.com')}",
         json={"parameters": walt_point})
    seen = {}
    for email, point in (("vera@example.com", vera), ("walt@example.com", walt_point)):
        page.context.clear_cookies()
        login(page, live_server, email)
        page.get_by_role("link", name=re.compile("your own numbers")).click()
        caption = page.locator("#table-3-forward caption").inner_text()
        expected = f"x = {_num(point['x0'])}, w = {_num(point['w0'])}, b = {_num(point['b0'])}"
        assert expected in caption, caption
        prompt = page.locator("#q-3-forward .prompt").inner_text()
        assert "{{" not in prompt and _num(point["x0"]) in prompt
        seen[email] = (caption, prompt)
        shot(page, f"variant-{email.split('@')[0]}", selector="#q-3-forward")
    assert seen["vera@example.com"] != seen["walt@example.com"]

    requests.post(f"{live_server.url}/api/v1/assignments/{KEY}/submissions", json={"answers": {"1a": "x"}},
                  headers={"Authorization": f"Bearer {live_server.tokens['walt@example.com']}"}, timeout=30)
    page.context.clear_cookies()
    login(page, live_server, "instructor@example.com")
    walt_id = _student_id(live_server, "walt@example.com")
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}/students/{walt_id}")
    assert f"x0={_num(walt_point['x0'])}, w0=1, b0=0.3" in page.locator("[data-variant]").inner_text()
