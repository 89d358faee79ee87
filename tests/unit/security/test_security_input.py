"""Issue 12, input: deeply nested JSON is a 400 on every endpoint that reads a body (the LMS
inbound webhook answered 500); a non-string answer is a 422 (it was stored, then two pages
answered 500)."""

from __future__ import annotations

import re
from typing import Any

import pytest

DEEP = "[" * 100_000 + "]" * 100_000


def _fill(rule: str) -> str:
    rule = re.sub(r"<int:[^>]+>", "999999", rule)  # no such row: a DELETE must not revoke our own token
    rule = re.sub(r"<(?:string:)?course>", "c1", rule)
    return re.sub(r"<[^>]+>", "hw1", rule)


def test_deeply_nested_json_is_never_a_500_and_a_400_wherever_json_is_read(site: dict[str, Any]) -> None:
    app = site["app"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {site['tokens']['teacher']}", "Content-Type": "application/json"}
    statuses: dict[str, int] = {}
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            response = client.open(_fill(rule.rule), method=method, data=DEEP, headers=headers)
            statuses[f"{method} {rule.rule}"] = response.status_code
    assert statuses and not [k for k, v in statuses.items() if v >= 500], statuses
    for route in ("POST /api/v1/lms/submissions", "POST /api/v1/lms/courses/<course>/webhooks",
                  "POST /api/v1/lms/courses/<course>/lti-platforms", "POST /api/v1/validate",
                  "POST /api/v1/assignments/<key>/submissions"):
        assert statuses[route] == 400, (route, statuses[route])


@pytest.mark.parametrize("value", [5, 2.5, None, True, ["2*x"], {"expr": "2*x"}])
@pytest.mark.parametrize("qid", ["q1", "why"])
def test_a_non_string_answer_to_a_text_question_is_a_422_and_not_stored(site: dict[str, Any], qid: str,
                                                                       value: Any) -> None:
    from grader.db.models import Submission

    client = site["app"].test_client()
    response = client.post("/api/v1/assignments/hw1/submissions", json={"answers": {qid: value}},
                           headers={"Authorization": f"Bearer {site['tokens']['alice']}"})
    assert response.status_code == 422, response.get_json()
    with site["factory"]() as s:
        assert s.query(Submission).count() == 0


def test_a_multipart_part_without_a_name_is_not_a_500(site: dict[str, Any]) -> None:
    """Found by Schemathesis on the documents route: a form part with no ``name`` is the key None
    in werkzeug's form, and the NUL-character guard raised a TypeError (500) on it."""
    body = (b'--XX\r\nContent-Disposition: form-data\r\n\r\nnull\r\n'
            b'--XX\r\nContent-Disposition: form-data; name="file"; filename="hw1.md"\r\n\r\n## q1\r\n\r\n$2x$\r\n'
            b'--XX--\r\n')
    response = site["app"].test_client().post(
        "/api/v1/assignments/hw1/documents", data=body, content_type="multipart/form-data; boundary=XX",
        headers={"Authorization": f"Bearer {site['tokens']['alice']}"})
    assert response.status_code == 200, response.get_json()
    assert "q1" in response.get_json()["answers"]
