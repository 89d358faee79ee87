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


def test_bins_are_named_with_their_bounds_and_the_last_is_closed() -> None:
    """Was: '0–2', '2–4': a score of 2 could be in either bin."""
    bins = score_bins([0, 2, 10], 10, bins=5)
    assert [b.label for b in bins] == ["[0, 2)", "[2, 4)", "[4, 6)", "[6, 8)", "[8, 10]"]
    root = ET.fromstring(bins_svg(bins, title="Scores"))
    ticks = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks[-6:] == ["0", "2", "4", "6", "8", "10"]  # the axis numbered at the bins' bounds
    assert "[8, 10]: 1" in (root.get("aria-label") or "")


def test_counts_stay_inside_the_plot_below_the_title() -> None:
    """Was: the tallest bar's count overlapped the title."""
    root = ET.fromstring(histogram_svg([9, 1], ["a", "b"], title="Scores"))
    title_y = float(next(t for t in root.findall(f"{SVG}text") if t.get("class") == "chart-title").get("y", "0"))
    counts = [t for t in root.findall(f"{SVG}text") if (t.get("class") or "").startswith("count")]
    assert all(float(t.get("y", "0")) > title_y + 12 for t in counts)
    tall = next(t for t in counts if t.text == "9")
    assert "inside" in (tall.get("class") or "")
