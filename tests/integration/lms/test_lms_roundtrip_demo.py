"""Issue 14's closing demonstration (tests/tools/lti_roundtrip_demo.py) runs and meets every
expectation, so the transcript it prints cannot rot: a Deep Linking round trip verified by
``lti1p3platform``, and two links in two LMS courses under one client id, each student's score
posted to the line item of the link they launched and nowhere else."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_the_roundtrip_demonstration_meets_every_expectation(pg_url: str) -> None:  # pg_url: skips without PostgreSQL
    from tests.tools.lti_roundtrip_demo import run

    lines: list[str] = []
    assert run(out=lines.append) == 0, "\n".join(lines)
    transcript = "\n".join(lines)
    assert "FAILED" not in transcript and transcript.endswith("ALL EXPECTATIONS MET")
    assert '"lti:message_type": "LtiDeepLinkingRequest"' in transcript
    assert '"lti:message_type": "LtiDeepLinkingResponse"' in transcript
    assert "lti1p3platform.validate_deeplinking_resp" in transcript
    posts = [line for line in lines if line.startswith("  POST ")]
    assert [p.rsplit("/", 5)[-5:] for p in posts] == [["ctx-1", "lineitems", "1", "lineitem", "scores"],
                                                     ["ctx-2", "lineitems", "1", "lineitem", "scores"]]
    assert "userId=stu-1 scoreGiven=3.0 scoreMaximum=3.0" in transcript
    assert "userId=stu-2 scoreGiven=2.0 scoreMaximum=3.0" in transcript


def test_the_demonstration_fails_when_a_score_does_not_arrive(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the bug the demonstration found put back (a course made from an LMS context got no score
    posts), it says FAILED and returns 1: the script's exit status means something."""
    from grader.db.queries import lms as q
    from tests.tools.lti_roundtrip_demo import run

    monkeypatch.setattr(q, "platforms_serving_course", q.platforms_of_course)
    lines: list[str] = []
    assert run(out=lines.append) == 1
    assert lines[-1].strip().startswith("FAILED: stu-1's 3/3 went to link-A's line item only")
