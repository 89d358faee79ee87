"""End to end in Chromium: a student uploads the seed's written part, checks what was found,
corrects nothing, submits, and reads the same verdicts as for the typed answers."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Callable

import pytest

pytestmark = pytest.mark.browser
LiveServer = Any

ROOT = Path(__file__).resolve().parents[2]
SEED_DOC = ROOT / "tests" / "fixtures" / "documents" / "seed-assignment-4-written.md"
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed-submission.json").read_text(encoding="utf-8"))["answers"]


def _login(page: Any, server: LiveServer, email: str) -> None:
    page.goto(server.url + "/login")
    page.fill("#email", email)
    page.fill("#password", server.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")


def test_the_seed_document_is_read_checked_and_submitted(page: Any, live_server: LiveServer,
                                                         shot: Callable[..., Path]) -> None:
    live_server.create_user("writer@example.com", "student")
    _login(page, live_server, "writer@example.com")
    page.get_by_role("link", name="Assignment 4, Written Part", exact=True).click()  # not its variant edition
    page.set_input_files("#document-file", str(SEED_DOC))
    page.click("#read-document")
    found = page.locator("#document-found")
    found.wait_for()
    assert "We found 13 of 13 answers" in found.inner_text()
    assert page.input_value("#answer-1d") == SEED["1d"]
    assert page.input_value("#answer-1e") == SEED["1e"]
    assert page.input_value('[id="3-forward-expr-3"]') == "v_{-2}v_{-1}"
    assert page.input_value('[id="3-adjoint-adjoint-0"]') == "-7"
    assert "line 20, column 5" in page.locator("#found-1a").inner_text()
    page.locator("#preview-1e math").wait_for()  # the live preview reads the filled answers too
    shot(page, "student-document-found")

    page.fill("#answer-1c", r"p_i(1 - p_i)")  # the student corrects a restated answer before submitting
    page.click("#submit-answers")
    page.wait_for_url(re.compile(r".*/submissions/\d+$"))
    page.locator("#score").wait_for(timeout=120_000)
    verdicts = {qid: page.locator(f"#result-{qid}").inner_text() for qid in SEED}
    assert "incorrect" in verdicts["1e"] and "needs review" in verdicts["2d"]
    for qid in ("1a", "1b", "1c", "1d", "1f-limit", "2a", "2b", "2c", "3-forward", "3-adjoint"):
        assert re.search(r"\bcorrect\b", verdicts[qid]) and "incorrect" not in verdicts[qid], (qid, verdicts[qid])
    shot(page, "student-document-verdicts")

    submission_id = int(page.url.rsplit("/", 1)[1])
    database = live_server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT filename, content FROM handed_in_document WHERE submission_id = ?",
                            (submission_id,)).fetchone()
    assert stored == ("seed-assignment-4-written.md", SEED_DOC.read_text(encoding="utf-8"))


def test_a_document_that_is_not_answers_says_why(page: Any, live_server: LiveServer, tmp_path: Path) -> None:
    live_server.create_user("noise@example.com", "student")
    _login(page, live_server, "noise@example.com")
    page.get_by_role("link", name="Assignment 4, Written Part", exact=True).click()  # not its variant edition
    empty = tmp_path / "empty.md"
    empty.write_text("   \n")
    page.set_input_files("#document-file", str(empty))
    page.click("#read-document")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "the document is empty" in alert.inner_text()
    assert page.locator("#document-found").count() == 0
