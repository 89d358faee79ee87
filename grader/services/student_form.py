"""The assignment form's memory: the latest answer to each question, the AD-table input rows
filled in for the student, and which posted answers actually changed (only those can cost an
attempt).

Framework-free: the page blueprint calls these and renders the result.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from grader.services.errors import InvalidRequest


def latest_answers(subs: Sequence[Any]) -> dict[str, Any]:
    """question id -> the newest answer given to it (``subs`` newest first, as
    ``student_pages.past_submissions`` returns them)."""
    out: dict[str, Any] = {}
    for s in subs:
        for qid, value in (s.answers or {}).items():
            out.setdefault(str(qid), value)
    return out


def input_rows(question: Mapping[str, Any]) -> list[dict[str, str]]:
    """The rows of an AD table's inputs as the usual numbering names them (``v_{-2} = x``),
    with their values at the question's point (forward part) or empty adjoints."""
    from grader.assignments.ad_graph import conventional_name

    inputs = [str(x) for x in question.get("inputs") or ()]
    point = question.get("point") or {}
    rows = []
    for k, x in enumerate(inputs):
        name = conventional_name(k, len(inputs))
        if question.get("part") == "adjoint":
            rows.append({"name": name, "adjoint": ""})
        else:
            value = point.get(x) if isinstance(point, Mapping) else None
            rows.append({"name": name, "expr": x, "value": "" if value is None else f"{value:g}"})
    return rows


def prefilled_answer(question: Mapping[str, Any]) -> Any:
    """What a table holding only its pre-filled input rows posts (never an answer of its own)."""
    rows = input_rows(question)
    if question.get("part") == "adjoint":
        return None  # names only: the form leaves rows without an adjoint out
    return [{"name": r["name"], "expr": r["expr"], "value": r["value"] or None} for r in rows]


def changed_answers(answers: Mapping[str, Any], questions: Sequence[Mapping[str, Any]],
                    subs: Sequence[Any]) -> dict[str, Any]:
    """The posted answers that differ from the student's latest answer to each question (or, for
    a table never answered, from its pre-filled rows). ``InvalidRequest`` when nothing changed."""
    latest = latest_answers(subs)
    by_id = {str(q["id"]): q for q in questions}
    out = {}
    for qid, value in answers.items():
        before = latest.get(qid)
        if before is None and by_id.get(qid, {}).get("type") == "ad_table":
            before = prefilled_answer(by_id[qid])
        if not same_answer(value, before):
            out[qid] = value
    if answers and not out:
        raise InvalidRequest("Nothing changed since your last submission: no attempt was used.")
    return out


def submitted_answers(answers: Mapping[str, Any], questions: Sequence[Mapping[str, Any]],
                      subs: Sequence[Any]) -> dict[str, Any]:
    """What a form submit stores: the changed answers on top of the latest answer to every other
    question. The newest submission stays the whole assignment (scores and the gradebook read
    it), and an answer carried over unchanged is no attempt (``student_pages.attempts_used``)."""
    changed = changed_answers(answers, questions, subs)
    ids = {str(q["id"]) for q in questions}
    kept = {qid: v for qid, v in latest_answers(subs).items() if qid in ids}
    return {**kept, **changed}


def same_answer(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_row(x) == _row(y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        b = b.get("adjoints", b)
        return {str(k): _text(v) for k, v in a.items()} == {str(k): _text(v) for k, v in b.items() if k != "rows"}
    return False


def _row(r: Any) -> tuple[str, str, str]:
    r = r if isinstance(r, Mapping) else {}
    return _text(r.get("name")), _text(r.get("expr")), _text(r.get("value"))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v).strip()
