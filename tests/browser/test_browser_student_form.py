"""Issue 15 in Chromium, the student's side: an honest live preview that warns before submitting,
per-question checks that cost one attempt of one question, Enter that never submits, help in
place, an AD-table editor that checks every cell, and results that read well."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.browser.support import KEY, SEED, fill_table, open_form, submissions_of, submit_by_api, wait_graded

pytestmark = pytest.mark.browser
LiveServer = Any


def no_native_dialogs(page: Any) -> list[str]:
    """Record any window.confirm/alert: the page must ask in-page (a CSP-friendly <dialog>)."""
    seen: list[str] = []

    def record(dialog: Any) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def flags(page: Any, qid: str) -> str:
    page.locator(f"#preview-{qid}[data-status]:not([data-status=''])").wait_for()
    return page.locator(f"#preview-{qid}").inner_text()


def test_the_preview_shows_the_answer_as_typed_and_flags_what_will_be_graded_wrong(
        page: Any, live_server: LiveServer, shot: Callable[..., Path]) -> None:
    native = no_native_dialogs(page)
    open_form(page, live_server, "preview@example.com")
    shot(page, "student-form-desktop")

    page.fill("#answer-1a", "-2(y_i-p_i)")
    text = flags(page, "1a")
    # the student's own order and factor: y_i before p_i, the -2 kept (sympy showed 2p_i - 2y_i)
    math = re.sub(r"[\s\u2062]", "", unicodedata.normalize("NFKC", page.locator("#preview-1a .math").inner_text()))
    assert math == "−2(yi−pi)", math
    assert "Symbols: p_i, y_i" in text and page.get_attribute("#preview-1a", "data-status") == "ok"

    page.fill("#answer-1b", r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}")
    flags(page, "1b")
    denominator = page.evaluate("() => document.querySelector('#preview-1b mfrac').children[1].textContent")
    assert "2" in denominator and "1" in denominator  # right side up: (1 + e^{-a_i})^2 below the line

    page.fill("#answer-1a", "2(p - y_i)")
    page.locator("#preview-1a.problem").wait_for()
    assert "did you mean p_i?" in flags(page, "1a")

    page.fill("#answer-1c", "e^{-a_i} p_i")
    page.locator("#preview-1c.problem").wait_for()
    assert "not allowed here: use only p_i" in flags(page, "1c")

    page.fill("#answer-1f-limit", "zero")
    page.locator("#preview-1f-limit .flag").first.wait_for()
    text = flags(page, "1f-limit")
    assert "z·e·r·o" in text and "asks for a number" in text

    page.fill("#answer-1d", "x_i")
    page.locator("#preview-1d.ok").wait_for()
    before = len(submissions_of(live_server, "preview@example.com"))
    page.click("#submit-answers")
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    listed = page.locator("#confirm-list").inner_text()
    assert all(f"Question {q}" in listed for q in ("1a", "1c", "1f-limit")) and "Question 1d" not in listed
    shot(page, "student-confirm-flagged")
    page.click("#confirm-back")
    dialog.wait_for(state="hidden")
    assert page.url.endswith(f"/assignments/{KEY}")
    assert len(submissions_of(live_server, "preview@example.com")) == before

    page.click("#submit-answers")
    page.click("#confirm-go")
    page.wait_for_url(re.compile(r".*/submissions/\d+$"))
    assert native == []


def test_check_grades_one_question_and_submit_sends_only_changed_answers(
        page: Any, live_server: LiveServer) -> None:
    email = "checker@example.com"
    open_form(page, live_server, email)
    page.fill("#answer-1d", "x_i")
    page.locator("#preview-1d.ok").wait_for()
    page.focus("#answer-1d")
    page.keyboard.press("Enter")  # never submits the whole assignment
    page.click("#check-1d")
    page.locator("#check-result-1d .verdict").wait_for(timeout=120_000)
    assert page.url.endswith(f"/assignments/{KEY}")
    assert "correct" in page.locator("#check-result-1d .verdict").inner_text()
    assert "1 used" in page.locator("#attempts-1d").inner_text()
    assert len(submissions_of(live_server, email)) == 1  # the check, and nothing from Enter

    page.fill("#answer-1a", "2(p_i + y_i)")
    page.locator("#preview-1a.ok").wait_for()
    page.click("#check-1a")
    page.locator("#check-result-1a .verdict").wait_for(timeout=120_000)
    assert "incorrect" in page.locator("#check-result-1a .verdict").inner_text()
    assert page.locator("#check-result-1a .feedback").inner_text().strip()
    assert page.input_value("#answer-1a") == "2(p_i + y_i)"  # kept on the form
    assert "1 used" in page.locator("#attempts-1a").inner_text()
    assert "1 used" in page.locator("#attempts-1d").inner_text()  # carried over: no attempt

    page.fill("#answer-1b", "exp(-a_i)/(1+exp(-a_i))^2")
    page.locator("#preview-1b.ok").wait_for()
    page.click("#submit-answers")
    page.wait_for_url(re.compile(r".*/submissions/\d+$"))
    page.locator("#score").wait_for(timeout=120_000)
    assert "correct" in page.locator("#result-1d").inner_text()  # the stored answer is still graded
    page.get_by_role("link", name="Back to the assignment").click()
    assert page.input_value("#answer-1a") == "2(p_i + y_i)" and page.input_value("#answer-1d") == "x_i"
    used = {q: page.locator(f"#attempts-{q}").inner_text() for q in ("1a", "1b", "1d")}
    assert all("1 used" in v for v in used.values()), used

    count = len(submissions_of(live_server, email))
    page.wait_for_function("() => document.querySelector('#answer-1a')._stored !== undefined")
    page.click("#submit-answers")
    page.locator("#submit-message", has_text="Nothing changed").wait_for()
    assert page.url.endswith(f"/assignments/{KEY}") and len(submissions_of(live_server, email)) == count


def test_help_opens_on_focus_and_the_ad_table_checks_every_cell(
        page: Any, live_server: LiveServer, shot: Callable[..., Path]) -> None:
    open_form(page, live_server, "helper@example.com")
    assert page.locator("#help-2a").get_attribute("open") is None
    page.focus("#answer-2a")
    page.locator("#help-2a[open]").wait_for()
    assert r"\begin{cases}" in page.locator("#help-2a").inner_text()
    assert r"\leftarrow" in (page.locator("#help-2c").text_content() or "")  # closed until focused
    page.fill("#answer-2a", "-y_i if y_i a_i < 1, 0 otherwise")
    page.locator("#preview-2a.problem").wait_for()
    shot(page, "student-piecewise-help-open", selector="#q-2a")

    # the input rows are filled in for the student
    assert [page.input_value(f'[id="3-forward-{c}-0"]') for c in ("name", "expr", "value")] == ["v_{-2}", "x", "0.3"]
    assert page.input_value('[id="3-forward-name-2"]') == "v_0"
    assert page.input_value('[id="3-adjoint-name-0"]') == "v_{-2}"
    # every problem of the table at once
    page.fill('[id="3-forward-name-3"]', "v_1")
    page.fill('[id="3-forward-expr-3"]', "v_{-2}*(v_{-1}")
    page.fill('[id="3-forward-value-3"]', "abc")
    page.fill('[id="3-forward-name-4"]', "v 2!")
    problems = page.locator("#problems-3-forward li")
    page.wait_for_function("() => document.querySelectorAll('#problems-3-forward li').length === 3")
    text = page.locator("#problems-3-forward").inner_text()
    assert "Row 4 expression" in text and "Row 4 value" in text and "Row 5 name" in text, text
    assert problems.count() == 3
    assert page.get_attribute('[id="3-forward-expr-3"]', "aria-invalid") == "true"
    page.fill('[id="3-forward-expr-3"]', "v_{-2} v_{-1}")
    page.wait_for_function("() => document.querySelectorAll('#problems-3-forward li').length === 2")


def test_results_show_partial_credit_math_feedback_no_key_and_a_provisional_total(
        page: Any, live_server: LiveServer, shot: Callable[..., Path]) -> None:
    email = "results@example.com"
    answers = dict(SEED)
    answers["1e"] = "2*(p_i - y_i)*p_i*(1 - p_i)"  # the anticipated error: "da_i/dw = x_i"
    adjoint = dict(SEED["3-adjoint"])
    first = next(iter(adjoint))
    adjoint[first] = 5  # one wrong adjoint
    answers["3-adjoint"] = adjoint
    sid = submit_by_api(live_server, email, answers)
    wait_graded(live_server, email, sid)
    open_form(page, live_server, email)
    page.goto(f"{live_server.url}/submissions/{sid}")
    row = page.locator("#result-3-adjoint")
    assert row.locator(".verdict.v-partial").inner_text() == "partially correct"
    badge = page.evaluate("() => getComputedStyle(document.querySelector('#result-3-adjoint .verdict')).backgroundColor")
    wrong = page.evaluate("() => getComputedStyle(document.querySelector('.verdict.v-incorrect')).backgroundColor")
    assert badge != wrong  # its own colour
    feedback = row.locator(".feedback").inner_text()
    assert "is not right" in feedback and "expected" not in feedback  # the key is not given away
    assert page.locator("#result-1e .feedback math mfrac").count() >= 1  # da_i/dw drawn as a fraction
    assert "provisional" in page.locator("#score").inner_text()
    shot(page, "student-results-partial")

    # the same partial AD table, checked from the form
    page.goto(f"{live_server.url}/assignments/{KEY}")
    page.wait_for_function("() => document.querySelector('[data-field]')._stored !== undefined")
    fill_table(page, "3-adjoint", {**adjoint, first: 6})
    page.click("#check-3-adjoint")
    page.locator("#check-result-3-adjoint .verdict").wait_for(timeout=120_000)
    assert page.locator("#check-result-3-adjoint .verdict").inner_text() == "partially correct"
    shot(page, "student-ad-table-partial", selector="#q-3-adjoint")
