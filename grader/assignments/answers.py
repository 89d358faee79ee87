"""Reading a student's answer text: the boxed part, the final member, restated questions."""

from __future__ import annotations

import re
from typing import Any

_BOXED = "\\boxed"
# d/dx written out, as LaTeX \frac{d}{dx}, \frac{dy}{dx}, \frac{\partial ...}{\partial ...} or text d/dx
_DERIVATIVE = re.compile(
    r"\\[dt]?frac\s*\{\s*(?:d|\\partial)[^{}]*\}\s*\{\s*(?:d|\\partial)"
    r"|(?<![A-Za-z])d\s*/\s*d\s*[A-Za-z\\]"
)


def is_blank(answer: Any) -> bool:
    """No answer at all: missing, null, empty or whitespace text, an empty list or object."""
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, (list, dict)):
        return not answer
    return False


def as_text(answer: Any) -> str | None:
    """An expression answer as text (numbers are accepted); None when it is not text."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)):
        return repr(answer)
    return answer if isinstance(answer, str) else None


def boxed_parts(text: str) -> list[str]:
    """Contents of every ``\\boxed{...}``, braces balanced."""
    out, start = [], 0
    while (i := text.find(_BOXED, start)) >= 0:
        j = i + len(_BOXED)
        while j < len(text) and text[j].isspace():
            j += 1
        if j >= len(text) or text[j] != "{":
            start = j
            continue
        depth, k = 0, j
        while k < len(text):
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            if depth == 0:
                break
            k += 1
        out.append(text[j + 1:k])
        start = k + 1
    return out


def final_text(text: str) -> str:
    """The part of an answer that is graded: the last boxed part, else the last ``=`` member."""
    boxed = boxed_parts(text)
    if boxed:
        return boxed[-1]
    depth, cut = 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(ch, 0)
        if ch == "=" and depth == 0:
            cut = i + 1
    return text[cut:]


def restates_derivative(text: str) -> bool:
    """True when the graded part still contains the derivative the question asks for."""
    return bool(_DERIVATIVE.search(final_text(text)))
