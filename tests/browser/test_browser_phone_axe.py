"""Issue 15 in Chromium: every page fits a 390 px phone (no page wider than the screen, tables
scroll in their own area, inputs full width) and an axe-core scan of every page finds no
violation (axe-playwright-python ships axe-core's script; nothing is fetched)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.browser.support import INSTRUCTOR, KEY, SEED, login, submit_by_api, wait_graded

pytestmark = pytest.mark.browser
LiveServer = Any
PHONE = {"width": 390, "height": 844}
STUDENT = "phone@example.com"


@pytest.fixture(scope="module")
def graded(live_server: LiveServer) -> dict[str, Any]:
    """A graded seed submission (with one wrong answer) and the student's user id."""
    live_server.tokens.get(INSTRUCTOR) or live_server.create_user(INSTRUCTOR, "instructor")
    answers = dict(SEED, **{"1a": "2(p_i + y_i)"})
    sid = submit_by_api(live_server, STUDENT, answers)
    body = wait_graded(live_server, STUDENT, sid)
    return {"submission": sid, "body": body}


def student_pages(server: LiveServer, sid: int) -> list[str]:
    return ["/", f"/assignments/{KEY}", f"/submissions/{sid}", "/help/documents"]


def instructor_pages(page: Any, server: LiveServer) -> list[str]:
    page.goto(f"{server.url}/instructor/assignments/{KEY}")
    href = page.get_by_role("link", name=STUDENT).get_attribute("href")
    return [f"/instructor/assignments/{KEY}", str(href)]


@pytest.fixture()
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def width_of(page: Any) -> int:
    width = int(page.evaluate("() => document.documentElement.scrollWidth"))
    if width > PHONE["width"]:
        print(page.url, page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll')).slice(0, 8)
            .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""))
    return width


def test_every_page_fits_a_390px_phone(phone: Any, live_server: LiveServer, graded: dict[str, Any],
                                       shot: Callable[..., Path]) -> None:
    widths = {}
    phone.goto(live_server.url + "/login")
    widths["/login"] = width_of(phone)
    login(phone, live_server, STUDENT)
    for path in student_pages(live_server, graded["submission"]):
        phone.goto(live_server.url + path)
        phone.wait_for_load_state("load")
        widths[path] = width_of(phone)
    phone.goto(f"{live_server.url}/assignments/{KEY}")
    phone.wait_for_selector("#answer-1a")
    answer = phone.locator("#answer-1a").bounding_box()
    card = phone.locator("#q-1a").bounding_box()
    assert answer and card and answer["width"] >= 0.85 * (card["width"] - 32)  # full width
    table = phone.locator("#table-3-forward").bounding_box()
    scroller = phone.get_by_role("region", name="Table of question 3-forward").bounding_box()
    assert table and scroller and scroller["width"] <= PHONE["width"]  # the table scrolls in its own area
    shot(phone, "student-form-phone")
    phone.fill("#answer-1a", "2(p - y_i)")
    phone.locator("#preview-1a .flag").first.wait_for()
    phone.locator("#q-1a").scroll_into_view_if_needed()
    shot(phone, "student-form-phone-question", full_page=False)
    assert width_of(phone) <= PHONE["width"]
    phone.goto(f"{live_server.url}/submissions/{graded['submission']}")
    shot(phone, "student-results-phone")

    phone.context.clear_cookies()
    login(phone, live_server, INSTRUCTOR)
    for path in instructor_pages(phone, live_server):
        phone.goto(live_server.url + path)
        phone.wait_for_load_state("load")
        widths[path] = width_of(phone)
    shot(phone, "instructor-student-phone")
    phone.goto(f"{live_server.url}/instructor/assignments/{KEY}")
    shot(phone, "instructor-dashboard-phone")
    too_wide = {p: w for p, w in widths.items() if w > PHONE["width"]}
    assert not too_wide, too_wide
    assert len(widths) == 7


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {[n['target'] for n in v['nodes']][:5]})"
            for v in results.response["violations"]]


def test_axe_finds_no_violation_on_any_page(page: Any, live_server: LiveServer, graded: dict[str, Any]) -> None:
    found: dict[str, list[str]] = {}
    page.goto(live_server.url + "/login")
    found["/login"] = axe_violations(page)
    login(page, live_server, STUDENT)
    for path in student_pages(live_server, graded["submission"]):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        found[path] = axe_violations(page)
    # the form in use: previews with flags, help open, a table problem, the confirm dialog
    page.goto(f"{live_server.url}/assignments/{KEY}")
    page.wait_for_function("() => document.querySelector('[data-field]')._stored !== undefined")
    page.fill("#answer-1a", "2(p - y_i)")
    page.locator("#preview-1a .flag").first.wait_for()
    page.focus("#answer-2a")
    page.fill('[id="3-forward-value-5"]', "abc")
    page.locator("#problems-3-forward li").first.wait_for()
    found["form in use"] = axe_violations(page)
    page.click("#submit-answers")
    page.locator("#confirm-dialog").wait_for(state="visible")
    found["confirm dialog"] = axe_violations(page)

    page.context.clear_cookies()
    login(page, live_server, INSTRUCTOR)
    for path in instructor_pages(page, live_server):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        found[path] = axe_violations(page)
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}")
    page.click("#regrade-button")
    page.locator("#regrade-dialog").wait_for(state="visible")
    found["regrade dialog"] = axe_violations(page)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, bad
    assert len(found) == 10 and all(re.match(r"^(/|form|confirm|regrade)", k) for k in found)
