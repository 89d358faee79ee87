"""Issue 12, output: a student's free-text answer must not make instructors' browsers load
anything (a remote image is a tracking pixel: who graded, when, from which address)."""

from __future__ import annotations

import re
from typing import Any


HOSTILE = ('Because ![chart](https://tracker.example/pixel.png?who=teacher) and '
           '<img src="https://tracker.example/raw.png"> <iframe src="https://tracker.example/frame"></iframe> '
           '<script>alert(1)</script> [link](https://example.org/ok) ![x][ref]\n\n'
           '[ref]: https://tracker.example/ref.png')


def _loading_urls(html: str) -> list[str]:
    """URLs the browser would fetch by itself: src/srcset/data/background/poster attributes of real tags
    (escaped text such as ``&lt;img src=...&gt;`` is only shown)."""
    tags = re.findall(r"<[A-Za-z][^<>]*>", html)
    return [url for tag in tags
            for url in re.findall(r'\b(?:src|srcset|data|background|poster)\s*=\s*"([^"]*)"', tag, re.IGNORECASE)]


def test_a_free_text_answer_loads_nothing_on_instructor_pages(site: dict[str, Any], login: Any,
                                                             grade_all: Any) -> None:
    student = site["app"].test_client()
    made = student.post("/api/v1/assignments/hw1/submissions", json={"answers": {"q1": "2*x", "why": HOSTILE}},
                        headers={"Authorization": f"Bearer {site['tokens']['alice']}"})
    assert made.status_code == 202, made.get_json()
    grade_all(site)
    teacher = site["app"].test_client()
    assert login(teacher, "teacher").status_code == 302
    pages = [teacher.get(f"/submissions/{made.get_json()['id']}"), teacher.get("/instructor/assignments/hw1")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert not [u for u in _loading_urls(html) if "tracker.example" in u], html
        assert "<iframe" not in html and "<script>alert" not in html
    assert "image not shown: chart" in pages[0].get_data(as_text=True)
    assert 'rel="nofollow noopener noreferrer" href="https://example.org/ok"' in pages[0].get_data(as_text=True)
