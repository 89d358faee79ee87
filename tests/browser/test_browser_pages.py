"""End to end in Chromium: a student previews, submits and reads verdicts; an instructor reads the
dashboard, attaches feedback to an error, grades a free-text answer, regrades and exports CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.browser.support import submit_by_api, wait_graded


pytestmark = pytest.mark.browser
LiveServer = Any  # the ``live_server`` fixture's object (tests/browser/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed-submission.json").read_text(encoding="utf-8"))["answers"]
KEY = "assignment-4"
# Wrong answers to 1a from other students: the first three are one mistake written three ways.
WRONG_1A = {"ana@example.com": "2p_i + 2y_i", "ben@example.com": "2(y_i + p_i)",
            "cy@example.com": "2*y_i+2*p_i", "dee@example.com": "p_i - y_i"}


def _math_font_installed() -> bool:
    """A font with an OpenType MATH table that grader.css names (Debian: fonts-dejavu-extra)."""
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(name in out for name in ("DejaVu Math TeX Gyre", "STIX Two Math", "Latin Modern Math"))


def login(page: Any, server: LiveServer, email: str) -> None:
    """Log in with the keyboard alone: the email field has focus, Tab to the password, Enter."""
    page.goto(server.url + "/login")
    # Chromium applies autofocus at its next rendering update, which can come after "load":
    # typing before it went nowhere and the login never happened (a flaky timeout)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'email'")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(server.password)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")


def fill_seed_answers(page: Any) -> None:
    """Every answer of the seed submission, typed into the form (tables cell by cell)."""
    for qid, value in SEED.items():
        if isinstance(value, str):
            page.fill(f"#answer-{qid}", value)
        elif isinstance(value, list):
            for i, row in enumerate(value):
                page.fill(f'[id="{qid}-name-{i}"]', row["name"])
                page.fill(f'[id="{qid}-expr-{i}"]', row["expr"])
                page.fill(f'[id="{qid}-value-{i}"]', str(row["value"]))
        else:
            for i, (name, adjoint) in enumerate(value.items()):
                page.fill(f'[id="{qid}-name-{i}"]', name)
                page.fill(f'[id="{qid}-adjoint-{i}"]', str(adjoint))


def test_student_previews_submits_and_sees_verdicts(page: Any, live_server: LiveServer,
                                                    shot: Callable[..., Path]) -> None:
    login(page, live_server, "student@example.com")
    page.get_by_role("link", name="Assignment 4, Written Part", exact=True).click()
    page.wait_for_selector("#answer-1e")
    page.wait_for_load_state("load")  # styles measured below: a click's navigation may still be loading CSS
    assert page.locator("section.question .prompt math").count() > 0  # prompts rendered as MathML
    # the prompt "e. dl_i/dw" is a fraction alone: drawn at the text's size, not shrunk to 10 px
    numerator_px = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#q-1e .prompt mfrac > *')).fontSize)")
    assert numerator_px >= 15, numerator_px

    page.fill("#answer-1e", SEED["1e"])
    preview = page.locator("#preview-1e")
    preview.locator("math").wait_for()
    assert "We read your answer as" in preview.inner_text()
    shot(page, "student-preview-1e", selector="#q-1e")

    page.fill("#answer-1d", "2*(x_i")
    page.locator("#preview-1d.problem pre.caret").wait_for()
    assert "^" in page.locator("#preview-1d .mark").inner_text()
    assert page.get_attribute("#answer-1d", "aria-invalid") == "true"
    shot(page, "student-preview-syntax-error", selector="#q-1d")

    fill_seed_answers(page)
    shot(page, "student-form-filled")
    page.click("#submit-answers")
    # the seed's 1c restates the question (a derivative operator): the page asks before sending it
    page.locator("#confirm-dialog").wait_for(state="visible")
    assert "Question 1c" in page.locator("#confirm-list").inner_text()
    page.click("#confirm-go")
    page.wait_for_url(re.compile(r".*/submissions/\d+$"))
    page.locator("#score").wait_for(timeout=120_000)  # the progress box polls until graded
    assert page.locator("table.results > tbody > tr").count() == len(SEED)
    row_1a = page.locator("#result-1a")
    assert "correct" in row_1a.inner_text()
    assert page.locator("#result-1f-why").inner_text().count("needs review") == 1
    # a cases brace stretches over both rows (a math font with a MATH table; the default font's
    # "{" stayed one line high and the cases were hard to read)
    if _math_font_installed():
        page.evaluate("document.fonts.ready.then(() => true)")  # measured once the math font is in
        brace = page.locator("#result-2a mo").filter(has_text="{").first.bounding_box()
        rows = page.locator("#result-2a mtable").first.bounding_box()
        assert brace and rows and brace["height"] >= 0.8 * rows["height"], (brace, rows)
    shot(page, "student-verdicts")

    page.get_by_role("link", name="Back to the assignment").click()
    assert page.locator("table.past tbody tr").count() >= 1
    shot(page, "student-assignment-with-past-submissions")


def test_instructor_dashboard_groups_grades_and_exports(page: Any, live_server: LiveServer,
                                                        shot: Callable[..., Path]) -> None:
    ids = {email: submit_by_api(live_server, email, {"1a": answer, "1f-why": f"Because {email.split('@')[0]}."})
           for email, answer in WRONG_1A.items()}
    for email, sid in ids.items():
        wait_graded(live_server, email, sid)

    login(page, live_server, "instructor@example.com")
    page.goto(f"{live_server.url}/instructor/assignments/{KEY}")
    histogram = page.locator("#histogram svg")
    assert histogram.locator("rect.bar").count() >= 2
    assert int(page.locator("#stat-submissions").inner_text()) >= len(WRONG_1A)
    shot(page, "instructor-histogram", selector="#overview")

    groups = page.locator("#wrong-1a li.group")
    first = groups.first
    assert first.locator(".count").inner_text() == "3×"   # three ways of writing one mistake
    assert first.locator(".rep math").count() == 1  # the representative, drawn as math
    shot(page, "instructor-wrong-answers", selector="#wrong")

    first.get_by_label("Feedback for this error").fill("You added 2y_i: the derivative of (y-p)^2 in p is -2(y-p).")
    first.get_by_role("button", name="Attach feedback").click()
    page.locator(".flash", has_text="Feedback attached").wait_for()
    assert "You added 2y_i" in page.locator("#wrong-1a li.group").first.inner_text()

    todo = page.locator("#manual .manual-item.todo").first
    item_id = todo.get_attribute("id")
    todo.get_by_label(re.compile("Points")).fill("1")
    todo.get_by_label("Comment").fill("Right idea; say why the gradient vanishes.")
    todo.get_by_role("button", name="Save grade").click()
    page.locator(".flash", has_text="Saved").wait_for()
    assert "graded" in page.locator(f'[id="{item_id}"]').inner_text()
    shot(page, "instructor-manual-grading", selector="#manual")

    with page.expect_download() as info:
        page.click("#csv-link")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["email", "name"] and "1a" in rows[0]
    emails = {r[0] for r in rows[1:]}
    assert set(WRONG_1A) <= emails

    page.click("#regrade-button")
    page.click("#regrade-confirm")  # asked in the page first
    page.locator("#regrade-status", has_text="done").wait_for(timeout=120_000)
    shot(page, "instructor-regrade-done", selector="#regrade")

    page.get_by_role("link", name="ana@example.com").click()
    assert page.locator("table.results").count() >= 1
    shot(page, "instructor-student-view")


def test_the_caret_points_into_the_line_of_a_multi_line_answer(page: Any, live_server: LiveServer) -> None:
    """The server's column counts the whole answer; on line 2 the caret goes under line 2's character."""
    login(page, live_server, "student@example.com")
    page.goto(f"{live_server.url}/assignments/{KEY}")
    answer = "\\begin{cases} -y_i & y_i a_i < 1 \\\\\n0 & (y_i a_i > 1 \\end{cases}"
    page.fill("#answer-2a", answer)
    caret = page.locator("#preview-2a.problem pre.caret")
    caret.wait_for()
    message = page.locator("#preview-2a .label").inner_text()
    shown, mark = caret.inner_text().split("\n")[:2]
    assert shown == answer.split("\n")[1], (shown, message)
    assert "line 2" in message, message
    assert shown[mark.index("^"):].startswith("(y_i") or shown[mark.index("^"):].startswith("\\end"), \
        (shown, mark, message)  # wherever the parser stops, the caret is under that character of line 2
