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
