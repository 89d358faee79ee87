"""Inline SVG charts drawn by the server (no JavaScript, no CDN).

>>> svg = histogram_svg([1, 3, 0], ["0-1", "1-2", "2-3"], title="Scores")
>>> svg.startswith("<svg") and 'role="img"' in svg and "Scores" in svg
True
"""

from __future__ import annotations

from html import escape
from typing import Any, Sequence

WIDTH = 560
HEIGHT = 240
MARGIN_LEFT = 40
MARGIN_BOTTOM = 44
MARGIN_TOP = 40  # the title's own row: a count above the tallest bar never reaches it
MARGIN_RIGHT = 12


def histogram_svg(counts: Sequence[int], labels: Sequence[str], *, title: str = "",
                  x_label: str = "score", y_label: str = "students",
                  edges: Sequence[float] | None = None) -> str:
    """An accessible bar chart: one ``<rect>`` per bin, each with a ``<title>`` tooltip.

    The chart has ``role="img"`` and an ``aria-label`` summarising every bar, so a screen
    reader gets the data, not just "image". With ``edges`` (the bins' bounds, one more than
    the bins) the axis is numbered at the bounds instead of under each bar. A count is drawn
    inside its bar when the bar is tall enough, so labels stay inside the plot.
    """
    if len(counts) != len(labels):
        raise ValueError("counts and labels differ in length")
    n = max(1, len(counts))
    peak = max([*counts, 1])
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bar_w = plot_w / n
    summary = "; ".join(f"{lab}: {c}" for lab, c in zip(labels, counts))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart histogram" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-label="{escape(title or "histogram")}. {escape(summary)}">',
    ]
    if title:
        parts.append(f'<text class="chart-title" x="{WIDTH / 2:.0f}" y="16" text-anchor="middle">'
                     f"{escape(title)}</text>")
    base_y = MARGIN_TOP + plot_h
    for tick in _ticks(peak):
        y = base_y - plot_h * tick / peak
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
                     f'y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    for i, (count, label) in enumerate(zip(counts, labels)):
        h = plot_h * count / peak
        x = MARGIN_LEFT + i * bar_w
        parts.append(
            f'<rect class="bar" x="{x + 2:.1f}" y="{base_y - h:.1f}" width="{max(bar_w - 4, 1):.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {count}</title></rect>'
        )
        if count:
            inside = h >= 20
            parts.append(f'<text class="count{" inside" if inside else ""}" x="{x + bar_w / 2:.1f}" '
                         f'y="{base_y - h + 15 if inside else base_y - h - 4:.1f}" text-anchor="middle">{count}</text>')
        if edges is None:
            parts.append(f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{base_y + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    if edges is not None:
        if len(edges) != len(counts) + 1:
            raise ValueError("edges must have one more entry than counts")
        for i, edge in enumerate(edges):
            x = MARGIN_LEFT + i * bar_w
            parts.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{base_y}" y2="{base_y + 4}"/>')
            parts.append(f'<text class="tick" x="{x:.1f}" y="{base_y + 16}" text-anchor="middle">{edge:g}</text>')
    parts.append(f'<line class="axis" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
                 f'y1="{base_y}" y2="{base_y}"/>')
    parts.append(f'<text class="axis-label" x="{MARGIN_LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" '
                 f'text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text class="axis-label" x="12" y="{MARGIN_TOP + plot_h / 2:.0f}" '
                 f'text-anchor="middle" transform="rotate(-90 12 {MARGIN_TOP + plot_h / 2:.0f})">'
                 f"{escape(y_label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bins_svg(bins: Sequence[Any], *, title: str = "") -> str:
    """``histogram_svg`` for objects with ``count`` and ``label`` (``dashboard.ScoreBin``)."""
    edges = [b.low for b in bins] + [bins[-1].high] if bins else None
    return histogram_svg([b.count for b in bins], [b.label for b in bins], title=title, edges=edges)


def _ticks(peak: int) -> list[int]:
    """Up to five whole-number gridlines from 0 to ``peak``."""
    step = max(1, -(-peak // 4))
    return list(range(0, peak + 1, step))
