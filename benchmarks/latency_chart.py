"""An SVG chart of submit-to-graded latency distributions (one cumulative curve per run), for
``class_bench.py``. No plotting library: a few lines of SVG on a log time axis."""

from __future__ import annotations

import math
from html import escape
from typing import Sequence

W, H, LEFT, BOTTOM, TOP, RIGHT = 720, 360, 56, 48, 28, 200
COLOURS = ("#b2182b", "#2166ac", "#ef8a62", "#67a9cf", "#762a83", "#1b7837")
T_MIN, T_MAX = 0.01, 300.0
MAX_POINTS = 300  # per curve: evenly spaced ranks keep the file small  # seconds on the axis


def _x(t: float) -> float:
    t = min(max(t, T_MIN), T_MAX)
    return LEFT + (W - LEFT - RIGHT) * math.log(t / T_MIN) / math.log(T_MAX / T_MIN)


def _y(share: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - share)


def cdf_svg(series: Sequence[tuple[str, Sequence[float]]], *, title: str) -> str:
    """``series`` is (label, latencies in seconds); each is drawn as its cumulative share graded."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" '
             f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="{LEFT}" y="16" font-size="13">{escape(title)}</text>']
    for t in (0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300):
        x = _x(t)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{H - BOTTOM}" stroke="#ddd"/>'
                     f'<text x="{x:.1f}" y="{H - BOTTOM + 14}" text-anchor="middle">{t:g} s</text>')
    for share in (0, 0.5, 0.9, 1):
        y = _y(share)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#eee"/>'
                     f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{share:.0%}</text>')
    parts.append(f'<text x="{(W - RIGHT + LEFT) / 2}" y="{H - 12}" text-anchor="middle">'
                 'submit-to-graded latency (log scale)</text>')
    for i, (label, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        ordered = sorted(values)
        n = max(1, len(ordered))
        points = [f"{_x(ordered[0] if ordered else T_MIN):.1f},{_y(0):.1f}"]
        ranks = sorted({round(j * (n - 1) / (MAX_POINTS - 1)) for j in range(MAX_POINTS)}) if ordered else []
        points += [f"{_x(ordered[k]):.1f},{_y((k + 1) / n):.1f}" for k in ranks]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}">'
                     f'<title>{escape(label)}</title></polyline>')
        y = TOP + 14 + 18 * i
        parts.append(f'<line x1="{W - RIGHT + 8}" y1="{y - 4}" x2="{W - RIGHT + 28}" y2="{y - 4}" '
                     f'stroke="{colour}" stroke-width="3"/><text x="{W - RIGHT + 32}" y="{y}">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
