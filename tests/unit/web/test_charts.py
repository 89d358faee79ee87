"""The server-drawn SVG histogram."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from grader.services.dashboard import score_bins
from grader.web.charts import bins_svg, histogram_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_histogram_is_well_formed_svg_with_one_bar_per_bin() -> None:
    svg = bins_svg(score_bins([1, 2, 2, 9], 10, bins=5), title="Scores")
    root = ET.fromstring(svg)
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 5
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[1] == max(heights)
    assert root.get("role") == "img" and "Scores" in (root.get("aria-label") or "")


def test_labels_are_escaped() -> None:
    svg = histogram_svg([1], ["<b>"], title="a & b")
    ET.fromstring(svg)
    assert "<b>" not in svg


def test_empty_histogram_draws_zero_height_bars() -> None:
    root = ET.fromstring(histogram_svg([0, 0], ["a", "b"]))
    assert all(float(r.get("height", "1")) == 0 for r in root.findall(f"{SVG}rect"))


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        histogram_svg([1, 2], ["a"])
