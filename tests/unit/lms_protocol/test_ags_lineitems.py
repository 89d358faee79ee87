"""AGS line item changes (``grader.lms_protocol.ags_lineitems``): what a PUT sends, what is refused."""

from __future__ import annotations

import doctest
from typing import Any

import pytest

from grader.lms_protocol import ags_lineitems
from grader.lms_protocol.ags_lineitems import LineItemError, changed_lineitem

CURRENT = {"id": "https://lms.test/li/1", "label": "HW 1", "scoreMaximum": 3, "resourceId": "hw1",
           "resourceLinkId": "rl-1", "tag": "t"}


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(ags_lineitems).failed == 0


@pytest.mark.parametrize(("changes", "expected"), [
    ({"label": "Homework 1"}, {**CURRENT, "label": "Homework 1"}),
    ({"scoreMaximum": 2.5}, {**CURRENT, "scoreMaximum": 2.5}),
    ({"tag": None, "resourceId": None}, {k: v for k, v in CURRENT.items() if k not in ("tag", "resourceId")}),
    ({**CURRENT, "label": "x"}, {**CURRENT, "label": "x"}),  # the item read back, sent again with a change
    ({"startDateTime": "2026-12-01T00:00:00+00:00", "endDateTime": "2026-12-01T00:00:00Z"},
     {**CURRENT, "startDateTime": "2026-12-01T00:00:00+00:00", "endDateTime": "2026-12-01T00:00:00Z"}),
])
def test_changes_are_merged_into_the_whole_line_item(changes: dict[str, Any], expected: dict[str, Any]) -> None:
    assert changed_lineitem(CURRENT, changes) == expected


@pytest.mark.parametrize(("changes", "message"), [
    ({}, "nothing to change"),
    ({"id": "https://elsewhere.test/li/9", "label": "x"}, '"id" is the platform\'s'),
    ({"resourceLinkId": "rl-2"}, '"resourceLinkId" is the platform\'s'),
    ({"scoreMaximum": float("inf")}, '"scoreMaximum"'),
    ({"scoreMaximum": -1}, '"scoreMaximum"'),
    ({"scoreMaximum": "3"}, '"scoreMaximum"'),
    ({"label": None}, '"label" must be a non-empty string'),
    ({"label": "x" * 256}, "at most 255"),
    ({"resourceId": ["a"]}, '"resourceId" must be a string or null'),
    ({"startDateTime": 20261201}, '"startDateTime" must be an ISO 8601'),
    ({"endDateTime": "2026-13-01T00:00:00Z"}, '"endDateTime" must be an ISO 8601'),
    ({"startDateTime": "2026-12-02T00:00:00Z", "endDateTime": "2026-12-01T21:00:00-02:00"}, "must not be before"),
    ({"scoreGiven": 1}, "unknown field(s) scoreGiven"),
])
def test_invalid_changes_name_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(LineItemError) as caught:
        changed_lineitem(CURRENT, changes)
    assert message in str(caught.value)
