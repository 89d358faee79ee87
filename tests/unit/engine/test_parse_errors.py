"""Unreadable answers: a clear ParseError saying what and where (1-based column)."""

from __future__ import annotations

import pytest

from grader.engine.errors import LimitExceeded, ParseError
from grader.engine.parsing import NameContext, parse

ERRORS = [
    # (answer, message, column)
    ("", "empty answer", None),
    ("   \n ", "empty answer", None),
    ("$ $", "empty answer", None),
    ("x + (y * (z + 1)", "unbalanced parenthesis", 5),
    ("2*(p_i - y_i)) + 1", "unbalanced parenthesis", 14),
    ("(x + 1]", "unbalanced bracket", 7),
    (r"\frac{1}{x", "unbalanced brace", 9),
    (r"\left( x", "unbalanced parenthesis", 1),
    ("foo(x)", "unknown function foo", 1),
    ("2 + wx(x)", "unknown function wx", 5),
    (r"\operatorname{foo}(x)", "unknown function foo", 1),
    ("sinx", "unknown name sinx", 1),
    ("2 + sin2x", "unknown name sin2x", 5),
    ("x +", "unexpected end of input", 4),
    ("2p_i -* ", "unexpected *", 7),
    ("x + * y", "unexpected *", 5),
    ("2 3", "missing operator between two numbers", 3),
    ("x_", "subscript expected after _", 2),
    ("(x+1)_i", "unexpected _", 6),
    ("x_i^2_j", "unexpected _", 6),
    ("()", "empty parentheses", 1),
    ("sin()", "sin needs an argument", 4),
    ("sin", "sin needs an argument", 4),
    ("f(x, y)", "unknown function f", 1),
    ("x < 1", "a condition is not a value", 3),
    ("Piecewise((x, 1 < 2), (0, True))", "a condition must involve a variable", 17),
    ("Piecewise((1, Piecewise((x, x < 0), (1, True)) < 1), (0, True))",
     "a condition cannot contain a piecewise expression", 48),
    ("x = ", "nothing after =", 3),
    ("= = x", "nothing before =", 3),
    ("=", "nothing before =", 1),
    (r"\foo + 1", r"unknown command \foo", 1),
    (r"\nabla f", "this is a derivative operator", 1),
    (r"\input{/etc/passwd}", r"\input is not allowed", 1),
    (r"x + \include{a}", r"\include is not allowed", 5),
    (r"\def\x{1} \x", r"\def is not allowed", 1),
    (r"\csname x\endcsname", r"\csname is not allowed", 1),
    (r"\immediate\write18{rm -rf /}", r"\immediate is not allowed", 1),
    (r"\write18{ls}", r"\write18 is not allowed", 1),
    (r"\newcommand{\x}{1}", r"\newcommand is not allowed", 1),
    (r"\catcode`\^=7", r"\catcode is not allowed", 1),
    (r"\openin5=file", r"\openin is not allowed", 1),
    (r"\text{x \input{a}}", r"\input is not allowed", 9),
    (r"\lim_{x \to 0} x", r"\lim cannot be graded", 1),
    (r"\boxed{\frac{d}{da_i}(p_i)}", "this is a derivative operator, not an expression", 8),
    (r"\frac{d}{dx}", "this is a derivative operator", 1),
    ("dl/dw", "this is a derivative operator", 1),
    (r"\begin{cases} 1 & x < 0 \\ 2 \end{cases}", "missing & in a cases row", 28),
    (r"\begin{cases} 1 & \end{cases}", "missing condition in a cases row", 17),
    (r"\begin{matrix} 1 \end{matrix}", "unsupported environment matrix", 1),
    (r"\begin{cases} 1 & x<0", r"\begin{cases} without \end{cases}", 1),
    ("x^23 + \\frac{1}{2}", "ambiguous exponent: write ^{23}", 3),
    ("x!!", "repeated ! is not supported", 3),
    ("x\x00", "character U+0000 is not allowed", 2),
    ("x\u200b+1", "character U+200B (ZERO WIDTH SPACE) is not allowed", 2),
    ("x\u202e+1", "RIGHT-TO-LEFT OVERRIDE) is not allowed", 2),
    ("x\u2066+1", "is not allowed", 2),
    ("\ufeffx", "ZERO WIDTH NO-BREAK SPACE) is not allowed", 1),
    ("x\u00ad", "SOFT HYPHEN) is not allowed", 2),
    ("x @ y", "unexpected character '@'", 3),
    ("x ∑ y", "unexpected character", 3),
    # code, not maths
    ("__import__('os').system('ls')", "unexpected _", 1),
    ("().__class__", "unexpected character '.'", 3),
    ("lambda x: x", "unexpected character ':'", 9),
    ("\"abc\"", "quotes are not allowed", 1),
    ("sin('x')", "quotes are not allowed", 5),
    ("x; y", "unexpected character ';'", 2),
    ("x # comment", "unexpected character '#'", 3),
    ("x % 2", "unexpected character '%'", 3),
]


@pytest.mark.parametrize(("answer", "message", "column"), ERRORS, ids=[e[0] for e in ERRORS])
def test_unreadable_answer_says_what_and_where(answer, message, column):
    with pytest.raises(ParseError) as info:
        parse(answer)
    assert message in info.value.message
    assert info.value.column == column
    if column is not None:
        assert str(info.value).endswith(f"at column {column}")


def test_user_function_arity_is_checked():
    with pytest.raises(ParseError, match="f takes 1 argument, got 2 at column 1"):
        parse("f(x, y)", names=NameContext(functions={"f": 1}))
    with pytest.raises(ParseError, match="g takes 2 arguments, got 1"):
        parse("g(x)", names=NameContext(functions={"g": 2}))


def test_builtin_arity_is_checked():
    with pytest.raises(ParseError, match="wrong number of arguments for exp"):
        parse("exp(x, y)")


def test_bad_syntax_argument_is_a_programming_error():
    with pytest.raises(ValueError):
        parse("x", syntax="python")


def test_non_string_answer_is_a_parse_error():
    with pytest.raises(ParseError):
        parse(None)  # type: ignore[arg-type]


def test_limit_errors_are_parse_errors_too():
    assert issubclass(LimitExceeded, ParseError)
