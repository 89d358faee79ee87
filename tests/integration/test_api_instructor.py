"""Instructor routes: listing with filters and pages, statistics, CSV gradebook, regrade jobs."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from grader.services.hand_grades import carried_grade
from grader.db.queries import grading as q
from grader.db.base import utcnow
from grader.db.models import GradingResult, RegradeJob, Submission
from grader.services import regrading
from grader.services.verdict_cache import MemoryCache

pytestmark = pytest.mark.integration

BASE = "/api/v1/assignments/hw1"


def submit(client: Any, world: Any, who: str, answers: dict[str, str]) -> int:
    resp = client.post(f"{BASE}/submissions", json={"answers": answers}, headers=world.auth(who))
    assert resp.status_code == 202, resp.json
    return resp.json["id"]


def grade(world: Any, sid: int, verdicts: dict[str, str]) -> None:
    """Store results through the worker's queries (q1 worth 2, q2 worth 1)."""
    worth = {"q1": 2, "q2": 1}
    fence = q.claim(world.session, sid, now=utcnow(), lease_s=60)
    assert fence is not None
    rows = [q.ResultRow(qid, v, worth[qid] if v == "correct" else 0, worth[qid], "", "test", 0)
            for qid, v in verdicts.items()]
    version_id = world.session.get(Submission, sid).assignment_version_id
    assert q.save_graded(world.session, sid, version_id, rows, fence=fence, grader_version="test", now=utcnow(),
                         carry=carried_grade)
    world.session.commit()


@pytest.fixture
def graded(client: Any, world: Any) -> dict[str, int]:
    """alice: wrong then right; bob: invalid q1; carol: nothing submitted."""
    ids = {
        "alice1": submit(client, world, "alice", {"q1": "2*p_i", "q2": "x_i"}),
        "alice2": submit(client, world, "alice", {"q1": "2*p_i - 2*y_i", "q2": "x_i"}),
        "bob": submit(client, world, "bob", {"q1": "2*(p_i"}),
    }
    grade(world, ids["alice1"], {"q1": "incorrect", "q2": "correct"})
    grade(world, ids["alice2"], {"q1": "correct", "q2": "correct"})
    grade(world, ids["bob"], {"q1": "invalid", "q2": "unanswered"})
    return ids


def test_students_and_other_instructors_cannot_use_instructor_routes(client: Any, world: Any) -> None:
    for path in ("/submissions", "/stats", "/gradebook.csv"):
        resp = client.get(BASE + path, headers=world.auth("alice"))
        assert resp.status_code == 403 and resp.json == {"error": "instructors only"}
        assert client.get(BASE + path, headers=world.auth("eve")).status_code == 404
    assert client.post(f"{BASE}/regrade", headers=world.auth("alice")).status_code == 403


def test_submissions_are_listed_newest_first_with_filters_and_pages(client: Any, world: Any, graded: dict) -> None:
    body = client.get(f"{BASE}/submissions", headers=world.auth("teacher")).json
    assert body["total"] == 3 and [s["id"] for s in body["items"]] == [graded["bob"], graded["alice2"], graded["alice1"]]
    assert body["items"][0]["user"] == "bob@example.com" and body["items"][1]["total"] == 3
    page = client.get(f"{BASE}/submissions?limit=2&offset=0", headers=world.auth("teacher")).json
    assert len(page["items"]) == 2 and page["next_offset"] == 2 and page["total"] == 3
    last = client.get(f"{BASE}/submissions?limit=2&offset=2", headers=world.auth("teacher")).json
    assert [s["id"] for s in last["items"]] == [graded["alice1"]] and "next_offset" not in last
    mine = client.get(f"{BASE}/submissions?student=alice@example.com", headers=world.auth("teacher")).json
    assert mine["total"] == 2
    queued = client.get(f"{BASE}/submissions?status=queued", headers=world.auth("teacher")).json
    assert queued["total"] == 0
    for bad in ("limit=0", "limit=abc", "offset=-1", "status=lost"):
        resp = client.get(f"{BASE}/submissions?{bad}", headers=world.auth("teacher"))
        assert resp.status_code == 400 and resp.json["error"]


def test_stats_count_current_results_per_question(client: Any, world: Any, graded: dict) -> None:
    body = client.get(f"{BASE}/stats", headers=world.auth("teacher")).json
    q1, q2 = body["questions"]
    assert q1 == {"question_id": "q1", "count": 3, "percent_correct": 33.33, "mean_points": 0.6667,
                  "max_points": 2, "invalid_rate": 0.3333, "unanswered_rate": 0.0}
    assert q2["count"] == 3 and q2["percent_correct"] == 66.67 and q2["unanswered_rate"] == 0.3333


