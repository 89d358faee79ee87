"""Free-text answers shown to instructors: the prompt renderer (Markdown, math, raw HTML escaped,
unsafe URL schemes dropped) minus anything that loads by itself. A student's ``![x](https://...)``
would make every instructor's browser fetch that URL (a tracking pixel: who looked, when, from
where); it becomes a plain, inert mention of the image. Links stay, but never send a referrer.

>>> render_free_text("see ![plot](https://evil.example/p.png)")
'<p>see <span class="image-not-shown">[image not shown: plot, https://evil.example/p.png]</span></p>'
"""

from __future__ import annotations

import re
from html import escape, unescape

from grader.web.mathml import render_prompt

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'\b(?P<name>alt|src)="(?P<value>[^"]*)"', re.IGNORECASE)
_LINK = re.compile(r"<a\b(?![^>]*\brel=)", re.IGNORECASE)


def _inert_image(match: re.Match[str]) -> str:
    attrs = {m.group("name").lower(): unescape(m.group("value")) for m in _ATTR.finditer(match.group(0))}
    described = ", ".join(v for v in (attrs.get("alt", ""), attrs.get("src", "")) if v)
    return f'<span class="image-not-shown">[image not shown{": " if described else ""}{escape(described)}]</span>'


def render_free_text(source: str) -> str:
    """HTML for a free-text answer: no images, no raw HTML, links with ``rel="nofollow noopener noreferrer"``."""
    html = _IMG.sub(_inert_image, render_prompt(source))
    return _LINK.sub('<a rel="nofollow noopener noreferrer"', html)
