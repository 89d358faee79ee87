"""Feedback formulas are drawn as MathML (they were plain ASCII), and all text stays escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.services.checks import revealed_key
from grader.web.feedback_math import feedback_html


def test_a_derivative_and_subscripted_names_become_math() -> None:
    html = feedback_html("The chain rule has a third factor: da_i/dw = x_i.")
    assert html.count("<math") == 2 and "<mfrac>" in html and "<msub>" in html
    assert html.startswith("The chain rule has a third factor: ")


def test_a_span_in_backticks_is_drawn_as_typed() -> None:
    html = feedback_html("row v_2 (`1/(v_1 - v_1) + x`) is undefined")
    assert "`" not in html and "<mfrac>" in html
    ET.fromstring(f"<p>{html}</p>")  # well-formed


def test_text_is_escaped_and_unreadable_code_stays_code() -> None:
    html = feedback_html("<script>alert(1)</script> and `((`")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<code>((</code>" in html
    assert feedback_html(None) == "" and feedback_html("") == ""


def test_the_key_is_revealed_only_when_no_attempts_are_left() -> None:
    q = {"id": "3", "type": "ad_table", "key": {"rows": [], "adjoints": {"v_1": -7}}}
    assert revealed_key(q, None) is None  # unlimited attempts and not past due: never
    assert revealed_key(q, 2) is None
    assert revealed_key(q, 0) == q["key"]
    assert revealed_key({"type": "expression", "key": "x_i"}, 0) == "x_i"
    assert revealed_key({"type": "piecewise", "cases": [{"value": "0", "when": "x < 1"}]}, 0)[0]["value"] == "0"