def test_the_gradebook_has_one_row_per_student_with_the_latest_submission(
    client: Any, world: Any, graded: dict
) -> None:
    resp = client.get(f"{BASE}/gradebook.csv", headers=world.auth("teacher"))
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "hw1-gradebook.csv" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    by_email = {r["email"]: r for r in rows}
    assert list(by_email) == ["alice@example.com", "bob@example.com", "carol@example.com"]
    alice = by_email["alice@example.com"]
    assert (alice["submission_id"], alice["q1"], alice["q2"], alice["total"]) == (str(graded["alice2"]), "2", "1", "3")
    assert (by_email["bob@example.com"]["q1"], by_email["bob@example.com"]["total"]) == ("0", "0")
    assert by_email["carol@example.com"]["submission_id"] == "" and by_email["carol@example.com"]["total"] == ""


def test_regrade_creates_a_job_sends_it_and_reports_progress(
    client: Any, world: Any, graded: dict, queue: Any, db_factory: Any, settings: Any
) -> None:
    resp = client.post(f"{BASE}/regrade", headers=world.auth("teacher"))
    assert resp.status_code == 202 and resp.json["total"] == 3 and resp.json["status"] == "queued"
    job_id = resp.json["job_id"]
    assert queue.regrades == [job_id] and resp.headers["Location"] == f"/api/v1/regrade-jobs/{job_id}"
    url = f"/api/v1/regrade-jobs/{job_id}"
    assert client.get(url, headers=world.auth("teacher")).json["done"] == 0
    ids = regrading.regrade_assignment(db_factory, job_id)  # what the worker's tasks run
    assert ids == sorted(graded.values())
    for sid in ids:
        assert regrading.regrade_submission_by_id(db_factory, job_id, sid, settings=settings, cache=MemoryCache())
    body = client.get(url, headers=world.auth("teacher")).json
    assert (body["status"], body["done"], body["total"]) == ("done", 3, 3) and body["finished_at"]
    for outsider in ("alice", "eve"):
        assert client.get(url, headers=world.auth(outsider)).status_code == 404


def test_a_regrade_keeps_old_results_and_the_submission_shows_the_new(client: Any, world: Any, graded: dict) -> None:
    sid = graded["bob"]
    job = RegradeJob(assignment_id=world.version.assignment_id, total=1, status="running")
    world.session.add(job)
    world.session.flush()
    assert q.save_regraded(world.session, job.id, sid, world.version.id, [
        q.ResultRow("q1", "correct", 2, 2, "", "test", 0),
        q.ResultRow("q2", "unanswered", 0, 1, "", "test", 0),
    ], grader_version="test-2", now=utcnow(), carry=carried_grade)
    world.session.commit()
    rows = world.session.query(GradingResult).filter_by(submission_id=sid).all()
    assert len(rows) == 4 and sum(r.is_current for r in rows) == 2
    body = client.get(f"/api/v1/submissions/{sid}", headers=world.auth("bob")).json
    assert body["questions"]["q1"]["verdict"] == "correct" and body["total"] == 2


def test_regrading_an_assignment_without_submissions_is_done_at_once(client: Any, world: Any, queue: Any) -> None:
    resp = client.post(f"{BASE}/regrade", headers=world.auth("teacher"))
    assert resp.status_code == 202 and resp.json["status"] == "done" and queue.regrades == []
    assert world.session.get(RegradeJob, resp.json["job_id"]).finished_at is not None


def test_a_regrade_keeps_a_hand_grade_in_totals_and_the_csv(
    client: Any, world: Any, graded: dict, db_factory: Any, settings: Any
) -> None:
    from grader.services.dashboard_actions import grade_manually

    sid = graded["bob"]
    invalid = world.session.query(GradingResult).filter_by(submission_id=sid, question_id="q1", is_current=True).one()
    grade_manually(world.session, world.users["teacher"], invalid.id, points=1.5, comment="a typo; the idea is right")
    world.session.commit()
    job_id = client.post(f"{BASE}/regrade", headers=world.auth("teacher")).json["job_id"]
    for sub_id in regrading.regrade_assignment(db_factory, job_id):
        assert regrading.regrade_submission_by_id(db_factory, job_id, sub_id, settings=settings, cache=MemoryCache())
    body = client.get(f"/api/v1/submissions/{sid}", headers=world.auth("bob")).json
    assert body["questions"]["q1"]["method"] == "manual" and body["questions"]["q1"]["points"] == 1.5
    assert body["total"] == 1.5
    rows = csv.DictReader(io.StringIO(client.get(f"{BASE}/gradebook.csv", headers=world.auth("teacher")).text))
    bob = next(r for r in rows if r["email"] == "bob@example.com")
    assert (bob["q1"], bob["total"]) == ("1.5", "1.5")
