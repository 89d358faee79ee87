"""Helpers shared by the browser tests of the student form and the dashboard (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed-submission.json").read_text(encoding="utf-8"))["answers"]
KEY = "assignment-4"
INSTRUCTOR = "instructor@example.com"


def login(page: Any, server: Any, email: str) -> None:
    """Log in (creating the student when new) and land on the home page."""
    if email not in server.tokens:
        server.create_user(email, "student")
    page.goto(server.url + "/login")
    page.fill("#email", email)
    page.fill("#password", server.password)
    page.click("form.card button[type=submit]")
    page.wait_for_url(server.url + "/")


def open_form(page: Any, server: Any, email: str) -> None:
    login(page, server, email)
    page.goto(f"{server.url}/assignments/{KEY}")
    page.wait_for_selector("#answers-form")
    page.wait_for_function("() => document.querySelector('[data-field]') && "
                           "document.querySelector('[data-field]')._stored !== undefined")


def submit_by_api(server: Any, email: str, answers: dict[str, Any]) -> int:
    token = server.tokens.get(email) or server.create_user(email, "student")
    r = requests.post(f"{server.url}/api/v1/assignments/{KEY}/submissions", json={"answers": answers},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 202, r.text
    return int(r.json()["id"])


def wait_graded(server: Any, email: str, submission_id: int, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = requests.get(f"{server.url}/api/v1/submissions/{submission_id}",
                         headers={"Authorization": f"Bearer {server.tokens[email]}"}, timeout=30)
        if r.json().get("status") == "graded":
            return r.json()
        time.sleep(0.5)  # polling a worker in another process: the test waits for its event
    raise AssertionError(f"submission {submission_id} not graded within {timeout} s")


def submissions_of(server: Any, email: str) -> list[dict[str, Any]]:
    """The student's submissions, as the instructor's API lists them."""
    token = server.tokens.get(INSTRUCTOR)
    r = requests.get(f"{server.url}/api/v1/assignments/{KEY}/submissions", params={"student": email},
                     headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def fill_table(page: Any, qid: str, value: Any) -> None:
    """Type a table answer cell by cell (rows after the pre-filled input rows are overwritten)."""
    if isinstance(value, list):
        for i, row in enumerate(value):
            page.fill(f'[id="{qid}-name-{i}"]', row["name"])
            page.fill(f'[id="{qid}-expr-{i}"]', row["expr"])
            page.fill(f'[id="{qid}-value-{i}"]', str(row["value"]))
    else:
        for i, (name, adjoint) in enumerate(value.items()):
            page.fill(f'[id="{qid}-name-{i}"]', name)
            page.fill(f'[id="{qid}-adjoint-{i}"]', str(adjoint))
