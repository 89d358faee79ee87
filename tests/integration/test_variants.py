"""Per-student variants through the API and the grading service, on PostgreSQL.

Two students of one course get their own numbers in Assignment 4's variant edition; the same
wrong answer is graded against each one's own variant; a regrade and a restart (caches dropped,
a new app) keep every student's variant; instructors preview and override a student's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.db import SessionFactory
from grader.db.models import Course, CourseVariantSeed, Enrollment, User
from grader.services.auth import issue_token
from tests.support.db import add_assignment

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
KEY = "assignment-4-variants"
# The forward table of y = x + 1/(wx + b) at x = 0.3, w = 0.5, b = 0.1.
TABLE_AT_03_05_01 = [
    {"name": "v_1", "expr": "v_{-2} v_{-1}", "value": 0.15}, {"name": "v_2", "expr": "v_1 + v_0", "value": 0.25},
    {"name": "v_3", "expr": "1/v_2", "value": 4}, {"name": "v_4", "expr": "v_{-2} + v_3", "value": 4.3},
]


@dataclass
class Course4:
    factory: SessionFactory
    settings: Any
    queue: Any
    tokens: dict[str, str]
    ids: dict[str, int]

    def client(self) -> Any:
        from grader.app import create_app

        app = create_app(self.settings, session_factory=self.factory, queue=self.queue,
                         blueprints=[("grader.api", True)])
        return app.test_client()

    def auth(self, who: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}


@pytest.fixture
def course4(committed_factory: SessionFactory, settings: Any, queue: Any) -> Course4:
    text = (ROOT / "assignments" / f"{KEY}.yaml").read_text(encoding="utf-8")
    tokens, ids = {}, {}
    with committed_factory() as db:
        course = Course(key="intro-ml", title="Intro ML", is_default=True)
        db.add(course)
        db.flush()
        db.add(CourseVariantSeed(course_id=course.id, seed="a fixed seed, so that the draws are known"))
        add_assignment(db, course, text, source_path=f"{KEY}.yaml")
        for name, role in [("teacher", "instructor"), ("alice", "student"), ("bob", "student")]:
            user = User(email=f"{name}@example.com")
            db.add_all([user, Enrollment(user=user, course=course, role=role)])
            db.flush()
            tokens[name], ids[name] = issue_token(db, user), user.id
        db.commit()
    return Course4(committed_factory, settings, queue, tokens, ids)


def _view(c: Course4, client: Any, who: str) -> dict[str, Any]:
    resp = client.get(f"/api/v1/assignments/{KEY}", headers=c.auth(who))
    assert resp.status_code == 200, resp.json
    return resp.json


def _forget_everything() -> None:
    """What a restart loses: every in-process cache of assignments and variants."""
    from grader.assignments.variants import instantiate
    from grader.services import compiled_assignments, grading

    instantiate._cached.cache_clear()
    compiled_assignments.compiled_assignment.cache_clear()  # the catalog's and the grader's, one cache
    grading._merged.cache_clear()
    grading._variant_merged.cache_clear()


def test_two_students_get_their_own_numbers_and_keep_them(course4: Course4) -> None:
    client = course4.client()
    alice, bob = _view(course4, client, "alice"), _view(course4, client, "bob")
    assert alice["variant"] != bob["variant"]
    for view in (alice, bob):
        q3 = next(q for q in view["questions"] if q["id"] == "3-forward")
        point = view["variant"]["parameters"]
        assert q3["point"] == {"x": point["x0"], "w": point["w0"], "b": point["b0"]}
        assert f"at $x = {_num(point['x0'])}, w = {_num(point['w0'])}, b = {_num(point['b0'])}$" in q3["prompt"]
        assert all("{{" not in q["prompt"] for q in view["questions"])
    assert _view(course4, client, "alice") == alice          # every page load
    _forget_everything()
    assert _view(course4, course4.client(), "alice") == alice   # after a restart


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _submit(c: Course4, client: Any, who: str, answers: dict[str, Any]) -> int:
    resp = client.post(f"/api/v1/assignments/{KEY}/submissions", json={"answers": answers},
                       headers=c.auth(who, **{"Idempotency-Key": f"{who}-1"}))
    assert resp.status_code == 202, resp.json
    return resp.json["id"]


def _results(c: Course4, client: Any, who: str, sid: int) -> dict[str, Any]:
    return client.get(f"/api/v1/submissions/{sid}", headers=c.auth(who)).json["questions"]


def test_the_same_wrong_answer_is_graded_against_each_students_variant(course4: Course4) -> None:
    from grader.services.grading import grade_submission_by_id
    from grader.services.regrading import regrade_assignment, regrade_submission_by_id
    from grader.services.verdict_cache import MemoryCache

    client = course4.client()
    teacher = course4.auth("teacher")
    put = client.put(f"/api/v1/assignments/{KEY}/variants/{course4.ids['alice']}", headers=teacher,
                     json={"parameters": {"x0": 0.3, "w0": 0.5, "b0": 0.1}, "questions": {"1b": {"act": "tanh"}}})
    assert put.status_code == 200, put.json
    assert put.json["overridden"] and put.json["variant"]["parameters"]["den"] == 0.25
    put = client.put(f"/api/v1/assignments/{KEY}/variants/{course4.ids['bob']}", headers=teacher,
                     json={"parameters": {"x0": 0.5, "w0": 1, "b0": 0.2}, "questions": {"1b": {"act": "logistic"}}})
    assert put.status_code == 200, put.json
    same = {"1b": "1 + tanh(a_i)^2", "3-forward": TABLE_AT_03_05_01}
    subs = {who: _submit(course4, client, who, same) for who in ("alice", "bob")}
    cache = MemoryCache()   # one cache for both: a verdict of one variant must not serve the other
    for sid in subs.values():
        assert grade_submission_by_id(course4.factory, sid, settings=course4.settings, cache=cache)

    def check() -> None:
        a, b = (_results(course4, client, who, subs[who]) for who in ("alice", "bob"))
        assert a["3-forward"]["verdict"] == "correct"
        assert b["3-forward"]["verdict"] == "incorrect"
        assert "The value of v_1 = 0.15 is not right." in b["3-forward"]["feedback"]  # the key stays hidden
        assert a["1b"]["verdict"] == b["1b"]["verdict"] == "incorrect"
        assert "the derivative of tanh(u) is 1 - tanh(u)^2" in a["1b"]["feedback"]
        assert "tanh(u)" not in b["1b"]["feedback"]

    check()
    _forget_everything()          # a restart, then a regrade: the same variants, the same grades
    resp = client.post(f"/api/v1/assignments/{KEY}/regrade", headers=teacher)
    assert resp.status_code == 202
    job = resp.json["job_id"]
    for sid in regrade_assignment(course4.factory, job):
        assert regrade_submission_by_id(course4.factory, job, sid, settings=course4.settings, cache=cache)
    check()


def test_instructors_preview_and_override_students_may_not(course4: Course4) -> None:
    client = course4.client()
    url = f"/api/v1/assignments/{KEY}/variants/{course4.ids['bob']}"
    own = _view(course4, client, "bob")
    preview = client.get(url, headers=course4.auth("teacher")).json
    assert preview["variant"] == own["variant"] and preview["questions"] == own["questions"]
    assert preview["overridden"] is False and preview["student"]["email"] == "bob@example.com"
    assert client.get(url, headers=course4.auth("alice")).status_code == 403
    bad = client.put(url, headers=course4.auth("teacher"), json={"parameters": {"x0": 0.5, "w0": 1, "b0": -0.5}})
    assert bad.status_code == 422 and "abs(den) >= 0.1" in bad.json["error"]
    bad = client.put(url, headers=course4.auth("teacher"), json={"questions": {"1b": {"act": "relu"}}})
    assert bad.status_code == 422 and "'relu' is not one of the choices" in bad.json["error"]
    assert client.get(url, headers=course4.auth("teacher")).json["overridden"] is False
    client.put(url, headers=course4.auth("teacher"), json={"questions": {"1b": {"act": "softplus"}}})
    assert _view(course4, client, "bob")["variant"]["questions"]["1b"]["act"]["name"] == "softplus"
    assert _view(course4, client, "bob")["variant"]["parameters"] == own["variant"]["parameters"]
    cleared = client.delete(url, headers=course4.auth("teacher")).json
    assert cleared["overridden"] is False and cleared["variant"] == own["variant"]


def test_the_dashboard_groups_one_mistake_across_variants_and_a_table_per_variant(course4: Course4) -> None:
    from grader.services.dashboard_actions import dashboard_data
    from grader.services.grading import grade_submission_by_id

    client = course4.client()
    teacher = course4.auth("teacher")
    for who, point, act in [("alice", (0.3, 0.5, 0.1), "tanh"), ("bob", (0.5, 1, 0.2), "logistic")]:
        resp = client.put(f"/api/v1/assignments/{KEY}/variants/{course4.ids[who]}", headers=teacher, json={
            "parameters": dict(zip(("x0", "w0", "b0"), point, strict=True)), "questions": {"1b": {"act": act}}})
        assert resp.status_code == 200, resp.json
    sign_errors = {"alice": "tanh(a_i)^2 - 1", "bob": "-exp(-a_i)/(1 + exp(-a_i))^2"}
    for who in ("alice", "bob"):
        sid = _submit(course4, client, who, {"1b": sign_errors[who], "3-forward": TABLE_AT_03_05_01[:2]})
        assert grade_submission_by_id(course4.factory, sid, settings=course4.settings)
    with course4.factory() as session:
        teacher_user = session.get(User, course4.ids["teacher"])
        wrong = dashboard_data(session, teacher_user, KEY).wrong
    (sign,) = wrong["1b"]
    assert (sign.count, sign.students, sign.parameter_variants) == (2, 2, 2)
    assert [g.parameter_variants for g in wrong["3-forward"]] == [1, 1]   # the same table, two points


def _table_at(x: float, w: float, b: float) -> list[dict[str, Any]]:
    v1 = x * w
    v2 = v1 + b
    return [{"name": "v_1", "expr": "v_{-2} v_{-1}", "value": v1}, {"name": "v_2", "expr": "v_1 + v_0", "value": v2},
            {"name": "v_3", "expr": "1/v_2", "value": 1 / v2}, {"name": "v_4", "expr": "v_{-2} + v_3", "value": x + 1 / v2}]


def test_a_drawn_variant_is_graded_and_regraded_at_the_numbers_the_student_was_shown(course4: Course4) -> None:
    from grader.services.grading import grade_submission_by_id
    from grader.services.regrading import regrade_assignment, regrade_submission_by_id

    client = course4.client()
    subs = {}
    for who in ("alice", "bob"):
        shown = _view(course4, client, who)["variant"]["parameters"]
        subs[who] = _submit(course4, client, who, {"3-forward": _table_at(shown["x0"], shown["w0"], shown["b0"])})
        assert grade_submission_by_id(course4.factory, subs[who], settings=course4.settings)
    for who in ("alice", "bob"):
        assert _results(course4, client, who, subs[who])["3-forward"]["verdict"] == "correct"
    _forget_everything()
    job = client.post(f"/api/v1/assignments/{KEY}/regrade", headers=course4.auth("teacher")).json["job_id"]
    for sid in regrade_assignment(course4.factory, job):
        assert regrade_submission_by_id(course4.factory, job, sid, settings=course4.settings)
    for who in ("alice", "bob"):
        assert _results(course4, client, who, subs[who])["3-forward"]["verdict"] == "correct"


def test_loading_a_parameterised_file_makes_the_courses_seed_once(committed_factory: SessionFactory) -> None:
    from sqlalchemy import select

    from grader.services.catalog import load_assignment_file

    path = ROOT / "assignments" / f"{KEY}.yaml"
    with committed_factory() as db:
        version = load_assignment_file(db, path)
        db.commit()
        course_id = version.assignment.course_id
        seed = db.scalar(select(CourseVariantSeed.seed).where(CourseVariantSeed.course_id == course_id))
        assert seed and len(seed) == 64
        load_assignment_file(db, path)   # loading again (a restart) keeps it
        db.commit()
        assert db.scalar(select(CourseVariantSeed.seed).where(CourseVariantSeed.course_id == course_id)) == seed
