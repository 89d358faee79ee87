"""When two answers are "the same answer": one rule for the verdict cache and for carrying a hand
grade to a later submission (docs/grading.md).

It sits outside the layers, as ``grader.verdicts`` does: ``grader.db`` applies it when it carries a
hand grade, ``grader.services`` when it keys the verdict cache.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def normalised(answer: Any) -> Any:
    """An answer compared as text: Unicode NFC, leading and trailing whitespace stripped, runs of
    whitespace collapsed to one space; lists and objects (tables) element by element.

    Two answers with equal ``normalised`` forms are "the same answer".

    >>> normalised("  2*p_i \\n -  2 y_i ") == normalised("2*p_i - 2 y_i")
    True
    """
    if isinstance(answer, str):
        return " ".join(unicodedata.normalize("NFC", answer).split())
    if isinstance(answer, dict):
        return {str(k): normalised(v) for k, v in answer.items()}
    if isinstance(answer, (list, tuple)):
        return [normalised(v) for v in answer]
    return answer
