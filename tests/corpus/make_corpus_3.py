#!/usr/bin/env python3
"""Write tests/corpus/check-corpus-3.jsonl: issue 9's adversarial corpus, labelled independently.

    python tests/corpus/make_corpus_3.py            # rewrite the corpus
    python tests/corpus/make_corpus_3.py --check    # exit 1 if the file differs from what this makes

Every case holds its key and its answer twice: as the text the grader gets and, written by hand, as
mpmath functions (corpus3_cases_a/b). corpus3_truth evaluates those at 300 digits on a dense set of
points and decides the label; hostile and unreadable answers are labelled ``invalid`` by hand. No
part of this uses the project's parser or sympy, so the labels never come from the engine.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus3_cases_a as cases_a  # noqa: E402
import corpus3_cases_b as cases_b  # noqa: E402
from corpus3_truth import Edge, is_constant, judge  # noqa: E402

OUT = HERE / "check-corpus-3.jsonl"
# a decimal literal (0.75, .5, 2.0, 1e-3) makes the grader compare with the tolerance
_DECIMAL = re.compile(r"(?<![A-Za-z_])(\d+\.\d*|\.\d+|\d+[eE][-+]?\d+)")
SECTIONS = (cases_a.magnitude, cases_a.undefined, cases_a.sampling, cases_a.no_domain, cases_b.hostile,
            cases_b.notation, cases_b.ad_cells, cases_b.feedback, cases_b.variants)


def _domain(ctx: dict | None) -> dict:
    return {k: v for k, v in ((ctx or {}).get("domain") or {}).items()}


def label(case_id: str, expected: str, answer: str, key: Callable | None, ans: Callable | None,
          ctx: dict | None, breaks: dict | None, verdict: str | None, note: str,
          edge_ok: bool = False, infinite: bool = False) -> tuple[str, str]:
    """(verdict_expected, why) for one case."""
    if verdict is not None:
        return verdict, f"{note} (labelled by hand)"
    if infinite:
        k, a = key(), ans()
        got = "correct" if k == a else "incorrect"
        return got, f"{note}: the key is {k} and the answer {a}"
    tolerant = bool(_DECIMAL.search(answer) or _DECIMAL.search(expected)) or is_constant(key) or is_constant(ans)
    tol = float((ctx or {}).get("tolerance", 1e-6))
    try:
        got, why = judge(key, ans, _domain(ctx), breaks or {}, case_id, tolerant=tolerant, tol=tol, edge_ok=edge_ok)
    except Edge as exc:
        raise SystemExit(f"{case_id}: cannot label automatically: {exc}") from None
    rule = "tolerance 1e-6 relative" if tolerant else "exact"
    return got, f"{note}. {why}; comparison {rule}"


def build() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    counters: dict[str, int] = {}

    def add(group: str, expected: str, answer: str, key: Callable | None = None, ans: Callable | None = None,
            ctx: dict | None = None, *, note: str, breaks: dict | None = None, verdict: str | None = None,
            syntax: str | None = None, edge_ok: bool = False, infinite: bool = False) -> None:
        counters[group] = counters.get(group, 0) + 1
        case_id = f"c3-{group}-{counters[group]:03d}"
        got, why = label(case_id, expected, answer, key, ans, ctx, breaks, verdict, note, edge_ok, infinite)
        row: dict[str, Any] = {"id": case_id, "expected": expected, "answer": answer,
                               "syntax": syntax or ("latex" if "\\" in answer else "auto")}
        if ctx is not None:
            row["context"] = ctx
        row.update(verdict_expected=got, why=why, group=group)
        rows.append(row)

    for section in SECTIONS:
        section(add)
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT.name} differs from what make_corpus_3.py produces")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
