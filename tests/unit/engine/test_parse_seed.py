"""Every answer in the seed assignment (assignment-4-written.md) reads as the student meant it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy
from sympy import Max, Piecewise, Symbol, exp

from grader.engine.errors import ParseError
from grader.engine.parsing import parse

p, y, a, x, w, eta = (Symbol(n, real=True) for n in ("p_i", "y_i", "a_i", "x_i", "w", "eta"))
u, b, X = (Symbol(n, real=True) for n in ("u", "b", "x"))
v_m2, v_m1, v_2 = (Symbol(n, real=True) for n in ("v_{-2}", "v_{-1}", "v_2"))

SEED = [
    # (question, answer, intended final value)
    ("1a", r"\frac{dl_i}{dp_i} = 2(y_i - p_i)(-1) = \boxed{2p_i - 2y_i}", 2 * p - 2 * y),
    ("1a-answer", r"2(y_i - p_i)(-1) = \boxed{2p_i - 2y_i}", 2 * p - 2 * y),
    ("1b", r"\frac{dp_i}{da_i} = \frac{1}{(1 + e^{-a_i})^2} (0 + e^{-a_i}) = "
           r"\frac{e^{-a_i}}{(1 + e^{-a_i})^2}", exp(-a) / (1 + exp(-a)) ** 2),
    ("1d", r"\frac{da_i}{dw} = \boxed{x_i}", x),
    ("1d-box", r"\boxed{x_i}", x),
    ("1e", r"\frac{dl_i}{dw} = \frac{dl_i}{dp_i} \cdot \frac{dp_i}{da_i} \cdot \frac{da_i}{dw}"
           r" = (2p_i - 2y_i) \left( \frac{e^{-a_i}}{(1 + e^{-a_i})^2} \right) (x_i)"
           r" = (2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)"
           r" = \boxed{2p_i^3 e^{-a_i} x_i - 3p_i^2 e^{-a_i} y_i x_i}",
     2 * p**3 * exp(-a) * x - 3 * p**2 * exp(-a) * y * x),
    ("1f", r"\lim_{p \rightarrow 0} \left[ \frac{dl_i}{dw} = 2(0)^3 e^{-a_i} x_i - "
           r"3(0)^2 e^{-a_i} (1) x_i \right] = \boxed{0}", sympy.Integer(0)),
    ("1f-text", r"\frac{dl_i}{dw} = 0", sympy.Integer(0)),
    ("2a", r"\frac{\partial l_i}{\partial a_i} = \begin{cases} \frac{\partial l_i}{\partial c_l}"
           r" \cdot \frac{\partial c_l}{\partial a_i} = (1)(-y_i) = \boxed{-y_i} & , \text{ if } "
           r"y_i a_i < 1 \\ \frac{\partial l_i}{\partial c_l} \cdot \frac{\partial c_l}"
           r"{\partial a_i} = (1)(0) = \boxed{0} & , \text{ if } y_i a_i > 1 \end{cases}",
     Piecewise((-y, y * a < 1), (0, y * a > 1))),
    ("2b", r"\frac{dl_i}{dw} = \begin{cases} \frac{\partial l_i}{\partial c_l} \cdot "
           r"\frac{\partial c_l}{\partial a_i} \cdot \frac{\partial a_i}{\partial w} + "
           r"\frac{\partial l_i}{\partial m_l} \cdot \frac{\partial m_l}{\partial w} = "
           r"(1)(-y_i)(x_i) + (1)(2w) = \boxed{-y_i x_i + 2w} & , \text{ if } y_i a_i < 1 \\ "
           r"\frac{\partial l_i}{\partial c_l} \cdot \frac{\partial c_l}{\partial a_i} \cdot "
           r"\frac{\partial a_i}{\partial w} + \frac{\partial l_i}{\partial m_l} \cdot "
           r"\frac{\partial m_l}{\partial w} = (1)(0)(x_i) + (1)(2w) = \boxed{2w} & , "
           r"\text{ if } y_i a_i > 1 \end{cases}",
     Piecewise((-y * x + 2 * w, y * a < 1), (2 * w, y * a > 1))),
    ("2c", r"\begin{aligned} w &\leftarrow w - \eta \nabla Q(w) \\ w &\leftarrow w - \eta "
           r"\left( \frac{d}{dw} (\max(0, 1 - y_i a_i) + w^2) \right) \\ w &\leftarrow "
           r"\begin{cases} w + \eta y_i x_i - \eta 2w & , \text{ if } y_i w x_i < 1 \\ "
           r"w - \eta 2w & , \text{ if } y_i w x_i > 1 \end{cases} \end{aligned}",
     Piecewise((w + eta * y * x - 2 * eta * w, y * w * x < 1), (w - 2 * eta * w, y * w * x > 1))),
    ("2d", r"w \leftarrow w + \eta y_i x_i", w + eta * y * x),
    ("def-a", r"a_i = wx_i", w * x),
    ("def-p", r"p_i = \text{logistic}(a_i) = \frac{1}{1 + e^{-a_i}} = \frac{1}{1 + e^{-wx_i}}",
     1 / (1 + exp(-w * x))),
    ("def-l", r"l_i = (y_i - p_i)^2", (y - p) ** 2),
    ("def-hinge", r"l_i = \max(0, 1 - y_i a_i) + w^2", Max(0, 1 - y * a) + w**2),
    ("def-logistic", r"\text{logistic}(u) = \frac{1}{1+e^{-u}}", 1 / (1 + exp(-u))),
    ("3", r"y = x + \frac{1}{wx + b}", X + 1 / (w * X + b)),
    ("3-v1", r"v_1 = v_{-2}v_{-1}", v_m2 * v_m1),
    ("3-adjoint", r"-\frac{v_{-2}}{v_2^2} = -\frac{0.3}{(0.25)^2} = -4.8", sympy.Rational(-24, 5)),
    ("3-adjoint-x", r"\bar{v}_{-2} = \frac{\partial y}{\partial v_4} \cdot \frac{\partial v_4}"
                    r"{\partial v_3} \cdot \frac{\partial v_3}{\partial v_2} \cdot \frac{\partial v_2}"
                    r"{\partial v_1} \cdot \frac{\partial v_1}{\partial v_{-2}} + \frac{\partial y}"
                    r"{\partial v_4} \cdot \frac{\partial v_4}{\partial v_{-2}} = (1)(1) \left( "
                    r"-\frac{1}{v_2^2} \right) (1)(v_{-2}) + (1)(1) = 1 - \frac{v_{-1}}{v_2^2} = "
                    r"1 - \frac{0.5}{(0.25)^2} = -7", sympy.Integer(-7)),
    ("3-adjoint-v2", r"\bar{v}_2 = \frac{\partial y}{\partial v_4} \cdot \frac{\partial v_4}"
                     r"{\partial v_3} \cdot \frac{\partial v_3}{\partial v_2} = (1)(1) \left[ "
                     r"\frac{\partial}{\partial v_2} \frac{1}{v_2} \right] = -\frac{1}{v_2^2} = "
                     r"-\frac{1}{(0.25)^2} = -16", sympy.Integer(-16)),
    ("3-adjoint-v4", r"\bar{v}_4 = \frac{\partial y}{\partial v_4} = \frac{\partial v_4}"
                     r"{\partial v_4} = 1", sympy.Integer(1)),
    ("3-adjoint-chain", r"(1)(1) \left( -\frac{1}{v_2^2} \right) (1)(v_{-2}) = "
                        r"-\frac{v_{-2}}{v_2^2}", -v_m2 / v_2**2),
]


ANSWER = {q: answer for q, answer, _ in SEED}


@pytest.mark.parametrize(("question", "answer", "intended"), SEED, ids=[s[0] for s in SEED])
def test_seed_answer_reads_as_the_student_meant(question, answer, intended):
    assert sympy.simplify(parse(answer).expr - intended) == 0


def test_1c_derivative_operator_is_not_an_answer():
    with pytest.raises(ParseError, match="derivative operator, not an expression"):
        parse(r"\boxed{\frac{d}{da_i}(p_i)}")


def test_1e_members_are_the_valued_steps_in_order():
    parsed = parse(ANSWER["1e"])
    assert parsed.boxed
    values = [m.expr for m in parsed.members]
    assert len(values) == 3  # the three derivative-notation members are labels
    assert sympy.simplify(values[1] - (2 * p - 2 * y) * exp(-a) * p**2 * x) == 0
    assert sympy.simplify(values[0] - (2 * p - 2 * y) * exp(-a) / (1 + exp(-a)) ** 2 * x) == 0
    assert parsed.members[1].text == r"(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)"
    source = ANSWER["1e"]
    for member in parsed.members:
        assert source[member.column - 1:].startswith(member.text)


def test_1f_unreadable_limit_member_is_skipped_because_of_the_box():
    parsed = parse(ANSWER["1f"])
    assert parsed.expr == 0 and parsed.boxed
    assert [m.text for m in parsed.members] == [r"\boxed{0}"]


def test_2c_is_graded_on_the_last_aligned_row():
    parsed = parse(ANSWER["2c"])
    assert isinstance(parsed.expr, Piecewise)
    assert not parsed.boxed


def test_3_decimals_are_exact_and_flag_inexact():
    parsed = parse(ANSWER["3-adjoint"])
    assert parsed.expr == sympy.Rational(-24, 5)
    assert parsed.inexact


def test_seed_latex_answers_are_detected_as_latex():
    assert all(parse(answer).syntax == "latex" for q, answer, _ in SEED if "\\" in answer)


def test_3_adjoint_rows_keep_only_valued_members():
    parsed = parse(ANSWER["3-adjoint-v2"])
    assert [m.text for m in parsed.members] == [
        r"\bar{v}_2", r"-\frac{1}{v_2^2}", r"-\frac{1}{(0.25)^2}", "-16"]


SEED_MATH = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "seed-math.json")
                       .read_text(encoding="utf-8"))


@pytest.mark.parametrize("segment", SEED_MATH["answers"])
def test_every_answer_step_and_cell_of_the_seed_parses(segment):
    parsed = parse(segment)
    assert isinstance(parsed.expr, sympy.Expr) and parsed.members


@pytest.mark.parametrize(("segment", "message"), SEED_MATH["not_answers"].items())
def test_the_questions_own_notation_is_refused_with_a_reason(segment, message):
    with pytest.raises(ParseError) as err:
        parse(segment)
    assert message in err.value.message
