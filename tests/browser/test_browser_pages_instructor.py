"""Issue 15 in Chromium, the instructor's side: unreadable answers listed with the parser's
message, AD groups as tables, a readable histogram, feedback attached to an anticipated-error
group applied by the regrade (asked for in a dialog, disabled while it runs), messages next to
the action, a pending flag in the CSV, collapsed per-student submissions, a 3:1 focus ring."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import INSTRUCTOR, KEY, SEED, login, submit_by_api, wait_graded

pytestmark = pytest.mark.browser
LiveServer = Any

WRONG_FORWARD = [dict(r) for r in SEED["3-forward"]]
WRONG_FORWARD[5] = {**WRONG_FORWARD[5], "value": 5}  # v_3 = 1/v_2 is 4
ANTICIPATED_1B = "exp(-a_i)/(1 + exp(-a_i))"  # the file's anticipated error: the square is missing

CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
                                                    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const el = document.activeElement;
  const ring = rgb(getComputedStyle(el).outlineColor);
  let node = el.parentElement, bg = [255, 255, 255, 1];
  while (node) { const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; } node = node.parentElement; }
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  return {contrast: (a + 0.05) / (b + 0.05), style: getComputedStyle(el).outlineStyle, tag: el.tagName};
}"""


def assert_in_view(locator: Any) -> None:
    """The whole element ends up inside the viewport. Polled (Playwright's ``expect``): a page opened at
    an anchor may still be laying out (fonts, MathML) when the element first exists; a one-shot
    ``bounding_box`` check failed on a loaded machine although the page then scrolled it into view."""
    expect(locator).to_be_in_viewport(ratio=1)


def test_instructor_fixes(page: Any, live_server: LiveServer, shot: Callable[..., Path]) -> None:
    live_server.tokens.get(INSTRUCTOR) or live_server.create_user(INSTRUCTOR, "instructor")
    ids = {
        "unread1@example.com": submit_by_api(live_server, "unread1@example.com", {
            "1c": "p_i(1-p_i", "1b": ANTICIPATED_1B, "3-forward": WRONG_FORWARD, "1f-why": "Because."}),
        "unread2@example.com": submit_by_api(live_server, "unread2@example.com", {
            "1c": "p_i(1-p_i", "1b": "e^{-a_i}/(1+e^{-a_i})", "3-forward": WRONG_FORWARD,
            "1f-why": "The gradient vanishes."}),
        "unread3@example.com": submit_by_api(live_server, "unread3@example.com", {"1c": "p_i ** ** 2"}),
    }
    for email, sid in ids.items():
        wait_graded(live_server, email, sid)

    login(page, live_server, INSTRUCTOR)
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}")

    # unreadable answers, with the parser's message
    listing = page.locator("#unreadable-1c")
    row = listing.locator("tr", has_text="p_i(1-p_i")
    assert "parenthesis" in row.inner_text() and row.locator("td.num").first.inner_text() == "2"
    assert listing.locator("tbody tr").count() >= 2 and "% of answers unreadable" in listing.inner_text()
    shot(page, "instructor-unreadable-answers", selector="#unreadable")

    # AD groups as small tables, not raw JSON
    group = page.locator("#wrong-3-forward li.group").first
    assert group.locator("table.mini tr").count() >= len(WRONG_FORWARD)
    assert '{"' not in group.inner_text() and "v_3" in group.inner_text()

    # a readable histogram: bins named with their bounds, counts inside the plot
    label = page.get_attribute("#histogram svg", "aria-label") or ""
    assert re.search(r"\[0, [\d.]+\): \d+", label) and re.search(r"\]: \d+$", label), label
    title_y = float(page.get_attribute("#histogram .chart-title", "y") or 0)
    counts = page.locator("#histogram text.count")
    assert counts.count() >= 1
    assert all(float(counts.nth(i).get_attribute("y") or 0) > title_y + 12 for i in range(counts.count()))

    # feedback attached to the anticipated-error group of 1b: message next to the action
    group = page.locator("#wrong-1b li.group", has_text="The derivative of 1/u").first
    group.get_by_label("Feedback for this error").fill("Instructor: square the denominator of 1/u.")
    group.get_by_role("button", name="Attach feedback").click()
    note = page.locator("#wrong-1b .flash", has_text="Feedback attached")
    note.wait_for()
    assert_in_view(note)
    assert "applied at the next regrade" in page.locator("#wrong-1b").inner_text()

    # regrade: asked first, in the page; disabled while it runs
    page.click("#regrade-button")
    page.locator("#regrade-dialog").wait_for(state="visible")
    page.click("#regrade-cancel")
    page.locator("#regrade-dialog").wait_for(state="hidden")
    assert "job=" not in page.url
    page.click("#regrade-button")
    page.click("#regrade-confirm")
    page.wait_for_url(re.compile(r".*job=\d+.*"))
    assert page.is_disabled("#regrade-button") or "done" in page.locator("#regrade-status").inner_text()
    page.locator("#regrade-status", has_text="done").wait_for(timeout=180_000)
    assert page.is_enabled("#regrade-button")
    assert_in_view(page.locator("#regrade .flash", has_text="Regrading"))
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}")
    group = page.locator("#wrong-1b li.group", has_text="Instructor: square the denominator").first
    assert "(applied)" in group.locator(".attached").inner_text()
    assert "Instructor: square the denominator" in group.locator(".got").inner_text()

    # a hand grade's message lands next to the answer graded
    item = page.locator(f"#manual-{ids['unread1@example.com']}-1f-why")
    item.get_by_label(re.compile("Points")).fill("0.5")
    item.get_by_role("button", name=re.compile("grade")).click()
    saved = page.locator(f"#manual-{ids['unread1@example.com']}-1f-why .flash", has_text="Saved")
    saved.wait_for()
    assert_in_view(saved)

    # the CSV flags answers still waiting for an instructor
    with page.expect_download() as info:
        page.click("#csv-link")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    by_email = {r["email"]: r for r in rows}
    assert by_email["unread2@example.com"]["pending"] == "1f-why"
    assert by_email["unread1@example.com"]["pending"] == ""

    # the focus ring is at least 3:1 against what surrounds it, in the header and on the page
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}")
    seen = []
    for _ in range(4):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(CONTRAST))
    page.focus("#fb-1b-1")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    seen.append(page.evaluate(CONTRAST))
    assert all(s["style"] != "none" and s["contrast"] >= 3 for s in seen), seen

    # per-student submissions collapsed, the score in each heading
    page.get_by_role("link", name="unread1@example.com").click()
    details = page.locator("details.submission-details")
    assert details.count() >= 1
    assert re.search(r"[\d.]+ / 22", details.first.locator(":scope > summary").inner_text())
    assert page.locator("details.submission-details[open]").count() == 1
    shot(page, "instructor-student-collapsed")
